import { Schema, model, type Types } from 'mongoose';

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
 * Live state only: exactly one document per schedule, holding its current occurrence. A check-in
 * moves the document to its next occurrence (or deletes a one-off); history goes to alertevents.
 * scheduled -> (due, derived from dueAt) -> checked in (next occurrence) | missed (alertId set).
 */
export interface CheckIn {
  ownerId: Types.ObjectId;
  /** Sealed { schedule, graceMinutes } (schedule-at-rest.ts): the scheduler only queries state and deadline. */
  encryptedSchedule: string;
  timeZone: string;
  encryptedAlertMessage: string;
  encryptedPlace?: string;
  state: 'scheduled' | 'missed';
  dueAt: Date;
  /** dueAt + grace: the scheduler acts once this passes. */
  deadline: Date;
  alertId?: Types.ObjectId;
  lastCheckedInAt?: Date;
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
    state: { type: String, required: true, enum: ['scheduled', 'missed'] },
    dueAt: { type: Date, required: true },
    deadline: { type: Date, required: true },
    alertId: { type: Schema.Types.ObjectId },
    lastCheckedInAt: { type: Date },
  },
  { timestamps: true, versionKey: false },
);
// The scheduler's query: scheduled check-ins whose deadline has passed.
checkInSchema.index({ state: 1, deadline: 1 });

export const CheckInModel = model<CheckIn>('CheckIn', checkInSchema);
