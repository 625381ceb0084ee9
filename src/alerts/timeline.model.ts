import { Schema, model, type Types } from 'mongoose';

export const TIMELINE_KINDS = [
  'checked_in',
  'missed',
  'duress',
  'tier_alerted',
  'repeat_started',
  'no_contacts',
  'escalation_exhausted',
  'message_sent',
  'message_delivered',
  'message_failed',
  'acknowledged',
  'all_clear_sent',
  'resolved',
  'cancelled',
  'extended',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/** History, kept out of the hot collections: read by owner (or alert) with a limit. */
export interface TimelineEvent {
  ownerId: Types.ObjectId;
  alertId?: Types.ObjectId;
  checkInId?: Types.ObjectId;
  /** Unique: a retried step writes its event once. */
  key: string;
  kind: TimelineKind;
  at: Date;
  tier?: number;
  contactId?: Types.ObjectId;
  /** A delayed alert, a transport error code: never a phone number or message text. */
  detail?: string;
  /** Duress events never show to the defender's own session, which may be in someone else's hands. */
  hiddenFromOwner: boolean;
}

const timelineSchema = new Schema<TimelineEvent>(
  {
    ownerId: { type: Schema.Types.ObjectId, required: true, index: true },
    alertId: { type: Schema.Types.ObjectId, index: true },
    checkInId: { type: Schema.Types.ObjectId },
    key: { type: String, required: true, unique: true },
    kind: { type: String, required: true, enum: TIMELINE_KINDS },
    at: { type: Date, required: true },
    tier: { type: Number },
    contactId: { type: Schema.Types.ObjectId },
    detail: { type: String },
    hiddenFromOwner: { type: Boolean, required: true, default: false },
  },
  { versionKey: false },
);

export const TimelineEventModel = model<TimelineEvent>('TimelineEvent', timelineSchema, 'alertevents');
