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

/** One event as the use cases see it, after opening `encryptedEvent`. */
export interface TimelineEventDetail {
  kind: TimelineKind;
  checkInId?: string;
  tier?: number;
  contactId?: string;
  /** A delayed alert, a transport error code: never a phone number or message text. */
  detail?: string;
  /** Duress events never show to the defender's own session, which may be in someone else's hands. */
  hiddenFromOwner: boolean;
}

/**
 * History, kept out of the hot collections: read by owner (or alert) with a limit. Only what the
 * reads query or sort by stays in clear; the kind, the hide-from-owner flag and the rest are sealed
 * in one fixed-length field, and the key is a keyed hash, so a copy of the database cannot pick out
 * the events of a duress alert (timeline.ts).
 */
export interface TimelineEvent {
  ownerId: Types.ObjectId;
  alertId?: Types.ObjectId;
  /** Unique keyed hash of the step's idempotency key: a retried step writes its event once. */
  key: string;
  at: Date;
  /** Sealed TimelineEventDetail. */
  encryptedEvent: string;
}

const timelineSchema = new Schema<TimelineEvent>(
  {
    ownerId: { type: Schema.Types.ObjectId, required: true, index: true },
    alertId: { type: Schema.Types.ObjectId, index: true },
    key: { type: String, required: true, unique: true },
    at: { type: Date, required: true },
    encryptedEvent: { type: String, required: true },
  },
  { versionKey: false },
);

export const TimelineEventModel = model<TimelineEvent>('TimelineEvent', timelineSchema, 'alertevents');
