import type { Types } from 'mongoose';
import { CheckInModel } from './check-in.model';
import { nextOccurrenceOf } from './schedule-at-rest';
import { AlertModel } from '../alerts/alert.model';
import type { SafetyDeps } from '../safety/deps';
import { readSlots } from '../safety/slots';

/**
 * When the scheduler checks a resolved alert's check-in: a minute after resolving, far longer than the
 * one update the caller still has to make, so a caller that is merely slow is never raced.
 */
const RECOVERY_DELAY_MS = 60_000;

export function recoveryAt(resolvedAt: Date): Date {
  return new Date(resolvedAt.getTime() + RECOVERY_DELAY_MS);
}

/**
 * A late check-in resolves the alert first and moves the check-in on second; a crash between the
 * two leaves a check-in `missed` behind a resolved alert. Resolving gives the alert a recovery slot;
 * here each resolved alert of the slots due is looked at once, and a check-in it left behind is moved
 * on (by equality on its slot, never by reading every missed check-in).
 */
export async function recoverStrandedCheckIns(deps: SafetyDeps, { now }: { now: Date }): Promise<number> {
  const pass = await readSlots<{ _id: Types.ObjectId; checkInId?: Types.ObjectId; resolvedAt?: Date }>({
    kind: 'recoveries',
    now,
    limit: deps.config.SCHEDULER_BATCH_SIZE,
    read: (slot, limit) => AlertModel.find({ recoverySlot: slot, state: 'resolved' }, { _id: 1, checkInId: 1, resolvedAt: 1 }).limit(limit).lean(),
    actionAt: (alert) => (alert.resolvedAt ? recoveryAt(alert.resolvedAt) : null),
    earliestPending: async (fromSlot) => (await AlertModel.findOne({ state: 'resolved', recoverySlot: { $gte: fromSlot } }, { recoverySlot: 1 }).sort({ recoverySlot: 1 }).lean())?.recoverySlot ?? null,
  });
  let moved = 0;
  for (const alert of pass.due) {
    if (alert.checkInId && (await moveOnStrandedCheckIn(deps, alert.checkInId, alert._id, now))) moved += 1;
  }
  await pass.commit();
  return moved;
}

async function moveOnStrandedCheckIn(deps: SafetyDeps, checkInId: Types.ObjectId, alertId: Types.ObjectId, now: Date): Promise<boolean> {
  const guard = { _id: checkInId, state: 'missed', alertId };
  const checkIn = await CheckInModel.findOne(guard).lean();
  if (!checkIn) return false; // moved on by the check-in itself, as normally
  const next = nextOccurrenceOf(deps.fieldCipher, checkIn, now);
  const result = next
    ? await CheckInModel.updateOne(guard, { $set: next, $unset: { alertId: 1 } })
    : await CheckInModel.deleteOne(guard);
  return ('modifiedCount' in result ? result.modifiedCount : result.deletedCount) > 0;
}
