import type { Types } from 'mongoose';
import { CheckInModel, type CheckIn } from '../checkins/check-in.model';
import { CheckInProfileModel } from '../checkins/check-in-profile.model';
import { missedOccurrenceKey, sealDuress } from './alert-secrets';
import { AlertModel } from './alert.model';
import { forEachConcurrently } from '../shared/concurrency';
import type { SafetyDeps, StepResult } from './deps';
import { readSlots } from './slots';
import { minuteSlot } from '../shared/time-slots';
import { isDuplicateKeyError } from '../shared/duplicate-key';
import { recordEvent } from './timeline';

type CheckInDoc = CheckIn & { _id: Types.ObjectId };

/**
 * Step 1 of a tick: every scheduled check-in whose deadline (due + grace) has passed gets an alert.
 * Crash-safe without transactions, in three idempotent steps:
 *   1. create the alert in state `opening`, keyed by (check-in, deadline): a retry finds the same one;
 *   2. mark the check-in missed with one guarded update (only if it is still that scheduled occurrence);
 *   3. set the alert escalating, due now, so step 2 of this same tick sends tier 1.
 * An alert left `opening` (crash, or the defender checked in between 1 and 2) is finished or discarded below.
 */
export async function escalateMissedCheckIns(deps: SafetyDeps, { now }: { now: Date }): Promise<StepResult> {
  // Equality on (slot, state) per minute slot from the watermark: the cost follows what is due, not
  // the number of scheduled check-ins (a range on deadline reads every document on FerretDB).
  const pass = await readSlots<CheckInDoc>({
    kind: 'checkins',
    now,
    limit: deps.config.SCHEDULER_BATCH_SIZE,
    read: (slot, limit) => CheckInModel.find({ deadlineSlot: slot, state: 'scheduled' }).limit(limit).lean<CheckInDoc[]>(),
    actionAt: (checkIn) => checkIn.deadline,
    earliestPending: earliestScheduledSlot,
    notYetDue: (_checkIn, at) => deps.wake?.(at),
    lookahead: deps.wake ? 1 : 0,
    backfill: async () => {
      const unslotted = await CheckInModel.find({ deadlineSlot: { $exists: false } }, { deadline: 1 }).lean();
      if (unslotted.length > 0) await CheckInModel.bulkWrite(unslotted.map((c) => ({ updateOne: { filter: { _id: c._id, deadline: c.deadline }, update: { $set: { deadlineSlot: minuteSlot(c.deadline) } } } })));
    },
  });
  let opened = 0;
  await forEachConcurrently(pass.due, deps.config.SCHEDULER_CONCURRENCY, async (checkIn) => {
    if (await openAlertForMissed(deps, checkIn, now)) opened += 1;
  });
  await pass.commit();
  await finishOpeningAlerts(deps, now);
  // Only worth another round if this one made progress (others may hold the rest).
  return { count: opened, batchFull: pass.more && opened > 0 };
}

/** Only when a long gap is caught up (or the watermark is first created): a range, read once. */
async function earliestScheduledSlot(fromSlot: number): Promise<number | null> {
  const first = await CheckInModel.findOne({ state: 'scheduled', deadlineSlot: { $gte: fromSlot } }, { deadlineSlot: 1 }).sort({ deadlineSlot: 1 }).lean();
  return first?.deadlineSlot ?? null;
}

async function openAlertForMissed(deps: SafetyDeps, checkIn: CheckInDoc, now: Date): Promise<boolean> {
  const profile = await CheckInProfileModel.findOne({ ownerId: checkIn.ownerId }, { encryptedDisplayName: 1 }).lean();
  if (!profile) return false;
  // Later than a couple of ticks means no instance was running at the deadline.
  const delayed = now.getTime() - checkIn.deadline.getTime() > 2 * deps.config.SCHEDULER_TICK_SECONDS * 1000;
  const occurrenceKey = missedOccurrenceKey(deps.serverKeys.lookupKey, checkIn._id, checkIn.deadline);
  let alert;
  try {
    alert = await AlertModel.findOneAndUpdate(
      { occurrenceKey },
      {
        $setOnInsert: {
          ownerId: checkIn.ownerId,
          checkInId: checkIn._id,
          occurrenceKey,
          state: 'opening',
          openingSince: now,
          encryptedDuress: sealDuress(deps.fieldCipher, { duress: false, coverResolvedAt: null }),
          delayed,
          missedAt: checkIn.deadline,
          dueAt: checkIn.dueAt,
          tierIndex: -1,
          round: 0,
          encryptedDisplayName: profile.encryptedDisplayName,
          encryptedAlertMessage: checkIn.encryptedAlertMessage,
          encryptedPlace: checkIn.encryptedPlace,
          timeZone: checkIn.timeZone,
        },
      },
      { upsert: true, new: true },
    ).lean();
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    alert = await AlertModel.findOne({ occurrenceKey }).lean();
  }
  if (!alert) return false;
  const marked = await CheckInModel.updateOne(
    { _id: checkIn._id, state: 'scheduled', deadline: checkIn.deadline },
    { $set: { state: 'missed', alertId: alert._id } },
  );
  if (marked.modifiedCount === 0) {
    const current = await CheckInModel.findOne({ _id: checkIn._id }, { alertId: 1 }).lean();
    if (!current || String(current.alertId) !== String(alert._id)) return false; // checked in just in time; the opening alert is discarded later
  }
  return startEscalating(deps, alert._id, checkIn.ownerId, checkIn._id, now, alert.delayed);
}

async function startEscalating(deps: SafetyDeps, alertId: Types.ObjectId, ownerId: Types.ObjectId, checkInId: Types.ObjectId, now: Date, delayed: boolean): Promise<boolean> {
  const started = await AlertModel.updateOne({ _id: alertId, state: 'opening' }, { $set: { state: 'escalating', nextActionAt: now, actionSlot: minuteSlot(now) } });
  if (started.modifiedCount === 0) return false;
  await recordEvent(deps, { ownerId, alertId, checkInId, kind: 'missed', at: now, key: `missed:${String(alertId)}`, detail: delayed ? 'delayed: no scheduler was running at the deadline' : undefined });
  deps.logger.info({ event: 'alert_opened', alertId: String(alertId), delayed }, 'a check-in was missed; alert opened');
  return true;
}

/**
 * Alerts stuck in `opening` for longer than a lease: finish them if their check-in points at them, else
 * drop them. Only alerts between two steps of opening hold that state, so equality on it reads a few
 * documents however many alerts exist; the age is filtered here.
 */
export async function finishOpeningAlerts(deps: SafetyDeps, now: Date): Promise<void> {
  const stale = now.getTime() - deps.config.SCHEDULER_LEASE_SECONDS * 1000;
  const opening = await AlertModel.find({ state: 'opening' }).limit(deps.config.SCHEDULER_BATCH_SIZE).lean();
  for (const alert of opening) {
    if ((alert.openingSince ?? alert.createdAt).getTime() >= stale) continue; // still being opened by whoever created it
    const checkIn = alert.checkInId ? await CheckInModel.findOne({ _id: alert.checkInId }, { alertId: 1, state: 1 }).lean() : null;
    if (checkIn && String(checkIn.alertId) === String(alert._id)) {
      await startEscalating(deps, alert._id, alert.ownerId, checkIn._id, now, true);
    } else if (!checkIn || checkIn.state === 'scheduled') {
      await AlertModel.deleteOne({ _id: alert._id, state: 'opening' });
    }
  }
}
