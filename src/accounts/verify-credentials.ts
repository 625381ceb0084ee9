import { AppError } from '../shared/errors';
import { AccountModel, type AccountRecord } from './account.model';
import type { AccountDeps } from './deps';
import { dummyKeyHash, verifyKey } from './key-hash';
import { assertSignInAllowed, clearSignInFailures, recordSignInFailure } from './throttle';

export const invalidCredentials = () => new AppError(401, 'invalid_credentials', 'Handle or password is wrong.');

/**
 * Checks a handle and one of its auth keys under the brute-force limits. An unknown handle costs
 * the same slow hash and gets the same answer as a wrong key, so neither timing nor wording tells them apart.
 */
export async function verifyCredentials(
  deps: Pick<AccountDeps, 'clock' | 'serverKeys' | 'config'>,
  input: { handle: string; key: string; which: 'authKeyHash' | 'recoveryAuthKeyHash'; address: string },
): Promise<AccountRecord> {
  await assertSignInAllowed(deps, input.handle, input.address);
  const account = await AccountModel.findOne({ handle: input.handle, deletingSince: { $exists: false } });
  const storedHash = account ? account[input.which] : await dummyKeyHash();
  const valid = await verifyKey(input.key, storedHash);
  if (!account || !valid) {
    await recordSignInFailure(deps, input.handle, input.address);
    throw invalidCredentials();
  }
  await clearSignInFailures(deps, input.handle);
  return account;
}
