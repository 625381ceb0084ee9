import { Schema, model, type HydratedDocument } from 'mongoose';

export interface SealedBlob {
  nonce: string;
  ciphertext: string;
}

export interface Account {
  handle: string;
  kdf: { algorithm: string; opslimit: number; memlimit: number; salt: string };
  authKeyHash: string;
  recoveryAuthKeyHash: string;
  publicKeys: { boxPublicKey: string; signPublicKey: string; selfSignature: string };
  encryptedPrivateKeys: SealedBlob;
  recoveryEncryptedPrivateKeys: SealedBlob;
  passwordChangedAt?: Date;
  deletingSince?: Date;
  /** True while a deletion is under way: start-up recovery finds these by equality, not by scanning every account. */
  deleting?: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const sealedBlob = new Schema<SealedBlob>({ nonce: { type: String, required: true }, ciphertext: { type: String, required: true } }, { _id: false });
const kdfSchema = new Schema<Account['kdf']>(
  { algorithm: { type: String, required: true }, opslimit: { type: Number, required: true }, memlimit: { type: Number, required: true }, salt: { type: String, required: true } },
  { _id: false },
);
const publicKeysSchema = new Schema<Account['publicKeys']>(
  { boxPublicKey: { type: String, required: true }, signPublicKey: { type: String, required: true }, selfSignature: { type: String, required: true } },
  { _id: false },
);

const accountSchema = new Schema<Account>(
  {
    // A pseudonym; no e-mail or phone number is ever required.
    handle: { type: String, required: true, unique: true },
    kdf: { type: kdfSchema, required: true },
    // Slow hashes of keys the client derives; the password itself never reaches the server.
    authKeyHash: { type: String, required: true },
    recoveryAuthKeyHash: { type: String, required: true },
    publicKeys: { type: publicKeysSchema, required: true },
    // Private keys, encrypted by the client under keys the server never sees.
    encryptedPrivateKeys: { type: sealedBlob, required: true },
    recoveryEncryptedPrivateKeys: { type: sealedBlob, required: true },
    passwordChangedAt: { type: Date },
    // Set when a deletion starts; a deletion interrupted by a crash is finished at start-up.
    deletingSince: { type: Date },
    deleting: { type: Boolean, index: true },
  },
  { timestamps: true, versionKey: false },
);

export type AccountRecord = HydratedDocument<Account>;
export const AccountModel = model<Account>('Account', accountSchema);
