import { Schema, model, type Types } from 'mongoose';

/**
 * An account was wiped while it still had work that could alert its network (a pending check-in,
 * an alert still escalating). The safety data stays until that work ends, then goes; this small
 * collection is what the scheduler looks at, so the tick never scans every defender for wipes.
 */
export interface PendingWipe {
  _id: Types.ObjectId; // the wiped account's id (ownerId everywhere else)
  requestedAt: Date;
}

const pendingWipeSchema = new Schema<PendingWipe>({ _id: { type: Schema.Types.ObjectId, required: true }, requestedAt: { type: Date, required: true } }, { versionKey: false });

export const PendingWipeModel = model<PendingWipe>('PendingWipe', pendingWipeSchema);
