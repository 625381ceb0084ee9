import { Types } from 'mongoose';
import type { SafetyDeps } from '../safety/deps';
import { chosenTeamNetwork, type ChosenTeamNetwork } from '../alerts/recipients';
import { TrustedContactModel } from '../contacts/contact.model';
import type { AuthenticatedAccount } from '../shared/authenticated-account';
import { errors } from '../shared/errors';
import { renderAlert, SAMPLE_REPLY_REF, type Language } from '../sms/catalogue';
import { countSegments, type SmsEncoding } from '../sms/segments';
import { alertReach, previewAlertFor, teamNetworkLanguages } from './alert-reach';
import { CheckInModel, type Schedule } from './check-in.model';
import type { AlertPreview, ScheduleCheckInInput } from '../safety/check-in.schemas';
import { pinCopyOf, profileRequired } from './check-in-pins';
import { CheckInProfileModel } from '../safety/check-in-profile.model';
import { deadlineFor, firstDueAt } from './schedule';
import { sealSchedule } from './schedule-at-rest';
import { checkInView, type CheckInView } from './views';

export interface AlertSizeView {
  /** The most segments the alert takes in any language the defender's contacts (and her team network's responders) read. */
  segments: number;
  encoding: SmsEncoding;
  warning: string | null;
}

const MAX_AHEAD_MS = 366 * 24 * 60 * 60 * 1000;

/** The profile and the first occurrence, validated the same way for scheduling and for its preview. */
async function resolveFirstOccurrence(ownerId: Types.ObjectId, input: ScheduleCheckInInput, now: Date) {
  const profile = await CheckInProfileModel.findOne({ ownerId }, { encryptedDisplayName: 1, timeZone: 1, language: 1, pinHash: 1, duressPinHash: 1, pinFailures: 1, pinLockedUntil: 1, teamNetworkTeamId: 1, teamNetworkTier: 1 }).lean();
  if (!profile) throw profileRequired();
  const timeZone = input.timeZone ?? profile.timeZone;
  // Every kind of the union fits this one shape; the timeZone, when omitted, is the profile's.
  const given: Schedule & { dueAt?: string; startAt?: string } = input.schedule;
  const { dueAt: dueAtText, startAt: startAtText, ...schedule } = given;
  const dueAt = firstDueAt({ ...schedule, dueAt: dueAtText ? new Date(dueAtText) : undefined, startAt: startAtText ? new Date(startAtText) : undefined }, timeZone, now);
  if (dueAt <= now) throw errors.badRequest('due_in_past', 'The check-in time must be in the future.');
  if (dueAt.getTime() - now.getTime() > MAX_AHEAD_MS) throw errors.badRequest('due_too_far', 'The check-in time must be within a year.');
  return { profile, timeZone, schedule, dueAt };
}

/** What scheduling this check-in would send, to whom and in which order; nothing is written. */
export async function previewCheckInAlert(deps: Pick<SafetyDeps, 'clock' | 'fieldCipher'>, who: AuthenticatedAccount, input: ScheduleCheckInInput): Promise<AlertPreview> {
  const ownerId = new Types.ObjectId(who.accountId);
  const { profile, timeZone, dueAt } = await resolveFirstOccurrence(ownerId, input, deps.clock.now());
  return previewAlertFor(deps, ownerId, { name: deps.fieldCipher.decrypt(profile.encryptedDisplayName), message: input.alertMessage, place: input.place, dueAt, timeZone });
}

export async function scheduleCheckIn(deps: Pick<SafetyDeps, 'clock' | 'fieldCipher' | 'wake'>, who: AuthenticatedAccount, input: ScheduleCheckInInput): Promise<{ checkIn: CheckInView; alertSize: AlertSizeView }> {
  const now = deps.clock.now();
  const ownerId = new Types.ObjectId(who.accountId);
  // Scheduling is allowed when nobody has opted in yet; the reply's reach says so, and the screen warns.
  const { profile, timeZone, schedule, dueAt } = await resolveFirstOccurrence(ownerId, input, now);

  const created = await CheckInModel.create({
    ownerId,
    encryptedSchedule: sealSchedule(deps.fieldCipher, { schedule, graceMinutes: input.graceMinutes }),
    timeZone,
    encryptedAlertMessage: deps.fieldCipher.encrypt(input.alertMessage),
    encryptedPlace: input.place ? deps.fieldCipher.encrypt(input.place) : undefined,
    state: 'scheduled',
    dueAt,
    deadline: deadlineFor(dueAt, input.graceMinutes),
    pins: pinCopyOf(profile),
  });
  // A PIN change between the read above and this insert copied its PINs to every check-in but this
  // one: read the PINs again, and if they moved, copy them here too (else an old PIN would check in).
  const current = await CheckInProfileModel.findOne({ ownerId }, { pinHash: 1, duressPinHash: 1, pinFailures: 1, pinLockedUntil: 1 }).lean();
  if (current && (current.pinHash !== profile.pinHash || current.duressPinHash !== profile.duressPinHash)) {
    await CheckInModel.updateOne({ _id: created._id }, { $set: { pins: pinCopyOf(current) } });
  }
  deps.wake?.(created.deadline);
  // Resolved once, from the profile just read, for both the alert's size and the reach.
  const teamNetwork = await chosenTeamNetwork(ownerId, profile);
  const alertSize = await measureAlert(ownerId, teamNetwork, profile.language, deps.fieldCipher.decrypt(profile.encryptedDisplayName), input.alertMessage, input.place);
  return { checkIn: checkInView(deps, created.toObject(), now, await alertReach(deps, ownerId, teamNetwork)), alertSize };
}

/** Counts what the alert will cost in SMS segments; long messages are warned about, never cut. */
async function measureAlert(ownerId: Types.ObjectId, teamNetwork: ChosenTeamNetwork | null, profileLanguage: Language, name: string, message: string, place?: string): Promise<AlertSizeView> {
  // A Khmer or Burmese responder gets it in UCS-2 (70 characters a segment) even when all her own contacts read English.
  const languages = new Set<Language>([profileLanguage, ...(await TrustedContactModel.distinct('language', { ownerId })), ...(await teamNetworkLanguages(teamNetwork))]);
  let worst = countSegments('');
  for (const language of languages) {
    const text = renderAlert({ language, duress: true, name, time: '18:00 (UTC-12)', message, place, ref: SAMPLE_REPLY_REF });
    const count = countSegments(text);
    if (count.segments > worst.segments) worst = count;
  }
  const warning =
    worst.segments > 2
      ? `The alert will go out as ${worst.segments} SMS segments${worst.encoding === 'UCS-2' ? ' (a character outside the basic SMS alphabet makes each segment hold 67 characters)' : ''}. It is sent whole, but a shorter message arrives faster and costs less.`
      : null;
  return { segments: worst.segments, encoding: worst.encoding, warning };
}
