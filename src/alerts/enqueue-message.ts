import { sealJson } from '../shared/field-encryption';
import { minuteSlot } from '../shared/time-slots';
import type { SafetyDeps } from './deps';
import { OutboxModel, SentMessageModel, type MessageIdentity } from './outbox.model';
import { isDuplicateKeyError } from '../shared/duplicate-key';

/** Sealed message bodies are padded to this many characters (an alert of up to three segments fits one block). */
const OUTBOX_BODY_BLOCK = 512;

export interface MessageToEnqueue extends MessageIdentity {
  to: string;
  body: string;
}

/**
 * Adds a message to the outbox unless one with the same key is already there or already sent.
 * Idempotent, so a step retried after a crash (or run by two instances) enqueues each message once.
 */
export async function enqueueMessage(deps: Pick<SafetyDeps, 'clock' | 'fieldCipher' | 'wake'>, message: MessageToEnqueue): Promise<boolean> {
  if (await SentMessageModel.exists({ key: message.key })) return false;
  const now = deps.clock.now();
  const { to, body, ...rest } = message;
  let inserted: boolean;
  try {
    const result = await OutboxModel.updateOne(
      { key: message.key },
      {
        $setOnInsert: {
          ...rest,
          encryptedTo: deps.fieldCipher.encrypt(to),
          // Padded: a duress alert's text is longer than a missed check-in's, and a pending message's length must not say which.
          encryptedBody: sealJson(deps.fieldCipher, body, OUTBOX_BODY_BLOCK),
          state: 'pending',
          attempts: 0,
          nextAttemptAt: now,
          attemptSlot: minuteSlot(now),
          createdAt: now,
        },
      },
      { upsert: true },
    );
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
