import { sealJson } from '../../shared/field-encryption';
import { minuteSlot } from '../../shared/time-slots';
import type { SafetyDeps } from '../deps';
import { OutboxModel, SentMessageModel, type MessageIdentity } from './outbox.model';
import { isDuplicateKeyError } from '../../shared/duplicate-key';

/** Sealed message bodies are padded to this many characters (an alert of up to three segments fits one block). */
const OUTBOX_BODY_BLOCK = 512;

export interface MessageToEnqueue extends MessageIdentity {
  to: string;
  body: string;
}

/** The outbox document for a message queued now (pending, due at once), with its number and text sealed. */
export function outboxEntry(deps: Pick<SafetyDeps, 'fieldCipher'>, now: Date, message: MessageToEnqueue): Record<string, unknown> {
  const { to, body, ...rest } = message;
  return {
    ...rest,
    encryptedTo: deps.fieldCipher.encrypt(to),
    // Padded: a duress alert's text is longer than a missed check-in's, and a pending message's length must not say which.
    encryptedBody: sealJson(deps.fieldCipher, body, OUTBOX_BODY_BLOCK),
    state: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    attemptSlot: minuteSlot(now),
    createdAt: now,
  };
}

/**
 * Adds a message to the outbox unless one with the same key is already there or already sent.
 * Idempotent, so a step retried after a crash (or run by two instances) enqueues each message once.
 */
export async function enqueueMessage(deps: Pick<SafetyDeps, 'clock' | 'fieldCipher' | 'wake'>, message: MessageToEnqueue): Promise<boolean> {
  if (await SentMessageModel.exists({ key: message.key })) return false;
  const now = deps.clock.now();
  let inserted: boolean;
  try {
    const result = await OutboxModel.updateOne({ key: message.key }, { $setOnInsert: outboxEntry(deps, now, message) }, { upsert: true });
    inserted = result.upsertedCount > 0;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
  // The message may have been sent and moved out between our check and our insert: undo the copy.
  if (inserted && (await SentMessageModel.exists({ key: message.key }))) {
    await OutboxModel.deleteOne({ key: message.key, state: 'pending' });
    return false;
  }
  if (inserted) deps.wake?.(now);
  return inserted;
}
