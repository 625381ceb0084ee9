import type { SafetyDeps } from '../alerts/deps';
import { singleLine, language, phoneInput } from '../checkins/check-in.schemas';
import { defineRoute, type AnyRoute, signedIn } from '../http/route';
import { z, objectId } from '../http/zod';
import { CONTACT_STATES } from './contact.model';
import { addContact, listContacts, reinviteContact, removeContact, updateContact } from './manage-contacts';

const me = signedIn;
const tag = 'contacts';
const tier = z.number().int().min(1).max(10);

const contactView = z
  .object({ id: z.string(), name: z.string(), phoneHint: z.string(), language, tier: z.number().int(), state: z.enum(CONTACT_STATES), stateChangedAt: z.string(), createdAt: z.string() })
  .strict();
const addBody = z.object({ name: singleLine(40), phone: phoneInput, language, tier }).strict();
const updateBody = z
  .object({ name: singleLine(40).optional(), language: language.optional(), tier: tier.optional() })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'change at least one of name, language, tier');
const contactIdParams = z.object({ contactId: objectId }).strict();

export function contactRoutes(deps: SafetyDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'post', path: '/v1/contacts', summary: 'Add a trusted contact; they are texted an invitation and must reply YES', tag, auth: 'bearer',
      body: addBody,
      responses: { 201: { description: 'Added (invited)', schema: contactView }, 409: { description: 'contact_exists, too_many_contacts, check_in_profile_required' } },
      errors: ['invalid_phone', 'contact_exists', 'too_many_contacts', 'check_in_profile_required'],
      handle: async ({ body }, ctx) => ({ status: 201, body: await addContact(deps, me(ctx), body) }),
    }),
    defineRoute({
      method: 'get', path: '/v1/contacts', summary: 'My trusted network and each contact’s state (invited, opted_in, opted_out)', tag, auth: 'bearer',
      responses: { 200: { description: 'Contacts', schema: z.object({ contacts: z.array(contactView) }).strict() } },
      handle: async (_input, ctx) => ({ status: 200, body: { contacts: await listContacts(deps, me(ctx)) } }),
    }),
    defineRoute({
      method: 'patch', path: '/v1/contacts/:contactId', summary: 'Rename a contact, or change their language or tier', tag, auth: 'bearer',
      params: contactIdParams,
      body: updateBody,
      responses: { 200: { description: 'Updated', schema: contactView } },
      handle: async ({ params, body }, ctx) => ({ status: 200, body: await updateContact(deps, me(ctx), params.contactId, body) }),
    }),
    defineRoute({
      method: 'post', path: '/v1/contacts/:contactId/invitation', summary: 'Send the invitation again (a contact who has not answered)', tag, auth: 'bearer',
      params: contactIdParams,
      responses: { 200: { description: 'Invitation queued', schema: contactView }, 409: { description: 'not_invited, too_many_invitations' } },
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
