import { AccountModel } from '../accounts/account.model';
import { AppError } from '../shared/errors';

/**
 * The keys a log entry introduces must be the account's registered keys: a coordinator's client cannot
 * (by mistake or malice) bind someone's handle to keys that are not theirs.
 */
export async function checkAccountKeys(accountId: string, claimed: { handle: string; boxPublicKey: string; signPublicKey: string }): Promise<void> {
  const account = await AccountModel.findOne({ _id: accountId, deletingSince: { $exists: false } }, { handle: 1, publicKeys: 1 }).lean();
  if (!account || account.handle !== claimed.handle || account.publicKeys.boxPublicKey !== claimed.boxPublicKey || account.publicKeys.signPublicKey !== claimed.signPublicKey) {
    throw new AppError(400, 'invitee_keys_mismatch', "The handle and keys in the entry are not that account's registered ones.");
  }
}
