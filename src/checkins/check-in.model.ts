import { Schema, model, type Types } from 'mongoose';
import { minuteSlot } from '../shared/time-slots';

export const SCHEDULE_KINDS = ['once', 'interval', 'daily'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

export interface Schedule {
  kind: ScheduleKind;
  /** interval: hours between check-ins */
  everyHours?: number;
  /** daily: local times of day, "HH:mm", in the check-in's time zone */
  times?: string[];
}

/**
 * The owner's PIN material, copied from the profile onto each check-in so the app's check-in reads one
 * document: the same keyed hashes (pin-hash.ts), whether a wrong PIN was given since the last right one,
 * and the lock. check-in-pins.ts keeps the copies in step: a PIN change marks the profile until every copy
 * is written (finishPinCopies at start-up), a wrong PIN locks the profile and every copy.
 */
export interface PinCopy {
  pinHash: string;
  duressPinHash: string;
  failed: boolean;
  lockedUntil?: Date;
}

/**
 * Live state only: exactly one document per schedule, holding its current occurrence. A check-in
 * moves the document to its next occurrence (or deletes a one-off); history goes to alertevents.
 * scheduled -> (due, derived from dueAt) -> checked in (next occurrence) | missed (alertId set).
 * A checked-in one-off is `settling` (never served, never due) until its outcome is settled, then deleted.
 */
export interface CheckIn {
  ownerId: Types.ObjectId;
  /** Sealed { schedule, graceMinutes } (schedule-at-rest.ts): the scheduler only queries state and deadline. */
  encryptedSchedule: string;
  timeZone: string;
  encryptedAlertMessage: string;
  encryptedPlace?: string;
  state: 'scheduled' | 'missed' | 'settling';
  dueAt: Date;
  /** dueAt + grace: the scheduler acts once this passes. */
  deadline: Date;
  /**
   * The deadline's minute slot (src/shared/time-slots.ts), derived here from `deadline` on every write, so
   * the scheduler finds due check-ins by equality. A time in clear at minute precision, like deadline.
   */
  deadlineSlot: number;
  alertId?: Types.ObjectId;
  /**
   * Set while the scheduler opens this occurrence's alert in a batch (src/checkins/escalate-missed-check-ins.ts):
   * the batch's claim token, and when the claim runs out (the claim moved deadlineSlot to this moment's
   * slot, so a crashed holder's check-ins are found again then).
   */
  claimToken?: string;
  claimUntil?: Date;
  lastCheckedInAt?: Date;
  /** Absent on check-ins scheduled before the copy existed: those read the profile. */
  pins?: PinCopy;
  /**
   * Check-ins not yet settled (check-in-outcomes.ts), each sealed to one length whether made with the
   * PIN or the duress PIN: written by the same update that moves the check-in on, so a crash after the
   * reply loses neither the timeline event nor a duress alert.
   */
  encryptedOutcomes?: string[];
  /** True while encryptedOutcomes holds anything: what the recovery sweep finds by equality. */
  outcomesPending?: boolean;
  /** Who settles them: a lease, so two instances never settle the same outcome twice. */
  outcomesLeaseUntil?: Date;
  createdAt: Date;
  updatedAt: Date;
}

const checkInSchema = new Schema<CheckIn>(
  {
    ownerId: { type: Schema.Types.ObjectId, required: true, index: true },
    encryptedSchedule: { type: String, required: true },
    timeZone: { type: String, required: true },
    encryptedAlertMessage: { type: String, required: true },
    encryptedPlace: { type: String },
    state: { type: String, required: true, enum: ['scheduled', 'missed', 'settling'] },
    dueAt: { type: Date, required: true },
    deadline: { type: Date, required: true },
    deadlineSlot: { type: Number },
    alertId: { type: Schema.Types.ObjectId },
    claimToken: { type: String },
    claimUntil: { type: Date },
    lastCheckedInAt: { type: Date },
    pins: {
      type: new Schema<PinCopy>({ pinHash: { type: String, required: true }, duressPinHash: { type: String, required: true }, failed: { type: Boolean, required: true }, lockedUntil: { type: Date } }, { _id: false }),
    },
    encryptedOutcomes: { type: [String], default: undefined },
    outcomesPending: { type: Boolean, index: true },
    outcomesLeaseUntil: { type: Date },
  },
  { timestamps: true, versionKey: false },
);
// The scheduler's query: scheduled check-ins whose deadline falls in one minute slot (equality on both).
checkInSchema.index({ deadlineSlot: 1, state: 1 });
// Reading back what one batch claim took (equality on its token).
checkInSchema.index({ claimToken: 1 });

/**
 * Every write that sets a deadline also sets its slot, whichever use case writes it (scheduling,
 * checking in, extending, recovering): a deadline without its slot would never be read by the
 * scheduler, and a missed check-in would alert nobody. Writers set deadlines in the future; the
 * watermark's skew margin covers clocks that disagree by up to a minute.
 */
function withDeadlineSlot(update: unknown): void {
  if (!update || typeof update !== 'object' || Array.isArray(update)) return;
  const record = update as Record<string, unknown>;
  for (const target of [record, record.$set, record.$setOnInsert]) {
    if (!target || typeof target !== 'object') continue;
    const fields = target as Record<string, unknown>;
    if (fields.deadline instanceof Date || typeof fields.deadline === 'string') fields.deadlineSlot = minuteSlot(new Date(fields.deadline));
  }
}
checkInSchema.pre('validate', function () {
  if (this.deadline) this.deadlineSlot = minuteSlot(this.deadline);
});
checkInSchema.pre(['updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne', 'findOneAndReplace'], function () {
  withDeadlineSlot(this.getUpdate());
});
checkInSchema.pre('insertMany', function (next, docs: unknown) {
  for (const doc of Array.isArray(docs) ? docs : [docs]) withDeadlineSlot(doc);
  next();
});

export const CheckInModel = model<CheckIn>('CheckIn', checkInSchema);
