import { UnlockedAccount, type SessionInfo } from '../client/account';
import { deriveFromPassword, unwrapPrivateKeys, verifySelfSigned, type KdfParams, type PublicKeys, type SealedBlob } from '../client/crypto/account-keys';
import { ApiClient } from '../client/http';
import { Teams } from '../client/teams';
import type { Sodium } from '../shared/sodium';
import { readPassword } from './prompt';
import { FileTrustStore, type CliState, type StateFile } from './state';

interface SignInReply {
  token: string;
  session: SessionInfo;
  account: { id: string; handle: string; kdf: KdfParams; publicKeys: PublicKeys; encryptedPrivateKeys: SealedBlob };
}

/** Signs in and keeps the session token and the password-wrapped private keys (as the server holds them) in the state file. */
export async function logIn(sodium: Sodium, stateFile: StateFile, server: string, handle: string, password: string): Promise<UnlockedAccount> {
  const api = new ApiClient({ baseUrl: server });
  const normalised = handle.trim().toLowerCase();
  const { kdf } = await api.get<{ kdf: KdfParams }>(`/v1/accounts/prelogin?handle=${encodeURIComponent(normalised)}`);
  const derived = deriveFromPassword(sodium, password, kdf);
  const reply = await api.post<SignInReply>('/v1/sessions', { handle: normalised, authKey: sodium.to_base64(derived.authKey), deviceLabel: 'meshwork-cli' });
  const { account } = reply;
  if (!verifySelfSigned(sodium, account.handle, account.publicKeys)) throw new Error('The server returned public keys that are not self-signed for this handle.');
  const keys = unwrapPrivateKeys(sodium, account.encryptedPrivateKeys, derived.keyEncryptionKey, account.handle, 'password', account.publicKeys);
  sodium.memzero(derived.keyEncryptionKey);
  const state = stateFile.load();
  state.server = server;
  state.account = { accountId: account.id, handle: account.handle, token: reply.token, session: reply.session, kdf: account.kdf, publicKeys: account.publicKeys, encryptedPrivateKeys: account.encryptedPrivateKeys };
  stateFile.save(state);
  return new UnlockedAccount(sodium, api.withToken(reply.token), account.id, account.handle, keys, account.publicKeys, reply.session);
}

/** Unwraps the stored private keys with the password; no network call. */
export async function unlock(sodium: Sodium, stateFile: StateFile, state: CliState): Promise<{ account: UnlockedAccount; teams: Teams }> {
  const stored = state.account;
  if (!stored || !state.server) throw new Error('Not signed in. Run: meshwork login <handle>');
  const password = await readPassword(`Password for ${stored.handle}: `);
  const { keyEncryptionKey } = deriveFromPassword(sodium, password, stored.kdf);
  const keys = unwrapPrivateKeys(sodium, stored.encryptedPrivateKeys, keyEncryptionKey, stored.handle, 'password', stored.publicKeys);
  sodium.memzero(keyEncryptionKey);
  const account = new UnlockedAccount(sodium, new ApiClient({ baseUrl: state.server, token: stored.token }), stored.accountId, stored.handle, keys, stored.publicKeys, stored.session);
  return { account, teams: new Teams(account, new FileTrustStore(stateFile, stored.handle)) };
}

/** The signed-in session without unlocking keys: for what the server reads anyway (check-ins, contacts, alerts). */
export function signedInApi(state: CliState): ApiClient {
  if (!state.account || !state.server) throw new Error('Not signed in. Run: meshwork login <handle>');
  return new ApiClient({ baseUrl: state.server, token: state.account.token });
}
