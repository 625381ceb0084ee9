import { Schema, model, type Types } from 'mongoose';

/**
 * One per phone number verified for SMS check-in, keyed by the number's lookup hash: the unique `_id`
 * makes "one verified profile per number" hold across instances without a transaction. Without it,
 * anyone could put someone else's number on their own profile and swallow her SMS check-ins and her
 * duress PIN (the review's finding 1).
 */
export interface VerifiedPhone {
  /** phoneLookup: HMAC of the E.164 number under a server key. */
  _id: string;
  ownerId: Types.ObjectId;
  verifiedAt: Date;
}

const verifiedPhoneSchema = new Schema<VerifiedPhone>(
  {
    _id: { type: String, required: true },
    ownerId: { type: Schema.Types.ObjectId, required: true, index: true },
    verifiedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export const VerifiedPhoneModel = model<VerifiedPhone>('VerifiedPhone', verifiedPhoneSchema, 'verifiedphones');
