import { AccountModel } from './account.model';
import { KDF_DEFAULTS } from './account.schemas';
import type { AccountDeps } from './deps';

/**
 * The KDF parameters a client needs to derive its keys. Unknown handles get deterministic fake
 * parameters shaped exactly like real ones, so this cannot be used to learn who has an account.
 */
export async function getPreloginParams(deps: Pick<AccountDeps, 'sodium' | 'serverKeys'>, handle: string) {
  const account = await AccountModel.findOne({ handle, deletingSince: { $exists: false } }, { kdf: 1 }).lean();
  if (account) {
    return { kdf: { algorithm: 'argon2id13' as const, opslimit: account.kdf.opslimit, memlimit: account.kdf.memlimit, salt: account.kdf.salt } };
  }
  return { kdf: { ...KDF_DEFAULTS, salt: deps.sodium.to_base64(deps.serverKeys.fakeSaltFor(handle)) } };
}
