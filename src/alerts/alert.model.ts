import { Schema, model, type Types } from 'mongoose';

export const ALERT_STATES = ['opening', 'escalating', 'acknowledged', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/**
 * One alert: opened when a check-in is missed (or at once, silently, on a duress PIN).
 * opening -> escalating (tier by tier, on nextActionAt) -> acknowledged (a contact replied ACK)
 * -> resolved (late check-in or cancel with the PIN). `opening` only exists between creating the
 * alert and marking its check-in missed, so a crash between the two can be finished or undone.
 */
export interface Alert {
  ownerId: Types.ObjectId;
  checkInId?: Types.ObjectId;
  /**
   * Keyed hash of check-in id + deadline (or random bytes of the same shape for duress, see
   * alert-secrets.ts): a retried tick finds the same alert instead of making a second.
   */
  occurrenceKey: string;
  state: AlertState;
  /**
   * Sealed { duress, coverResolvedAt } (alert-secrets.ts), fixed length, on every alert. When a duress
   * PIN took over a missed check-in's alert, coverResolvedAt is when the defender's session is shown
   * it as resolved (as a real late check-in would), while it keeps escalating.
   */
  encryptedDuress: string;
  /** When the scheduler began opening it (injected clock): an alert `opening` for longer than a lease was left by a crash. */
  openingSince?: Date;
  /** Set when the deadline passed while no instance was running (found at start-up, later than planned). */
  delayed: boolean;
  /** The deadline missed (or the moment of the duress check-in). */
  missedAt: Date;
  /** The check-in time the alert text names ("did not check in by 18:00"). */
  dueAt: Date;
  /** Index into the owner's sorted distinct tiers; -1 before tier 1 is alerted. */
  tierIndex: number;
  /** 0 for the first pass through the tiers, then one more per configured repeat. */
  round: number;
  nextActionAt?: Date | null;
  /**
   * Minute slot (src/shared/time-slots.ts) of nextActionAt while escalating, or of the lease's expiry
   * while claimed: the scheduler finds due alerts by equality on it. Unset when nothing is pending.
   */
  actionSlot?: number | null;
  /** Set on resolving: the slot in which the scheduler checks that the check-in moved on (a crash may leave it missed). */
  recoverySlot?: number | null;
  leaseOwner?: string | null;
  leaseUntil?: Date | null;
  /** The batch claim holding it (with leaseOwner/leaseUntil): a claim's `updateMany` writes it, `find({claimToken})` reads the batch back. */
  claimToken?: string | null;
  acknowledgedByContactId?: Types.ObjectId;
  acknowledgedAt?: Date;
  resolvedAt?: Date;
  resolution?: 'checked_in' | 'cancelled';
  /** Snapshots taken when the alert opened, so a later edit of the check-in cannot change what was sent. */
  encryptedDisplayName: string;
  encryptedAlertMessage: string;
  encryptedPlace?: string;
  timeZone: string;
  createdAt: Date;
  updatedAt: Date;
}

const alertSchema = new Schema<Alert>(
  {
    ownerId: { type: Schema.Types.ObjectId, required: true, index: true },
    checkInId: { type: Schema.Types.ObjectId, index: true },
    occurrenceKey: { type: String, required: true, unique: true },
    state: { type: String, required: true, enum: ALERT_STATES },
    encryptedDuress: { type: String, required: true },
    openingSince: { type: Date },
    delayed: { type: Boolean, required: true, default: false },
    missedAt: { type: Date, required: true },
    dueAt: { type: Date, required: true },
    tierIndex: { type: Number, required: true, default: -1 },
    round: { type: Number, required: true, default: 0 },
    nextActionAt: { type: Date },
    actionSlot: { type: Number },
    recoverySlot: { type: Number },
    leaseOwner: { type: String },
    leaseUntil: { type: Date },
    claimToken: { type: String },
    acknowledgedByContactId: { type: Schema.Types.ObjectId },
    acknowledgedAt: { type: Date },
    resolvedAt: { type: Date },
    resolution: { type: String },
    encryptedDisplayName: { type: String, required: true },
    encryptedAlertMessage: { type: String, required: true },
    encryptedPlace: { type: String },
    timeZone: { type: String, required: true },
  },
  { timestamps: true, versionKey: false },
);
// The scheduler's queries: escalating alerts whose next action falls in one slot, resolved alerts to
// check for a stranded check-in, and the few alerts caught between two steps of opening (equality each).
alertSchema.index({ actionSlot: 1, state: 1 });
alertSchema.index({ recoverySlot: 1, state: 1 });
alertSchema.index({ state: 1, nextActionAt: 1 });
alertSchema.index({ claimToken: 1 });

export const AlertModel = model<Alert>('Alert', alertSchema);
