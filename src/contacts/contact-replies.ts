import type { Types } from 'mongoose';
import type { SafetyDeps } from '../alerts/deps';
import { CheckInProfileModel } from '../checkins/check-in-profile.model';
import type { ReplyTarget } from '../sms/keywords';
import { TrustedContactModel, type TrustedContact } from './contact.model';
import { ensureReplyRef } from './reply-references';

type ContactDoc = TrustedContact & { _id: Types.ObjectId };

/** STOP and the other opt-out words: every contact entry with this number stops at once. */
export async function optOut(deps: Pick<SafetyDeps, 'clock' | 'logger'>, contacts: ContactDoc[]): Promise<number> {
  const now = deps.clock.now();
  const result = await TrustedContactModel.updateMany({ _id: { $in: contacts.map((c) => c._id) }, state: { $ne: 'opted_out' } }, { $set: { state: 'opted_out', stateChangedAt: now } });
  if (result.modifiedCount > 0) deps.logger.info({ event: 'contact_opted_out', count: result.modifiedCount }, 'a contact opted out');
  return result.modifiedCount;
}

/** One entry waiting for this number's YES, named as its defender chose to be known. */
export interface WaitingInvitation {
  name: string;
  ref: string | undefined;
}

export type OptInOutcome =
  | { kind: 'opted_in'; names: string[] }
  | { kind: 'which'; waiting: WaitingInvitation[] }
  | { kind: 'wrong_code'; code: string; waiting: WaitingInvitation[] }
  | { kind: 'none_waiting' };

/**
 * YES (or START after a STOP) agrees to be texted for one defender, never for every defender who added the
 * number: a bare YES only when exactly one entry waits (invited, or opted out earlier), "YES 7P" for that entry,
 * "YES ALL" for all of them. Several waiting and no code: nothing changes and the reply lists them.
 */
export async function optIn(deps: Pick<SafetyDeps, 'clock' | 'logger' | 'fieldCipher'>, contacts: ContactDoc[], target: ReplyTarget): Promise<OptInOutcome> {
  const waitingEntries = contacts.filter((c) => c.state !== 'opted_in');
  for (const entry of waitingEntries) entry.replyRef = await ensureReplyRef(deps, entry);
  let chosen: ContactDoc[];
  if (target.kind === 'all') chosen = waitingEntries;
  else if (target.kind === 'ref') {
    const named = contacts.find((c) => c.replyRef === target.ref);
    if (named?.state === 'opted_in') return { kind: 'opted_in', names: [await defenderName(deps, named)] };
    if (!named) return waitingEntries.length === 0 ? { kind: 'none_waiting' } : { kind: 'wrong_code', code: target.ref, waiting: await describe(deps, waitingEntries) };
    chosen = [named];
  } else {
    if (waitingEntries.length > 1) return { kind: 'which', waiting: await describe(deps, waitingEntries) };
    chosen = waitingEntries;
  }
  if (chosen.length === 0) return { kind: 'none_waiting' };
  const now = deps.clock.now();
  const names: string[] = [];
  for (const entry of chosen) {
    // Guarded: a YES racing a STOP (or a second instance) changes each entry once.
    const result = await TrustedContactModel.updateOne({ _id: entry._id, state: { $ne: 'opted_in' } }, { $set: { state: 'opted_in', stateChangedAt: now } });
    if (result.modifiedCount > 0) names.push(await defenderName(deps, entry));
  }
  if (names.length > 0) deps.logger.info({ event: 'contact_opted_in', count: names.length }, 'a contact opted in');
  return names.length > 0 ? { kind: 'opted_in', names } : { kind: 'none_waiting' };
}

async function defenderName(deps: Pick<SafetyDeps, 'fieldCipher'>, contact: ContactDoc): Promise<string> {
  const profile = await CheckInProfileModel.findOne({ ownerId: contact.ownerId }, { encryptedDisplayName: 1 }).lean();
  return profile ? deps.fieldCipher.decrypt(profile.encryptedDisplayName) : '?';
}

async function describe(deps: Pick<SafetyDeps, 'fieldCipher'>, entries: ContactDoc[]): Promise<WaitingInvitation[]> {
  const described: WaitingInvitation[] = [];
  for (const entry of entries) described.push({ name: await defenderName(deps, entry), ref: entry.replyRef });
  return described;
}
