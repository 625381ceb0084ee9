import { errors } from '../shared/errors';
import type { AuthenticatedAccount } from '../shared/authenticated-account';
import { AccountModel } from './account.model';
import type { AccountDeps, AccountPurger } from './deps';
import { verifyKey } from './key-hash';
import { SessionModel } from './session.model';
import { invalidCredentials } from './verify-credentials';

type Deps = Pick<AccountDeps, 'purgers' | 'logger'>;

/**
 * The panic wipe. Marks the account first (one atomic update: it can no longer sign in or be found),
 * then runs deletionSteps, then removes the account itself. A crash part-way leaves the mark, and
 * finishInterruptedDeletions runs every step again at the next start-up (each is idempotent).
 */
export async function deleteAccount(deps: Pick<AccountDeps, 'clock' | 'purgers' | 'logger'>, who: AuthenticatedAccount, authKey: string): Promise<void> {
  const account = await AccountModel.findOne({ _id: who.accountId, deletingSince: { $exists: false } }, { authKeyHash: 1 }).lean();
  if (!account) throw errors.unauthorized();
  if (!(await verifyKey(authKey, account.authKeyHash))) throw invalidCredentials();
  // Sessions go before the mark as well: resolveSession reads only the session, so from here on no token of
  // this account works on any instance, even if the process dies before the mark (the account is then intact).
  await SessionModel.deleteMany({ accountId: account._id });
  await markForDeletion(deps, String(account._id));
  await purgeAccount(deps, String(account._id));
}

/** Step 0: from here on the account cannot sign in, and start-up recovery will finish the wipe. */
export async function markForDeletion(deps: Pick<AccountDeps, 'clock'>, accountId: string): Promise<void> {
  await AccountModel.updateOne({ _id: accountId, deletingSince: { $exists: false } }, { $set: { deletingSince: deps.clock.now(), deleting: true } });
}

/**
 * What a wipe does after the mark, in order; a crash after any of them leaves the rest to recovery.
 * Sessions go first, so a stolen token stops working before anything else is touched.
 */
export function deletionSteps(deps: Deps): AccountPurger[] {
  const deleteSessions: AccountPurger = async (accountId) => {
    await SessionModel.deleteMany({ accountId });
  };
  const deleteAccountRecord: AccountPurger = async (accountId) => {
    await AccountModel.deleteOne({ _id: accountId });
  };
  return [deleteSessions, ...deps.purgers, deleteAccountRecord];
}

async function purgeAccount(deps: Deps, accountId: string): Promise<void> {
  for (const step of deletionSteps(deps)) await step(accountId);
  deps.logger.info({ event: 'account_deleted' }, 'an account was deleted');
}

/**
 * Start-up recovery: finishes every wipe a crash interrupted. Reads only the marked accounts, by
 * equality on the flag (FerretDB pushes equality down to PostgreSQL), never the whole collection.
 */
export async function finishInterruptedDeletions(deps: Deps): Promise<number> {
  const pending = await AccountModel.find({ deleting: true }, { _id: 1 }).lean();
  for (const account of pending) await purgeAccount(deps, String(account._id));
  return pending.length;
}
