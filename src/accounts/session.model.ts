import { Schema, model, type HydratedDocument, type Types } from 'mongoose';

export interface Session {
  tokenHash: string;
  accountId: Types.ObjectId;
  /** The account's handle (handles never change), so resolving a token reads this one document. Absent on sessions opened before it was copied. */
  handle?: string;
  expiresAt: Date;
  lastUsedAt: Date;
  viaRecovery: boolean;
  deviceLabel?: string;
  createdAt: Date;
}

// Revoked and expired sessions are deleted, not flagged, so this collection holds live sessions only
// (FerretDB answers by scanning; keep it small).
const sessionSchema = new Schema<Session>(
  {
    // SHA-256 of the bearer token; the token itself is never stored.
    tokenHash: { type: String, required: true, unique: true },
    accountId: { type: Schema.Types.ObjectId, required: true, index: true },
    handle: { type: String },
    expiresAt: { type: Date, required: true, index: true },
    lastUsedAt: { type: Date, required: true },
    viaRecovery: { type: Boolean, required: true, default: false },
    // Chosen by the person ("phone", "laptop"); never derived from the user agent or address.
    deviceLabel: { type: String },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);

export type SessionRecord = HydratedDocument<Session>;
export const SessionModel = model<Session>('Session', sessionSchema);
