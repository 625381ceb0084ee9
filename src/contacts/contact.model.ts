import { Schema, model, type Types } from 'mongoose';
import { LANGUAGES, type Language } from '../sms/catalogue';
import { CONTACT_STATES, type ContactState } from '../safety/contact.schemas';

export { CONTACT_STATES, type ContactState };

export interface TrustedContact {
  ownerId: Types.ObjectId;
  // The server must read these to send SMS, so they are secretbox-encrypted with a server key, not end-to-end.
  encryptedName: string;
  encryptedPhone: string;
  /** HMAC of the E.164 number under a server key: finds the contact of an inbound SMS. */
  phoneLookup: string;
  language: Language;
  tier: number;
  state: ContactState;
  stateChangedAt: Date;
  invitationsSent: number;
  /**
   * The code this entry's texts carry ("Reply YES 7P", "Reply ACK 7P"), unique among the entries of one number
   * (reply-references.ts); random, so it names neither the defender nor an alert. Unset until the first text.
   */
  replyRef?: string;
  createdAt: Date;
  updatedAt: Date;
}

const contactSchema = new Schema<TrustedContact>(
  {
    ownerId: { type: Schema.Types.ObjectId, required: true, index: true },
    encryptedName: { type: String, required: true },
    encryptedPhone: { type: String, required: true },
    phoneLookup: { type: String, required: true, index: true },
    language: { type: String, required: true, enum: LANGUAGES },
    tier: { type: Number, required: true, min: 1 },
    state: { type: String, required: true, enum: CONTACT_STATES },
    stateChangedAt: { type: Date, required: true },
    invitationsSent: { type: Number, required: true, default: 0 },
    replyRef: { type: String },
  },
  { timestamps: true, versionKey: false },
);
// The same number twice in one network would get every alert twice.
contactSchema.index({ ownerId: 1, phoneLookup: 1 }, { unique: true });

export const TrustedContactModel = model<TrustedContact>('TrustedContact', contactSchema);
