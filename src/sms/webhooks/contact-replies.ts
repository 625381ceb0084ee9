import type { Types } from 'mongoose';
import type { SafetyDeps } from '../../safety/deps';
import { CheckInProfileModel } from '../../safety/check-in-profile.model';
import type { ReplyTarget } from '../keywords';
import { TeamResponderModel, TeamSmsNameModel, type TeamResponder } from '../../teams/team-network.model';
import { TrustedContactModel, type ContactState, type TrustedContact } from '../../contacts/contact.model';
import { ensureReplyRef } from '../../contacts/reply-references';
import { updateEachById } from '../../shared/each-by-equality';

type ContactDoc = TrustedContact & { _id: Types.ObjectId };
type ResponderDoc = TeamResponder & { _id: Types.ObjectId };

/**
 * One entry of a number: in a defender's personal network, or in a team's urgent-action network. Consent is
 * per entry (YES 7P, LEAVE 7P); STOP is for the whole number.
 */
export type NumberEntry = { kind: 'contact'; doc: ContactDoc } | { kind: 'responder'; doc: ResponderDoc };

export async function entriesOfNumber(phoneLookup: string): Promise<NumberEntry[]> {
  const [contacts, responders] = await Promise.all([TrustedContactModel.find({ phoneLookup }).lean<ContactDoc[]>(), TeamResponderModel.find({ phoneLookup }).lean<ResponderDoc[]>()]);
  return [...contacts.map((doc) => ({ kind: 'contact' as const, doc })), ...responders.map((doc) => ({ kind: 'responder' as const, doc }))];
}

const modelOf = (entry: NumberEntry) => (entry.kind === 'contact' ? TrustedContactModel : TeamResponderModel);

/**
 * STOP and the other opt-out words: every entry with this number, personal or team, stops at once. One guarded
 * update per entry, by `_id`: an `_id: {$in}` filter reads the whole collection on FerretDB.
 */
export async function optOut(deps: Pick<SafetyDeps, 'clock' | 'logger'>, entries: NumberEntry[]): Promise<number> {
  const now = deps.clock.now();
  const ids = (kind: NumberEntry['kind']) => entries.filter((e) => e.kind === kind).map((e) => e.doc._id);
  const stop = { $set: { state: 'opted_out' as ContactState, stateChangedAt: now } };
  const guard = { state: { $ne: 'opted_out' } };
  const [contacts, responders] = await Promise.all([updateEachById(TrustedContactModel, ids('contact'), guard, stop), updateEachById(TeamResponderModel, ids('responder'), guard, stop)]);
  const count = contacts + responders;
  if (count > 0) deps.logger.info({ event: 'contact_opted_out', count }, 'a contact opted out');
  return count;
}

/** One entry named as its defender (or its team's coordinators, for SMS) chose to be known. */
export interface NamedEntry {
  name: string;
  /** A team's urgent-action network, not one defender's own. */
  team: boolean;
  ref: string | undefined;
}

export type OptInOutcome =
  | { kind: 'opted_in'; entries: NamedEntry[] }
  | { kind: 'which'; waiting: NamedEntry[] }
  | { kind: 'wrong_code'; code: string; waiting: NamedEntry[] }
  | { kind: 'none_waiting' };

/**
 * YES (or START after a STOP) agrees to be texted for one defender (or one team), never for every defender who
 * added the number: a bare YES only when exactly one entry waits (invited, or opted out earlier), "YES 7P" for
 * that entry, "YES ALL" for all of them. Several waiting and no code: nothing changes and the reply lists them.
 */
export async function optIn(deps: Pick<SafetyDeps, 'clock' | 'logger' | 'fieldCipher'>, entries: NumberEntry[], target: ReplyTarget): Promise<OptInOutcome> {
  const waiting = entries.filter((e) => e.doc.state !== 'opted_in');
  for (const entry of waiting) entry.doc.replyRef = await ensureReplyRef(deps, entry.doc, modelOf(entry));
  let chosen: NumberEntry[];
  if (target.kind === 'all') chosen = waiting;
  else if (target.kind === 'ref') {
    const named = entries.find((e) => e.doc.replyRef === target.ref);
    if (named?.doc.state === 'opted_in') return { kind: 'opted_in', entries: [await nameOf(deps, named)] };
    if (!named) return waiting.length === 0 ? { kind: 'none_waiting' } : { kind: 'wrong_code', code: target.ref, waiting: await describe(deps, waiting) };
    chosen = [named];
  } else {
    if (waiting.length > 1) return { kind: 'which', waiting: await describe(deps, waiting) };
    chosen = waiting;
  }
  const done = await moveTo(deps, chosen, 'opted_in');
  if (done.length > 0) deps.logger.info({ event: 'contact_opted_in', count: done.length }, 'a contact opted in');
  return done.length > 0 ? { kind: 'opted_in', entries: done } : { kind: 'none_waiting' };
}

export type LeaveOutcome = { kind: 'left'; entry: NamedEntry } | { kind: 'which'; current: NamedEntry[] } | { kind: 'none' };

/**
 * LEAVE 7P: leaves that one network (a team's, or one defender's) and stays in the others. A bare LEAVE acts
 * only when the number is in exactly one network; otherwise (or with a wrong code) the reply lists them.
 */
export async function leave(deps: Pick<SafetyDeps, 'clock' | 'logger' | 'fieldCipher'>, entries: NumberEntry[], target: ReplyTarget): Promise<LeaveOutcome> {
  const current = entries.filter((e) => e.doc.state !== 'opted_out');
  for (const entry of current) entry.doc.replyRef = await ensureReplyRef(deps, entry.doc, modelOf(entry));
  const named = target.kind === 'ref' ? current.find((e) => e.doc.replyRef === target.ref) : target.kind === 'bare' && current.length === 1 ? current[0] : undefined;
  if (!named) return current.length === 0 ? { kind: 'none' } : { kind: 'which', current: await describe(deps, current) };
  const [left] = await moveTo(deps, [named], 'opted_out');
  if (!left) return { kind: 'none' };
  deps.logger.info({ event: 'contact_left_network' }, 'a contact left one network');
  return { kind: 'left', entry: left };
}

async function moveTo(deps: Pick<SafetyDeps, 'clock' | 'fieldCipher'>, entries: NumberEntry[], state: ContactState): Promise<NamedEntry[]> {
  const now = deps.clock.now();
  const moved: NamedEntry[] = [];
  for (const entry of entries) {
    // Guarded: a YES racing a STOP (or a second instance) changes each entry once.
    const guard = { _id: entry.doc._id, state: { $ne: state } };
    const update = { $set: { state, stateChangedAt: now } };
    const result = entry.kind === 'contact' ? await TrustedContactModel.updateOne(guard, update) : await TeamResponderModel.updateOne(guard, update);
    if (result.modifiedCount > 0) moved.push(await nameOf(deps, entry));
  }
  return moved;
}

async function nameOf(deps: Pick<SafetyDeps, 'fieldCipher'>, entry: NumberEntry): Promise<NamedEntry> {
  if (entry.kind === 'responder') {
    const smsName = await TeamSmsNameModel.findOne({ _id: entry.doc.teamId }).lean();
    return { name: smsName ? deps.fieldCipher.decrypt(smsName.encryptedSmsName) : '?', team: true, ref: entry.doc.replyRef };
  }
  const profile = await CheckInProfileModel.findOne({ ownerId: entry.doc.ownerId }, { encryptedDisplayName: 1 }).lean();
  return { name: profile ? deps.fieldCipher.decrypt(profile.encryptedDisplayName) : '?', team: false, ref: entry.doc.replyRef };
}

async function describe(deps: Pick<SafetyDeps, 'fieldCipher'>, entries: NumberEntry[]): Promise<NamedEntry[]> {
  const described: NamedEntry[] = [];
  for (const entry of entries) described.push(await nameOf(deps, entry));
  return described;
}
