import { Types } from 'mongoose';
import type { SafetyDeps } from '../alerts/deps';
import { openDuressAlert } from '../alerts/open-alert';
import { resolveAlert } from '../alerts/resolve-alert';
import { recordEvent } from '../alerts/timeline';
import type { AuthenticatedAccount } from '../http/route';
import { errors } from '../shared/errors';
import { alertReach } from './alert-reach';
import { checkPin, type PinOutcome, type ProfileDoc } from './check-in-pins';
import { CheckInModel, type CheckIn } from './check-in.model';
import { deadlineFor, nextDueAt } from './schedule';
import { openSchedule } from './schedule-at-rest';
import { checkInView, type CheckedInReply, type CheckInView } from './views';

type CheckInDoc = CheckIn & { _id: Types.ObjectId };
type Deps = Pick<SafetyDeps, 'clock' | 'fieldCipher' | 'logger' | 'serverKeys'>;

/**
 * Check in from the app with the PIN. A duress PIN gives exactly the same reply, and the check-in
 * moves on exactly as after a real one; behind it, an alert starts escalating at the next tick.
 * A late check-in (after the deadline) resolves the alert and sends everyone alerted an all-clear.
 */
export async function checkInWithPin(deps: Deps, who: AuthenticatedAccount, checkInId: string, pin: string): Promise<CheckedInReply> {
  const ownerId = new Types.ObjectId(who.accountId);
  if (!(await CheckInModel.exists({ _id: checkInId, ownerId }))) throw errors.notFound();
  const { profile, outcome } = await checkPin(deps, ownerId, pin);
  return satisfyOccurrence(deps, profile, checkInId, outcome);
}

/** Check in by SMS from the defender's registered phone: satisfies every pending check-in of theirs. */
export async function checkInEverything(deps: Deps, profile: ProfileDoc, outcome: PinOutcome): Promise<number> {
  const checkIns = await CheckInModel.find({ ownerId: profile.ownerId }, { _id: 1 }).lean();
  let duressPending = outcome === 'duress';
  for (const { _id } of checkIns) {
    // One duress alert is enough; the other check-ins simply move on.
    await satisfyOccurrence(deps, profile, String(_id), duressPending ? 'duress' : 'normal').catch((error: unknown) => {
      if ((error as { code?: string }).code !== 'not_found') throw error;
    });
    duressPending = false;
  }
  if (duressPending) await openDuressAlert(deps, { _id: new Types.ObjectId(), ownerId: profile.ownerId, encryptedAlertMessage: deps.fieldCipher.encrypt(''), timeZone: profile.timeZone, dueAt: deps.clock.now() }, profile);
  return checkIns.length;
}

async function satisfyOccurrence(deps: Deps, profile: ProfileDoc, checkInId: string, outcome: PinOutcome): Promise<CheckedInReply> {
  const now = deps.clock.now();
  let duressOpened = false;
  // A guarded update can lose to the scheduler marking the check-in missed at the same moment: reread and retry.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const checkIn = await CheckInModel.findOne({ _id: checkInId, ownerId: profile.ownerId }).lean<CheckInDoc>();
    if (!checkIn) throw errors.notFound();
    const { schedule, graceMinutes } = openSchedule(deps.fieldCipher, checkIn);
    const next = nextDueAt(schedule, checkIn.timeZone, checkIn.dueAt, now);
    const guard = { _id: checkIn._id, state: checkIn.state, dueAt: checkIn.dueAt };

    // Duress: the alert first, so a crash before the check-in moves on can only over-alert, never under-alert.
    if (outcome === 'duress' && (!duressOpened || checkIn.state === 'missed')) {
      await openDuressAlert(deps, checkIn, profile, checkIn.state === 'missed' ? checkIn.alertId : undefined);
      duressOpened = true;
    }
    // Normal late check-in: stop the alert first, so a crash before the next line never leaves it running.
    if (outcome === 'normal' && checkIn.state === 'missed' && checkIn.alertId) await resolveAlert(deps, checkIn.alertId, 'checked_in');

    const moved = next
      ? (await CheckInModel.updateOne(guard, { $set: { state: 'scheduled', dueAt: next, deadline: deadlineFor(next, graceMinutes), lastCheckedInAt: now }, $unset: { alertId: 1 } })).modifiedCount
      : (await CheckInModel.deleteOne(guard)).deletedCount;
    if (moved === 0) continue;
    await recordEvent(deps, { ownerId: profile.ownerId, checkInId: checkIn._id, alertId: checkIn.alertId, kind: 'checked_in', at: now, detail: checkIn.state === 'missed' ? 'late' : undefined });
    return { checkInId: String(checkIn._id), checkedInAt: now.toISOString(), nextDueAt: next ? next.toISOString() : null };
  }
  throw errors.conflict('check_in_changed', 'The check-in changed while you were checking in. Try again.');
}

/** Cancel with the PIN. With the duress PIN it looks cancelled, and the alert starts. */
export async function cancelCheckIn(deps: Deps, who: AuthenticatedAccount, checkInId: string, pin: string): Promise<CheckedInReply> {
  const ownerId = new Types.ObjectId(who.accountId);
  const checkIn = await CheckInModel.findOne({ _id: checkInId, ownerId }).lean<CheckInDoc>();
  if (!checkIn) throw errors.notFound();
  const { profile, outcome } = await checkPin(deps, ownerId, pin);
  const now = deps.clock.now();
  if (outcome === 'duress') await openDuressAlert(deps, checkIn, profile, checkIn.state === 'missed' ? checkIn.alertId : undefined);
  else if (checkIn.state === 'missed' && checkIn.alertId) await resolveAlert(deps, checkIn.alertId, 'cancelled');
  await CheckInModel.deleteOne({ _id: checkIn._id, ownerId });
  await recordEvent(deps, { ownerId, checkInId: checkIn._id, alertId: checkIn.alertId, kind: 'cancelled', at: now });
  return { checkInId: String(checkIn._id), checkedInAt: now.toISOString(), nextDueAt: null };
}

export async function listCheckIns(deps: Pick<SafetyDeps, 'clock' | 'fieldCipher'>, who: AuthenticatedAccount): Promise<CheckInView[]> {
  const now = deps.clock.now();
  const checkIns = await CheckInModel.find({ ownerId: who.accountId }).sort({ dueAt: 1 }).limit(200).lean<CheckInDoc[]>();
  const reach = await alertReach(deps, who.accountId);
  return checkIns.map((c) => checkInView(deps, c, now, reach));
}

export async function getCheckIn(deps: Pick<SafetyDeps, 'clock' | 'fieldCipher'>, who: AuthenticatedAccount, checkInId: string): Promise<CheckInView> {
  const checkIn = await CheckInModel.findOne({ _id: checkInId, ownerId: who.accountId }).lean<CheckInDoc>();
  if (!checkIn) throw errors.notFound();
  return checkInView(deps, checkIn, deps.clock.now(), await alertReach(deps, who.accountId));
}
