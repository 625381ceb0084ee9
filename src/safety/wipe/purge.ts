import { CheckInModel } from '../../checkins/check-in.model';
import { openSchedule, sealSchedule } from '../../checkins/schedule-at-rest';
import { AlertModel } from '../../alerts/alert.model';
import type { SafetyDeps } from '../deps';
import { OutboxModel } from '../outbox/outbox.model';
import { PendingWipeModel } from './pending-wipe.model';

// A wiped account's safety data is never kept longer than this, whatever is still pending.
export const MAX_WIPE_DEFERRAL_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * The panic wipe for check-ins, contacts and alerts. A wipe must never silence a defender: someone who
 * forces her to wipe her account (or seizes the phone and does it) must not stop her network from
 * being alerted. So a pending check-in keeps its deadline (a recurring one only its next occurrence)
 * and an alert still escalating goes on; everything goes once that work ends (checked in by SMS,
 * acknowledged, exhausted), or after MAX_WIPE_DEFERRAL_MS. Without such work, everything goes at once.
 */
export function purgeSafetyDataOnWipe(deps: Pick<SafetyDeps, 'clock' | 'logger' | 'fieldCipher' | 'safetyPurgers'>) {
  return async (accountId: string): Promise<void> => {
    if (!(await hasWorkThatCouldAlert(accountId))) {
      await purgeSafetyData(deps, accountId);
      return;
    }
    // Only the next occurrence stays: each schedule (sealed) becomes a one-off, guarded on the sealed value it read.
    const scheduled = await CheckInModel.find({ ownerId: accountId, state: 'scheduled' }, { encryptedSchedule: 1 }).lean();
    for (const checkIn of scheduled) {
      const { graceMinutes } = openSchedule(deps.fieldCipher, checkIn);
      await CheckInModel.updateOne({ _id: checkIn._id, encryptedSchedule: checkIn.encryptedSchedule }, { $set: { encryptedSchedule: sealSchedule(deps.fieldCipher, { schedule: { kind: 'once' }, graceMinutes }) } });
    }
    await PendingWipeModel.updateOne({ _id: accountId }, { $setOnInsert: { requestedAt: deps.clock.now() } }, { upsert: true });
    deps.logger.info({ event: 'wipe_deferred' }, 'an account was wiped with pending safety work; its check-in data goes when that work ends');
  };
}

async function hasWorkThatCouldAlert(ownerId: string): Promise<boolean> {
  const [checkIn, settling, alert, message] = await Promise.all([
    CheckInModel.exists({ ownerId, state: 'scheduled' }),
    // A check-in answered a moment ago whose outcome (perhaps a duress PIN) is not yet acted on.
    CheckInModel.exists({ ownerId, outcomesPending: true }),
    AlertModel.exists({ ownerId, $or: [{ state: 'opening' }, { state: 'escalating', nextActionAt: { $ne: null } }] }),
    OutboxModel.exists({ ownerId, kind: { $ne: 'invitation' } }),
  ]);
  return Boolean(checkIn ?? settling ?? alert ?? message);
}

/** One step of the tick: finishes the wipes whose pending work has ended. Idempotent across instances. */
export async function finishPendingWipes(deps: Pick<SafetyDeps, 'config' | 'safetyPurgers'>, { now }: { now: Date }): Promise<number> {
  const wipes = await PendingWipeModel.find({}).sort({ requestedAt: 1 }).limit(deps.config.SCHEDULER_BATCH_SIZE).lean();
  let finished = 0;
  for (const wipe of wipes) {
    const ownerId = String(wipe._id);
    const overdue = now.getTime() - wipe.requestedAt.getTime() > MAX_WIPE_DEFERRAL_MS;
    if (!overdue && (await hasWorkThatCouldAlert(ownerId))) continue;
    await purgeSafetyData(deps, ownerId);
    await PendingWipeModel.deleteOne({ _id: wipe._id });
    finished += 1;
  }
  return finished;
}

/** Removes everything the safety domains hold for an account: each domain's own purger, in the order registered. Idempotent. */
export async function purgeSafetyData(deps: Pick<SafetyDeps, 'safetyPurgers'>, accountId: string): Promise<void> {
  for (const purge of deps.safetyPurgers) await purge(accountId);
}
