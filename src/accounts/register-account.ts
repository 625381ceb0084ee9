import { errors } from '../shared/errors';
import { accountKeysMessage } from '../shared/protocol';
import { AccountModel } from './account.model';
import type { RegisterInput } from './account.schemas';
import type { AccountDeps } from './deps';
import { hashKey } from './key-hash';
import { countRegistrationAttempt } from './throttle';
import { isDuplicateKeyError } from '../shared/duplicate-key';

/** Stores a new account: public keys (checked to be self-signed), wrapped private keys and slow hashes of the auth keys. */
export async function registerAccount(deps: Pick<AccountDeps, 'sodium' | 'clock' | 'serverKeys' | 'config'>, input: RegisterInput & { address: string }): Promise<{ id: string; handle: string }> {
  await countRegistrationAttempt(deps, input.address);
  assertSelfSigned(deps, input);
  const existing = await AccountModel.exists({ handle: input.handle });
  if (existing) throw errors.conflict('handle_taken', 'That handle is taken. Choose another pseudonym.');
  const [authKeyHash, recoveryAuthKeyHash] = await Promise.all([hashKey(input.authKey), hashKey(input.recoveryAuthKey)]);
  try {
    const account = await AccountModel.create({
      handle: input.handle,
      kdf: input.kdf,
      authKeyHash,
      recoveryAuthKeyHash,
      publicKeys: input.publicKeys,
      encryptedPrivateKeys: input.encryptedPrivateKeys,
      recoveryEncryptedPrivateKeys: input.recoveryEncryptedPrivateKeys,
    });
    return { id: account.id as string, handle: account.handle };
  } catch (error) {
    // Two registrations raced for the same handle; the unique index let one through.
    if (isDuplicateKeyError(error)) throw errors.conflict('handle_taken', 'That handle is taken. Choose another pseudonym.');
    throw error;
  }
}

function assertSelfSigned(deps: Pick<AccountDeps, 'sodium'>, input: RegisterInput): void {
  const { sodium } = deps;
  const box = sodium.from_base64(input.publicKeys.boxPublicKey);
  const sign = sodium.from_base64(input.publicKeys.signPublicKey);
  const signature = sodium.from_base64(input.publicKeys.selfSignature);
  if (!sodium.crypto_sign_verify_detached(signature, accountKeysMessage(input.handle, box, sign), sign)) {
    throw errors.badRequest('invalid_self_signature', 'The public keys are not signed by their own signing key.');
  }
}
