import type { AccountDeps } from './deps';
import { openSession } from './session-tokens';
import { verifyCredentials } from './verify-credentials';
import { toPublicAccountView, toSessionView } from './views';

/** Lost password: the recovery key opens a short session that can only set a new password. */
export async function signInWithRecoveryKey(
  deps: Pick<AccountDeps, 'clock' | 'serverKeys' | 'config'>,
  input: { handle: string; recoveryAuthKey: string; deviceLabel?: string; address: string },
) {
  const account = await verifyCredentials(deps, { handle: input.handle, key: input.recoveryAuthKey, which: 'recoveryAuthKeyHash', address: input.address });
  const { token, session } = await openSession(deps, account, { viaRecovery: true, deviceLabel: input.deviceLabel });
  const { handle, publicKeys } = toPublicAccountView(account);
  const sealed = account.recoveryEncryptedPrivateKeys;
  return { token, session: toSessionView(session, session.id as string), handle, publicKeys, recoveryEncryptedPrivateKeys: { nonce: sealed.nonce, ciphertext: sealed.ciphertext } };
}
