import { Types } from 'mongoose';
import { TimelineEventModel, type TimelineKind } from './timeline.model';

export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: number }).code === 11000;
}

export interface EventInput {
  ownerId: Types.ObjectId | string;
  kind: TimelineKind;
  at: Date;
  /** Makes the write idempotent: a retried step does not log twice. Random when omitted. */
  key?: string;
  alertId?: Types.ObjectId | string;
  checkInId?: Types.ObjectId | string;
  tier?: number;
  contactId?: Types.ObjectId | string;
  detail?: string;
  hiddenFromOwner?: boolean;
}

export async function recordEvent(event: EventInput): Promise<void> {
  try {
    await TimelineEventModel.create({
      ...event,
      key: event.key ?? `random:${new Types.ObjectId().toHexString()}`,
      hiddenFromOwner: event.hiddenFromOwner ?? false,
    });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
}
