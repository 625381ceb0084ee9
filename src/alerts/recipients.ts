import { DateTime } from 'luxon';
import type { Types } from 'mongoose';
import { TrustedContactModel, type TrustedContact } from '../contacts/contact.model';
import { CheckInProfileModel, type CheckInProfile } from '../safety/check-in-profile.model';
import { TeamResponderModel } from '../teams/team-network.model';
import { TeamModel, type Team } from '../teams/team.model';
import type { SafetyDeps } from '../safety/deps';
import { OutboxModel, SentMessageModel } from '../safety/outbox/outbox.model';
import { findEachById } from '../shared/each-by-equality';

/** Whoever an alert can reach: a personal contact, or a responder of the member's team network. */
export type AlertedEntry = Pick<TrustedContact, 'language' | 'encryptedName' | 'encryptedPhone' | 'state'> & { _id: Types.ObjectId };

/** Contacts (and team responders) an alert has reached or is reaching right now: they are owed a handled-by or an all-clear. */
export async function contactsAlertedFor(alertId: Types.ObjectId): Promise<AlertedEntry[]> {
  const sent = await SentMessageModel.find({ alertId, kind: 'alert', state: { $in: ['sent', 'delivered', 'undelivered'] } }, { contactId: 1 }).lean();
  const inFlight = await OutboxModel.find({ alertId, kind: 'alert', state: 'sending' }, { contactId: 1 }).lean();
  const ids = [...new Set([...sent, ...inFlight].map((m) => String(m.contactId)).filter((id) => id !== 'undefined'))];
  return optedInEntries(ids);
}

/**
 * The opted-in personal contacts and team responders among these ids, by `_id` one at a time: `_id: {$in}` reads
 * the whole of both collections on FerretDB, and both grow with the defenders.
 */
export async function optedInEntries(ids: readonly string[]): Promise<AlertedEntry[]> {
  const where = { state: 'opted_in' };
  const [contacts, responders] = await Promise.all([findEachById<AlertedEntry>(TrustedContactModel, ids, { where }), findEachById<AlertedEntry>(TeamResponderModel, ids, { where })]);
  return [...contacts, ...responders];
}

/** The name of whoever acknowledged (or was texted): a personal contact, else a team responder (removed: null). */
export async function alertedEntryName(deps: Pick<SafetyDeps, 'fieldCipher'>, id: Types.ObjectId | string): Promise<string | null> {
  const found = (await TrustedContactModel.findOne({ _id: id }, { encryptedName: 1 }).lean()) ?? (await TeamResponderModel.findOne({ _id: id }, { encryptedName: 1 }).lean());
  return found ? deps.fieldCipher.decrypt(found.encryptedName) : null;
}

/** Her choice to have a team's urgent-action network alerted, and whether it still counts. */
export interface ChosenTeamNetwork {
  teamId: string;
  atTier: number | null;
  /** She is still a member and the team is not being dissolved: otherwise its network is never texted. */
  counted: boolean;
  /** Her role in the team when counted (what she may be shown of its roster depends on it). */
  role: 'coordinator' | 'member' | null;
}

export type TeamNetworkChoice = Pick<CheckInProfile, 'teamNetworkTeamId' | 'teamNetworkTier'>;

/**
 * The one rule for whether her team network counts, shared by the escalation (which texts it) and by the reach and
 * preview (which tell her it will): a team she left, or one being dissolved, alerts nobody. `known`: her profile's
 * choice when the caller already read it (the tick reads it with her name when it opens the alert).
 */
export async function chosenTeamNetwork(ownerId: Types.ObjectId | string, known?: TeamNetworkChoice | null): Promise<ChosenTeamNetwork | null> {
  const profile = known !== undefined ? known : await CheckInProfileModel.findOne({ ownerId }, { teamNetworkTeamId: 1, teamNetworkTier: 1 }).lean();
  const teamId = profile?.teamNetworkTeamId;
  if (!teamId) return null;
  const atTier = profile.teamNetworkTier ?? null;
  const account = String(ownerId);
  const team = await TeamModel.findOne({ _id: teamId, memberAccountIds: account, dissolving: { $ne: true } }, { members: 1 }).lean<Pick<Team, 'members'>>();
  if (!team) return { teamId, atTier, counted: false, role: null };
  const me = team.members.find((m) => m.accountId === account && m.status === 'member');
  return { teamId, atTier, counted: true, role: me?.role ?? 'member' };
}

/** The tier the team network is texted at: the one she chose, else right after her own last tier with an opted-in contact. */
export function teamNetworkTier(atTier: number | null, ownOptedInTiers: readonly number[]): number {
  return atTier ?? Math.max(0, ...ownOptedInTiers) + 1;
}

export function decryptContact(deps: Pick<SafetyDeps, 'fieldCipher'>, contact: Pick<TrustedContact, 'encryptedName' | 'encryptedPhone'>) {
  return { name: deps.fieldCipher.decrypt(contact.encryptedName), phone: deps.fieldCipher.decrypt(contact.encryptedPhone) };
}

/** "18:00 (UTC-6)": the defender's local time, with an offset a contact elsewhere can convert. */
export function formatLocalTime(at: Date, timeZone: string): string {
  const local = DateTime.fromJSDate(at).setZone(timeZone);
  const offset = local.toFormat('Z');
  return `${local.toFormat('HH:mm')} (UTC${offset === '+0' ? '' : offset})`;
}
