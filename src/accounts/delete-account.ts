import { errors } from '../shared/errors';
import type { AuthenticatedAccount } from '../http/route';
import { AccountModel } from './account.model';
import type { AccountDeps } from './deps';
import { verifyKey } from './key-hash';
import { SessionModel } from './session.model';
import { invalidCredentials } from './verify-credentials';

/**
 * The panic wipe. Marks the account first (one atomic update: it can no longer sign in or be found),
 * then removes what every domain holds, then the account itself. A crash part-way leaves the mark,
 * and finishInterruptedDeletions completes the job at the next start-up.
 */
export async function deleteAccount(deps: Pick<AccountDeps, 'clock' | 'purgers' | 'logger'>, who: AuthenticatedAccount, authKey: string): Promise<void> {
  const account = await AccountModel.findOne({ _id: who.accountId, deletingSince: { $exists: false } }, { authKeyHash: 1 }).lean();
  if (!account) throw errors.unauthorized();
  if (!(await verifyKey(authKey, account.authKeyHash))) throw invalidCredentials();
  await AccountModel.updateOne({ _id: account._id, deletingSince: { $exists: false } }, { $set: { deletingSince: deps.clock.now() } });
  await purgeAccount(deps, String(account._id));
}

async function purgeAccount(deps: Pick<AccountDeps, 'purgers' | 'logger'>, accountId: string): Promise<void> {
  await SessionModel.deleteMany({ accountId });
  for (const purge of deps.purgers) await purge(accountId);
  await AccountModel.deleteOne({ _id: accountId });
  deps.logger.info({ event: 'account_deleted' }, 'an account was deleted');
}

export async function finishInterruptedDeletions(deps: Pick<AccountDeps, 'purgers' | 'logger'>): Promise<number> {
  const pending = await AccountModel.find({ deletingSince: { $exists: true } }, { _id: 1 }).lean();
  for (const account of pending) await purgeAccount(deps, String(account._id));
  return pending.length;
}
