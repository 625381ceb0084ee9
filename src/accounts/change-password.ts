import { errors } from '../shared/errors';
import type { AuthenticatedAccount } from '../shared/authenticated-account';
import { AccountModel } from './account.model';
import type { ChangePasswordInput } from './account.schemas';
import type { AccountDeps } from './deps';
import { hashKey, verifyKey } from './key-hash';
import { openSession } from './session-tokens';
import { SessionModel } from './session.model';
import { invalidCredentials } from './verify-credentials';
import { toAccountView, toSessionView } from './views';

/**
 * Sets a new password: the client has re-wrapped the private keys under the new key-encryption key.
 * A normal session must prove the current password (a stolen token alone cannot take the account);
 * a recovery session already proved the recovery key. Every session is then closed and one new one opened.
 */
export async function changePassword(deps: Pick<AccountDeps, 'clock' | 'config'>, who: AuthenticatedAccount, input: ChangePasswordInput) {
  const account = await AccountModel.findOne({ _id: who.accountId, deletingSince: { $exists: false } });
  if (!account) throw errors.unauthorized();
  if (!who.viaRecovery) {
    if (!input.currentAuthKey) throw errors.badRequest('current_password_required', 'Confirm the current password to change it.');
    if (!(await verifyKey(input.currentAuthKey, account.authKeyHash))) throw invalidCredentials();
  } else if (!input.recovery) {
    // Recovery words once typed (on a borrowed or watched phone, say) may have been seen: they work once only.
    throw errors.badRequest('recovery_rotation_required', 'A recovery sets a new recovery key with the new password.');
  }
  const update: Record<string, unknown> = {
    kdf: input.kdf,
    authKeyHash: await hashKey(input.authKey),
    encryptedPrivateKeys: input.encryptedPrivateKeys,
    passwordChangedAt: deps.clock.now(),
  };
  if (input.recovery) {
    update.recoveryAuthKeyHash = await hashKey(input.recovery.recoveryAuthKey);
    update.recoveryEncryptedPrivateKeys = input.recovery.recoveryEncryptedPrivateKeys;
  }
  // Guarded on the hash we verified against, so two concurrent changes cannot interleave.
  const updated = await AccountModel.findOneAndUpdate({ _id: account._id, authKeyHash: account.authKeyHash }, { $set: update }, { new: true });
  if (!updated) throw errors.conflict('password_changed_concurrently', 'The password was changed meanwhile. Sign in again.');
  await SessionModel.deleteMany({ accountId: account._id });
  const { token, session } = await openSession(deps, account, { viaRecovery: false });
  return { token, session: toSessionView(session, session.id as string), account: toAccountView(updated) };
}
