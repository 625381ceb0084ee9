// Type-only: the shapes are the server's schemas' own, so client and server cannot drift.
import type { AddContactBody, ContactView, UpdateContactBody } from '../safety/contact.schemas';
import type { ApiClient } from './http';

export type TrustedContact = ContactView;

/** The trusted network: contacts are texted an invitation and receive alerts only after replying YES. */
export class ContactsApi {
  constructor(private readonly api: ApiClient) {}

  add(input: AddContactBody): Promise<TrustedContact> {
    return this.api.post('/v1/contacts', input);
  }
  async list(): Promise<TrustedContact[]> {
    return (await this.api.get<{ contacts: TrustedContact[] }>('/v1/contacts')).contacts;
  }
  update(contactId: string, input: UpdateContactBody): Promise<TrustedContact> {
    return this.api.patch(`/v1/contacts/${encodeURIComponent(contactId)}`, input);
  }
  reinvite(contactId: string): Promise<TrustedContact> {
    return this.api.post(`/v1/contacts/${encodeURIComponent(contactId)}/invitation`);
  }
  remove(contactId: string): Promise<void> {
    return this.api.delete(`/v1/contacts/${encodeURIComponent(contactId)}`);
  }
}
