import { z, base64Bytes, objectId } from '../http/zod';
import { KDF_MIN_MEMLIMIT, KDF_MIN_OPSLIMIT } from '../shared/protocol';

export { KDF_MIN_MEMLIMIT, KDF_MIN_OPSLIMIT };
export const KDF_DEFAULTS = { algorithm: 'argon2id13' as const, opslimit: 3, memlimit: 64 * 1024 * 1024 };

export const handleSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_.-]{2,31}$/, '3-32 characters: letters, digits, _ . - (a pseudonym is best)')
  .openapi({ example: 'river-7' });

export const kdfParamsSchema = z
  .object({
    algorithm: z.literal('argon2id13'),
    opslimit: z.number().int().min(KDF_MIN_OPSLIMIT).max(20),
    memlimit: z.number().int().min(KDF_MIN_MEMLIMIT).max(1024 * 1024 * 1024),
    salt: base64Bytes({ exact: 16 }),
  })
  .strict()
  .openapi('KdfParams');

export const sealedBlobSchema = z
  .object({ nonce: base64Bytes({ exact: 24 }), ciphertext: base64Bytes({ max: 4096 }) })
  .strict()
  .openapi('SealedBlob');

export const publicKeysSchema = z
  .object({
    boxPublicKey: base64Bytes({ exact: 32, description: 'X25519, for sealing team keys to this account' }),
    signPublicKey: base64Bytes({ exact: 32, description: 'Ed25519, for verifying what this account signs' }),
    selfSignature: base64Bytes({ exact: 64, description: 'Ed25519 signature over the handle and both public keys' }),
  })
  .strict()
  .openapi('PublicKeys');

const key32 = base64Bytes({ exact: 32 });

export const registerBody = z
  .object({
    handle: handleSchema,
    kdf: kdfParamsSchema,
    authKey: key32,
    recoveryAuthKey: key32,
    publicKeys: publicKeysSchema,
    encryptedPrivateKeys: sealedBlobSchema,
    recoveryEncryptedPrivateKeys: sealedBlobSchema,
  })
  .strict();
export type RegisterInput = z.infer<typeof registerBody>;

export const preloginQuery = z.object({ handle: handleSchema }).strict();
export const preloginReply = z.object({ kdf: kdfParamsSchema }).strict().openapi('Prelogin');

const deviceLabel = z.string().trim().min(1).max(40).optional();
export const signInBody = z.object({ handle: handleSchema, authKey: key32, deviceLabel }).strict();
export const recoverySignInBody = z.object({ handle: handleSchema, recoveryAuthKey: key32, deviceLabel }).strict();

export const accountView = z
  .object({
    id: objectId,
    handle: z.string(),
    kdf: kdfParamsSchema,
    publicKeys: publicKeysSchema,
    encryptedPrivateKeys: sealedBlobSchema,
    createdAt: z.string(),
  })
  .strict()
  .openapi('Account');
export type AccountView = z.infer<typeof accountView>;

export const sessionView = z
  .object({
    id: objectId,
    createdAt: z.string(),
    expiresAt: z.string(),
    lastUsedAt: z.string(),
    viaRecovery: z.boolean(),
    deviceLabel: z.string().optional(),
    current: z.boolean(),
  })
  .strict()
  .openapi('Session');
export type SessionView = z.infer<typeof sessionView>;

export const signInReply = z
  .object({ token: z.string(), session: sessionView, account: accountView })
  .strict()
  .openapi('SignIn');

export const recoverySignInReply = z
  .object({
    token: z.string(),
    session: sessionView,
    handle: z.string(),
    publicKeys: publicKeysSchema,
    recoveryEncryptedPrivateKeys: sealedBlobSchema,
  })
  .strict()
  .openapi('RecoverySignIn');

export const changePasswordBody = z
  .object({
    currentAuthKey: key32.optional().openapi({ description: 'Required unless the session was opened with the recovery key' }),
    kdf: kdfParamsSchema,
    authKey: key32,
    encryptedPrivateKeys: sealedBlobSchema,
    recovery: z.object({ recoveryAuthKey: key32, recoveryEncryptedPrivateKeys: sealedBlobSchema }).strict().optional().openapi({ description: 'A new recovery key: required when the session was opened with the recovery key, which then stops working' }),
  })
  .strict();
export type ChangePasswordInput = z.infer<typeof changePasswordBody>;

export const deleteAccountBody = z.object({ authKey: key32 }).strict();

export const sessionIdParams = z.object({ sessionId: objectId }).strict();
export const handleParams = z.object({ handle: handleSchema }).strict();

export const publicAccountView = z
  .object({ id: objectId, handle: z.string(), publicKeys: publicKeysSchema })
  .strict()
  .openapi('PublicAccount');

export const registerReply = z.object({ id: objectId, handle: z.string() }).strict();
export const sessionList = z.object({ sessions: z.array(sessionView) }).strict();
