import { Types } from 'mongoose';
import type { SafetyDeps } from '../safety/deps';
import { openDuressAlert } from './open-alert';
import { resolveAlert } from './resolve-alert';
import { recordEvent } from '../safety/timeline';
import type { AuthenticatedAccount } from '../shared/authenticated-account';
import { errors } from '../shared/errors';
import { checkPin } from './check-in-pins';
import { CheckInModel, type CheckIn } from './check-in.model';
import type { ExtendedReply } from '../safety/check-in.schemas';
import { deadlineFor } from './schedule';
import { openSchedule } from './schedule-at-rest';

type CheckInDoc = CheckIn & { _id: Types.ObjectId };
type Deps = Pick<SafetyDeps, 'clock' | 'fieldCipher' | 'logger' | 'serverKeys'>;

/**
 * "I need 30 more minutes": moves the pending occurrence to `minutes` after its due time (or after
 * now, when it is already due or missed), with the PIN. If it was missed, its alert ends with an
 * all-clear, as after a late check-in. The duress PIN gives exactly the same reply and the same
 * visible extension, and opens (or takes over) the hidden alert, as a duress check-in does.
 */
export async function extendCheckIn(deps: Deps, who: AuthenticatedAccount, checkInId: string, pin: string, minutes: number): Promise<ExtendedReply> {
  const ownerId = new Types.ObjectId(who.accountId);
  if (!(await CheckInModel.exists({ _id: checkInId, ownerId, state: { $ne: 'settling' } }))) throw errors.notFound();
  const { profile, outcome } = await checkPin(deps, ownerId, pin);
  const now = deps.clock.now();
  let duressOpened = false;
  // A guarded update can lose to the scheduler marking the check-in missed at the same moment: reread and retry.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const checkIn = await CheckInModel.findOne({ _id: checkInId, ownerId, state: { $ne: 'settling' } }).lean<CheckInDoc>();
    if (!checkIn) throw errors.notFound();
    const from = checkIn.dueAt > now ? checkIn.dueAt : now;
    const dueAt = new Date(from.getTime() + minutes * 60_000);
    const guard = { _id: checkIn._id, state: checkIn.state, dueAt: checkIn.dueAt };

    // Duress: the alert first, so a crash before the extension is saved can only over-alert, never under-alert.
    if (outcome === 'duress' && (!duressOpened || checkIn.state === 'missed')) {
      await openDuressAlert(deps, checkIn, profile, checkIn.state === 'missed' ? checkIn.alertId : undefined);
      duressOpened = true;
    }
    // Normal PIN on a missed check-in: she is fine, so the alert stops first (a crash never leaves it running unseen).
    if (outcome === 'normal' && checkIn.state === 'missed' && checkIn.alertId) await resolveAlert(deps, checkIn.alertId, 'checked_in');

    const deadline = deadlineFor(dueAt, openSchedule(deps.fieldCipher, checkIn).graceMinutes);
    const moved = await CheckInModel.updateOne(guard, { $set: { state: 'scheduled', dueAt, deadline }, $unset: { alertId: 1 } });
    if (moved.modifiedCount === 0) continue;
    await recordEvent(deps, { ownerId, checkInId: checkIn._id, alertId: checkIn.alertId, kind: 'extended', at: now, detail: `${minutes} min` });
    return { checkInId: String(checkIn._id), dueAt: dueAt.toISOString(), deadline: deadline.toISOString() };
  }
  throw errors.conflict('check_in_changed', 'The check-in changed while you were extending it. Try again.');
}
