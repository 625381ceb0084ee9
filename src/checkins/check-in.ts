import { Types } from 'mongoose';
import type { SafetyDeps } from '../safety/deps';
import { openDuressAlert } from './open-alert';
import { resolveAlert } from './resolve-alert';
import { recordEvent } from '../safety/timeline';
import type { AuthenticatedAccount } from '../shared/authenticated-account';
import { errors } from '../shared/errors';
import { alertReach } from './alert-reach';
import { checkPin, checkPinAgainst, type PinOutcome, type ProfileDoc } from './check-in-pins';
import { CheckInModel, type CheckIn } from './check-in.model';
import { newOutcome, OUTCOME_LEASE_MS, sealOutcome, settleAfterReply } from './check-in-outcomes';
import { nextOccurrenceOf } from './schedule-at-rest';
import type { CheckedInReply } from '../safety/check-in.schemas';
import { checkInView, type CheckInView } from './views';

type CheckInDoc = CheckIn & { _id: Types.ObjectId };
type Deps = Pick<SafetyDeps, 'clock' | 'fieldCipher' | 'logger' | 'serverKeys'>;

/** A reply, and what must happen right after it is sent (and is recovered if the process dies first). */
export interface CheckedIn {
  reply: CheckedInReply;
  afterReply: () => Promise<void>;
}

// A one-off being settled is gone for the defender: never served, never checked in twice.
const live = { state: { $ne: 'settling' } };

/**
 * Check in from the app with the PIN: one read of the check-in (it carries a copy of the PIN hashes)
 * and one guarded update, on top of the session's read. A duress PIN costs the request exactly the
 * same: the same read, the same update with an outcome sealed to the same length, the same reply.
 * The duress alert opens right after the reply (afterReply), or, if this process dies first, from the
 * sealed outcome at the next start-up (finishCheckInOutcomes). A late check-in's alert ends the same way.
 */
export async function checkInWithPin(deps: Deps, who: AuthenticatedAccount, checkInId: string, pin: string): Promise<CheckedIn> {
  const ownerId = new Types.ObjectId(who.accountId);
  const checkIn = await CheckInModel.findOne({ _id: checkInId, ownerId, ...live }).lean<CheckInDoc>();
  if (!checkIn) throw errors.notFound();
  // Check-ins scheduled before the copy existed read the profile, as before.
  const outcome = checkIn.pins ? await checkPinAgainst(deps, ownerId, checkIn.pins, pin) : (await checkPin(deps, ownerId, pin)).outcome;
  return satisfyOccurrence(deps, ownerId, checkInId, outcome, checkIn);
}

/** Check in by SMS from the defender's registered phone: satisfies every pending check-in of theirs. */
export async function checkInEverything(deps: Deps, profile: ProfileDoc, outcome: PinOutcome): Promise<number> {
  // Equality on the owner: FerretDB pushes it down, so this reads her check-ins, not everyone's.
  const checkIns = (await CheckInModel.find({ ownerId: profile.ownerId }).lean<CheckInDoc[]>()).filter((c) => c.state !== 'settling');
  let duressPending = outcome === 'duress';
  const afterwards: CheckedIn['afterReply'][] = [];
  for (const checkIn of checkIns) {
    // One duress alert is enough; the other check-ins simply move on.
    const done = await satisfyOccurrence(deps, profile.ownerId, String(checkIn._id), duressPending ? 'duress' : 'normal', checkIn).catch((error: unknown) => {
      if ((error as { code?: string }).code !== 'not_found') throw error;
      return undefined;
    });
    if (done) afterwards.push(done.afterReply);
    duressPending = false;
  }
  for (const work of afterwards) await work();
  if (duressPending) await openDuressAlert(deps, { _id: new Types.ObjectId(), ownerId: profile.ownerId, encryptedAlertMessage: deps.fieldCipher.encrypt(''), timeZone: profile.timeZone, dueAt: deps.clock.now() }, profile);
  return checkIns.length;
}

async function satisfyOccurrence(deps: Deps, ownerId: Types.ObjectId, checkInId: string, pin: PinOutcome, firstRead: CheckInDoc): Promise<CheckedIn> {
  const now = deps.clock.now();
  let checkIn: CheckInDoc | null = firstRead;
  // A guarded update can lose to the scheduler marking the check-in missed at the same moment: only
  // then is the check-in read again.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    if (attempt > 0) checkIn = await CheckInModel.findOne({ _id: checkInId, ownerId, ...live }).lean<CheckInDoc>();
    if (!checkIn) throw errors.notFound();
    const next = nextOccurrenceOf(deps.fieldCipher, checkIn, now);
    const outcome = newOutcome(pin, now, checkIn.state === 'missed' ? checkIn.alertId : undefined);
    // Both PINs write exactly this: the outcome is sealed to one length, and the lease says this
    // instance settles it right after the reply (the recovery sweep waits for the lease to run out).
    const settling = { lastCheckedInAt: now, outcomesPending: true, outcomesLeaseUntil: new Date(now.getTime() + OUTCOME_LEASE_MS) };
    const moved = await CheckInModel.findOneAndUpdate(
      { _id: checkIn._id, state: checkIn.state, dueAt: checkIn.dueAt },
      {
        $set: { ...settling, ...(next ?? { state: 'settling' }) },
        $unset: { alertId: 1 },
        $push: { encryptedOutcomes: sealOutcome(deps, outcome) },
      },
      { new: true },
    ).lean<CheckInDoc>();
    if (!moved) continue;
    return {
      reply: { checkInId: String(checkIn._id), checkedInAt: now.toISOString(), nextDueAt: next ? next.dueAt.toISOString() : null },
      afterReply: () => settleAfterReply(deps, moved, outcome),
    };
  }
  throw errors.conflict('check_in_changed', 'The check-in changed while you were checking in. Try again.');
}

/** Cancel with the PIN. With the duress PIN it looks cancelled, and the alert starts. */
export async function cancelCheckIn(deps: Deps, who: AuthenticatedAccount, checkInId: string, pin: string): Promise<CheckedInReply> {
  const ownerId = new Types.ObjectId(who.accountId);
  const checkIn = await CheckInModel.findOne({ _id: checkInId, ownerId, ...live }).lean<CheckInDoc>();
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
  const checkIns = await CheckInModel.find({ ownerId: who.accountId, ...live }).sort({ dueAt: 1 }).limit(200).lean<CheckInDoc[]>();
  const reach = await alertReach(deps, who.accountId);
  return checkIns.map((c) => checkInView(deps, c, now, reach));
}

export async function getCheckIn(deps: Pick<SafetyDeps, 'clock' | 'fieldCipher'>, who: AuthenticatedAccount, checkInId: string): Promise<CheckInView> {
  const checkIn = await CheckInModel.findOne({ _id: checkInId, ownerId: who.accountId, ...live }).lean<CheckInDoc>();
  if (!checkIn) throw errors.notFound();
  return checkInView(deps, checkIn, deps.clock.now(), await alertReach(deps, who.accountId));
}
