import { CheckInModel } from '../checkins/check-in.model';
import { deadlineFor, nextDueAt } from '../checkins/schedule';
import { openSchedule } from '../checkins/schedule-at-rest';
import { AlertModel } from './alert.model';
import type { SafetyDeps } from './deps';

/**
 * A late check-in resolves the alert first and moves the check-in on second; a crash between the
 * two leaves a check-in `missed` behind a resolved alert. Such check-ins are moved on here.
 */
export async function recoverStrandedCheckIns(deps: SafetyDeps, { now }: { now: Date }): Promise<number> {
  const missed = await CheckInModel.find({ state: 'missed' }).limit(deps.config.SCHEDULER_BATCH_SIZE).lean();
  let moved = 0;
  for (const checkIn of missed) {
    const alert = checkIn.alertId ? await AlertModel.findOne({ _id: checkIn.alertId }, { state: 1 }).lean() : null;
    if (alert && alert.state !== 'resolved') continue;
    const guard = { _id: checkIn._id, state: 'missed', alertId: checkIn.alertId };
    const { schedule, graceMinutes } = openSchedule(deps.fieldCipher, checkIn);
    const next = nextDueAt(schedule, checkIn.timeZone, checkIn.dueAt, now);
    const result = next
      ? await CheckInModel.updateOne(guard, { $set: { state: 'scheduled', dueAt: next, deadline: deadlineFor(next, graceMinutes) }, $unset: { alertId: 1 } })
      : await CheckInModel.deleteOne(guard);
    if (('modifiedCount' in result ? result.modifiedCount : result.deletedCount) > 0) moved += 1;
  }
  return moved;
}
