import type { SafetyDeps } from '../safety/deps';
import { defineRoute, type AnyRoute, signedIn } from '../http/route';
import { addContactBody, contactIdParams, contactList, contactReply, updateContactBody } from '../safety/contact.schemas';
import { addContact, listContacts, reinviteContact, removeContact, updateContact } from './manage-contacts';

const me = signedIn;
const tag = 'contacts';

export function contactRoutes(deps: SafetyDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'post', path: '/v1/contacts', summary: 'Add a trusted contact; they are texted an invitation and must reply YES', tag, auth: 'bearer',
      body: addContactBody,
      responses: { 201: { description: 'Added (invited)', schema: contactReply }, 409: { description: 'contact_exists, too_many_contacts, check_in_profile_required' } },
      errors: ['invalid_phone', 'contact_exists', 'too_many_contacts', 'check_in_profile_required'],
      handle: async ({ body }, ctx) => ({ status: 201, body: await addContact(deps, me(ctx), body) }),
    }),
    defineRoute({
      method: 'get', path: '/v1/contacts', summary: 'My trusted network and each contact’s state (invited, opted_in, opted_out)', tag, auth: 'bearer',
      responses: { 200: { description: 'Contacts', schema: contactList } },
      handle: async (_input, ctx) => ({ status: 200, body: { contacts: await listContacts(deps, me(ctx)) } }),
    }),
    defineRoute({
      method: 'patch', path: '/v1/contacts/:contactId', summary: 'Rename a contact, or change their language or tier', tag, auth: 'bearer',
      params: contactIdParams,
      body: updateContactBody,
      responses: { 200: { description: 'Updated', schema: contactReply } },
      handle: async ({ params, body }, ctx) => ({ status: 200, body: await updateContact(deps, me(ctx), params.contactId, body) }),
    }),
    defineRoute({
      method: 'post', path: '/v1/contacts/:contactId/invitation', summary: 'Send the invitation again (a contact who has not answered)', tag, auth: 'bearer',
      params: contactIdParams,
      responses: { 200: { description: 'Invitation queued', schema: contactReply }, 409: { description: 'not_invited, too_many_invitations' } },
      errors: ['not_invited', 'too_many_invitations'],
      handle: async ({ params }, ctx) => ({ status: 200, body: await reinviteContact(deps, me(ctx), params.contactId) }),
    }),
    defineRoute({
      method: 'delete', path: '/v1/contacts/:contactId', summary: 'Remove a contact from my network', tag, auth: 'bearer',
      params: contactIdParams,
      responses: { 204: { description: 'Removed' } },
      handle: async ({ params }, ctx) => {
        await removeContact(me(ctx), params.contactId);
        return { status: 204 };
      },
    }),
  ];
}
