import { randomInt } from 'node:crypto';
import type { Model, Types } from 'mongoose';
import type { SafetyDeps } from '../safety/deps';
import { isDuplicateKeyError } from '../shared/duplicate-key';
import { REF_DIGITS, REF_LETTERS } from '../sms/keywords';
import { TrustedContactModel } from './contact.model';
import { ReplyReferenceModel } from './reply-reference.model';

/** A personal contact's entry (ownerId) or a team responder's (teamId): both hold codes from one number's set. */
export interface ReplyEntry {
  _id: Types.ObjectId;
  phoneLookup: string;
  replyRef?: string;
  ownerId?: Types.ObjectId;
  teamId?: string;
}

// 140 two-character references per number; past this many collisions a number gets a three-character one.
const SHORT_ATTEMPTS = 12;
const LONG_ATTEMPTS = 12;

/** Random, so a reference says nothing about whose entry or which alert it is. */
function randomReference(length: 2 | 3): string {
  const chars = [REF_DIGITS[randomInt(REF_DIGITS.length)]!];
  while (chars.length < length) chars.push(REF_LETTERS[randomInt(REF_LETTERS.length)]!);
  // The digit may come first or anywhere: "4K", "K4", "K4P".
  const at = randomInt(length);
  [chars[0], chars[at]] = [chars[at]!, chars[0]!];
  return chars.join('');
}

/**
 * The contact's reply reference, given on its first invitation (or on the first text to an entry made before
 * references existed). Claimed by creating `replyreferences/<phoneLookup>:<ref>` (retried on a taken one),
 * then set on the contact with a guarded update: if another instance set one first, ours is given back.
 */
export async function ensureReplyRef(
  deps: Pick<SafetyDeps, 'clock' | 'logger'>,
  contact: ReplyEntry,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- TrustedContactModel or TeamResponderModel (teams imports contacts, not the reverse)
  entries: Model<any> = TrustedContactModel,
): Promise<string | undefined> {
  if (contact.replyRef) return contact.replyRef;
  for (let attempt = 0; attempt < SHORT_ATTEMPTS + LONG_ATTEMPTS; attempt += 1) {
    const ref = randomReference(attempt < SHORT_ATTEMPTS ? 2 : 3);
    const key = `${contact.phoneLookup}:${ref}`;
    try {
      await ReplyReferenceModel.create({ _id: key, ownerId: contact.ownerId, teamId: contact.teamId, contactId: contact._id, createdAt: deps.clock.now() });
    } catch (error) {
      if (isDuplicateKeyError(error)) continue;
      throw error;
    }
    const set = await entries.updateOne({ _id: contact._id, replyRef: { $exists: false } }, { $set: { replyRef: ref } });
    if (set.modifiedCount === 1) return ref;
    await ReplyReferenceModel.deleteOne({ _id: key, contactId: contact._id });
    const current = await entries.findOne({ _id: contact._id }, { replyRef: 1 }).lean<{ replyRef?: string }>();
    return current?.replyRef;
  }
  // Only a number in thousands of networks gets here; its texts go without a code and a bare reply lists them.
  deps.logger.error({ event: 'reply_reference_exhausted' }, 'no free reply reference for a number');
  return undefined;
}

/** Gives a removed contact's reference back to its number (and leaves no keyed hash of the number behind). */
export async function releaseReplyRefs(contactId: Types.ObjectId | string): Promise<void> {
  await ReplyReferenceModel.deleteMany({ contactId });
}
