import type { Language } from './checkins';
import type { ApiClient } from './http';

export interface TrustedContact {
  id: string;
  name: string;
  phoneHint: string;
  language: Language;
  tier: number;
  state: 'invited' | 'opted_in' | 'opted_out';
  stateChangedAt: string;
  createdAt: string;
}

/** The trusted network: contacts are texted an invitation and receive alerts only after replying YES. */
export class ContactsApi {
  constructor(private readonly api: ApiClient) {}

  add(input: { name: string; phone: string; language: Language; tier: number }): Promise<TrustedContact> {
    return this.api.post('/v1/contacts', input);
  }
  async list(): Promise<TrustedContact[]> {
    return (await this.api.get<{ contacts: TrustedContact[] }>('/v1/contacts')).contacts;
  }
  update(contactId: string, input: { name?: string; language?: Language; tier?: number }): Promise<TrustedContact> {
    return this.api.patch(`/v1/contacts/${encodeURIComponent(contactId)}`, input);
  }
  reinvite(contactId: string): Promise<TrustedContact> {
    return this.api.post(`/v1/contacts/${encodeURIComponent(contactId)}/invitation`);
  }
  remove(contactId: string): Promise<void> {
    return this.api.delete(`/v1/contacts/${encodeURIComponent(contactId)}`);
  }
}
