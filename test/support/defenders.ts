import { CheckInsApi, ContactsApi, type CheckInProfile, type CheckInProfileInput, type MeshworkClient } from '../../src/client';

export const PIN = '2468';
export const DURESS_PIN = '1357';

export interface Defender {
  token: string;
  checkIns: CheckInsApi;
  contacts: ContactsApi;
  /** The profile as the server answered the set-up. */
  profile: CheckInProfile;
}

/**
 * A defender as the reference client makes one: registered, signed in, with a check-in profile (PIN 2468,
 * duress PIN 1357, English). `profile` overrides any field, e.g. a name the alert texts must show.
 */
export async function setUpDefender(client: MeshworkClient, handle: string, profile: Partial<CheckInProfileInput> = {}): Promise<Defender> {
  await client.register(handle, `${handle} password`);
  const account = await client.signIn(handle, `${handle} password`);
  const checkIns = new CheckInsApi(account.api);
  const saved = await checkIns.setProfile({ displayName: handle, timeZone: 'UTC', language: 'en', pin: PIN, duressPin: DURESS_PIN, ...profile });
  return { token: account.token, checkIns, contacts: new ContactsApi(account.api), profile: saved };
}
