import { createHmac, randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import { isDuplicateKeyError } from '../shared/duplicate-key';
import { openJson, sealJson } from '../shared/field-encryption';
import { insertManyKeepingDuplicates } from './bulk';
import type { SafetyDeps } from './deps';
import { TimelineEventModel, type TimelineEvent, type TimelineEventDetail, type TimelineKind } from './timeline.model';

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

type Deps = Pick<SafetyDeps, 'fieldCipher' | 'serverKeys'>;

/** Larger than any sealed event (the longest detail is under 100 characters), so all have one length. */
const EVENT_BLOCK = 256;

export async function recordEvent(deps: Deps, event: EventInput): Promise<void> {
  try {
    await TimelineEventModel.create(eventDocument(deps, event));
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
}

/** Many events in one unordered insert; an event already written (same key: a retried step) is skipped. */
export async function recordEvents(deps: Deps, events: EventInput[]): Promise<void> {
  await insertManyKeepingDuplicates(TimelineEventModel, events.map((event) => eventDocument(deps, event)));
}

function eventDocument(deps: Deps, event: EventInput) {
  const detail: TimelineEventDetail = { kind: event.kind, hiddenFromOwner: event.hiddenFromOwner ?? false };
  if (event.checkInId) detail.checkInId = String(event.checkInId);
  if (event.tier !== undefined) detail.tier = event.tier;
  if (event.contactId) detail.contactId = String(event.contactId);
  if (event.detail !== undefined) detail.detail = event.detail;
  // A key in clear ("missed:<id>", "resolved:<id>") would name the event's kind: hash it, and make
  // a random key the same shape.
  const key = event.key ? createHmac('sha256', deps.serverKeys.lookupKey).update(`event:${event.key}`).digest('base64url') : randomBytes(32).toString('base64url');
  return { ownerId: event.ownerId, alertId: event.alertId, key, at: event.at, encryptedEvent: sealJson(deps.fieldCipher, detail, EVENT_BLOCK) };
}

export type OpenedEvent = TimelineEventDetail & Pick<TimelineEvent, 'at'>;

export function openEvent(deps: Pick<SafetyDeps, 'fieldCipher'>, event: Pick<TimelineEvent, 'at' | 'encryptedEvent'>): OpenedEvent {
  return { ...openJson<TimelineEventDetail>(deps.fieldCipher, event.encryptedEvent), at: event.at };
}

/**
 * An alert's events, oldest first, opened; at most `limit` of those `keep` accepts. The filter runs
 * after decrypting (hiddenFromOwner is sealed), so it pages until it has `limit` or runs out: events
 * it drops never shorten what the caller is given.
 */
export async function readAlertEvents(
  deps: Pick<SafetyDeps, 'fieldCipher'>,
  filter: { alertId: Types.ObjectId; ownerId: Types.ObjectId },
  limit: number,
  keep: (event: OpenedEvent) => boolean = () => true,
): Promise<OpenedEvent[]> {
  const kept: OpenedEvent[] = [];
  for (let skip = 0; kept.length < limit; skip += limit) {
    const page = await TimelineEventModel.find(filter, { at: 1, encryptedEvent: 1 }).sort({ at: 1, _id: 1 }).skip(skip).limit(limit).lean();
    for (const event of page) {
      const opened = openEvent(deps, event);
      if (keep(opened) && kept.length < limit) kept.push(opened);
    }
    if (page.length < limit) break;
  }
  return kept;
}
