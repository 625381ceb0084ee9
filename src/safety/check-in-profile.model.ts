import { Schema, model, type Types } from 'mongoose';
import { LANGUAGES, type Language } from '../sms/catalogue';

/** One per account: how the defender is named in alerts, their time zone, PINs and (optionally) own phone. */
export interface CheckInProfile {
  ownerId: Types.ObjectId;
  /** The name the defender chose to be known by in alerts (often not their legal name). */
  encryptedDisplayName: string;
  timeZone: string;
  language: Language;
  /** Keyed hashes (HMAC-SHA256 with a pepper from SERVER_SECRET, see pin-hash.ts); the PINs themselves are never stored or logged. */
  pinHash: string;
  duressPinHash: string;
  /** The defender's own phone, to check in by SMS; encrypted like contacts' numbers. */
  encryptedPhone?: string;
  phoneLookup?: string;
  /** Set once the code sent to `phone` was entered: only then does an SMS from that number check in (see verified-phone.model.ts). */
  phoneVerifiedAt?: Date;
  /** The pending verification code, hashed like a PIN; its expiry, wrong tries and how many codes were sent. */
  phoneCodeHash?: string;
  phoneCodeExpiresAt?: Date;
  phoneCodeAttempts?: number;
  phoneCodeSentAt?: Date;
  phoneCodesSent?: number;
  pinFailures: number;
  pinLockedUntil?: Date;
  /** Set with a PIN change until every check-in carries the new copy (check-in-pins.ts); start-up recovery finds it by equality. */
  pinCopiesStale?: boolean;
  /**
   * "After my own tiers (or at tier n), alert my team's urgent-action network": the team (she must be a member
   * when a tier is reached) and the tier (absent: right after her own last tier).
   */
  teamNetworkTeamId?: string | null;
  teamNetworkTier?: number | null;
  createdAt: Date;
  updatedAt: Date;
}

const profileSchema = new Schema<CheckInProfile>(
  {
    ownerId: { type: Schema.Types.ObjectId, required: true, unique: true },
    encryptedDisplayName: { type: String, required: true },
    timeZone: { type: String, required: true },
    language: { type: String, required: true, enum: LANGUAGES },
    pinHash: { type: String, required: true },
    duressPinHash: { type: String, required: true },
    encryptedPhone: { type: String },
    phoneLookup: { type: String, index: true },
    phoneVerifiedAt: { type: Date },
    phoneCodeHash: { type: String },
    phoneCodeExpiresAt: { type: Date },
    phoneCodeAttempts: { type: Number },
    phoneCodeSentAt: { type: Date },
    phoneCodesSent: { type: Number },
    pinFailures: { type: Number, required: true, default: 0 },
    pinLockedUntil: { type: Date },
    teamNetworkTeamId: { type: String },
    teamNetworkTier: { type: Number },
    pinCopiesStale: { type: Boolean, index: true },
  },
  { timestamps: true, versionKey: false },
);

export const CheckInProfileModel = model<CheckInProfile>('CheckInProfile', profileSchema);
