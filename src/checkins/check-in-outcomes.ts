import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { openDuress } from '../alerts/alert-secrets';
import { AlertModel } from '../alerts/alert.model';
import type { SafetyDeps } from '../safety/deps';
import { openDuressAlert } from './open-alert';
import { resolveAlert } from './resolve-alert';
import { recordEvent } from '../safety/timeline';
import { openJson, sealJson } from '../shared/field-encryption';
import type { PinOutcome } from './check-in-pins';
import { CheckInProfileModel } from '../safety/check-in-profile.model';
import { CheckInModel, type CheckIn } from './check-in.model';

type CheckInDoc = CheckIn & { _id: Types.ObjectId };
export type OutcomeDeps = Pick<SafetyDeps, 'clock' | 'fieldCipher' | 'logger' | 'serverKeys'>;

/**
 * One check-in, as the update that moved the check-in on records it: sealed to one length, so a copy of
 * the database cannot tell a duress check-in from a real one. It stands for the timeline event until
 * it is moved to history, and for the work a check-in leaves behind (a duress alert to open, a late
 * check-in's alert to end) until that is done, so a crash right after the reply loses neither.
 */
export interface CheckInOutcome {
  id: string;
  pin: PinOutcome;
  at: string;
  /** The open alert of a missed check-in: ended (normal PIN) or taken over (duress PIN). */
  alertId: string | null;
}

/** Larger than any outcome (about 120 characters), so every sealed outcome has one length. */
const OUTCOME_BLOCK = 192;
/** The instance that wrote an outcome settles it within this; after it, the recovery sweep may. */
export const OUTCOME_LEASE_MS = 10_000;

export function newOutcome(pin: PinOutcome, at: Date, alertId: Types.ObjectId | undefined): CheckInOutcome {
  return { id: randomBytes(12).toString('base64url'), pin, at: at.toISOString(), alertId: alertId ? String(alertId) : null };
}

export function sealOutcome(deps: Pick<SafetyDeps, 'fieldCipher'>, outcome: CheckInOutcome): string {
  return sealJson(deps.fieldCipher, outcome, OUTCOME_BLOCK);
}

// Settlements started after a reply and not finished yet: a graceful stop waits for them (so a duress
// alert is not left to the next start-up), and so do tests before they tick.
const inFlight = new Set<Promise<void>>();

/** Runs `work` once the reply now being sent is written (setImmediate comes after this turn's reply). */
export function runAfterReply(work: () => Promise<void>, onError: (error: unknown) => void): void {
  const running: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
    .then(work)
    .catch(onError)
    .finally(() => inFlight.delete(running));
  inFlight.add(running);
}

/** Resolves once every settlement started so far (and any they started) has finished. */
export async function afterRepliesSettled(): Promise<void> {
  while (inFlight.size > 0) await Promise.all([...inFlight]);
}

/**
 * What the instance that answered does right after the reply (never before it: the duress answer must
 * cost the request exactly what a real one does). `moved` is the check-in as the update left it.
 */
export async function settleAfterReply(deps: OutcomeDeps, moved: CheckInDoc, outcome: CheckInOutcome): Promise<void> {
  // The duress alert, and a late check-in's all-clear, at once; then the history. Every outcome is
  // settled right away (not batched) so `outcomesPending` only marks check-ins answered a moment ago:
  // the recovery sweep in every tick then reads what a crash left, not every defender's check-in.
  await actOn(deps, moved, outcome);
  await moveToHistory(deps, moved, moved.encryptedOutcomes ?? []);
}

/** The alert work an outcome leaves behind. Idempotent: the recovery sweep may repeat it after a crash. */
async function actOn(deps: OutcomeDeps, checkIn: CheckInDoc, outcome: CheckInOutcome): Promise<void> {
  const at = new Date(outcome.at);
  const alertId = outcome.alertId ? new Types.ObjectId(outcome.alertId) : undefined;
  if (outcome.pin === 'duress') await openDuressAlertOnce(deps, checkIn, at, alertId);
  else if (alertId) await resolveAlert(deps, alertId, 'checked_in');
}

/**
 * Opens the duress alert of an outcome unless it already is open (a repeat after a crash must not
 * text the network twice). The alert is dated at the check-in, so a repeat finds it by check-in and time.
 */
async function openDuressAlertOnce(deps: OutcomeDeps, checkIn: CheckInDoc, at: Date, takeOver: Types.ObjectId | undefined): Promise<void> {
  const candidates = await AlertModel.find({ checkInId: checkIn._id }, { encryptedDuress: 1, missedAt: 1 }).lean();
  const opened = candidates.some((a) => {
    const duress = openDuress(deps.fieldCipher, a);
    return duress.duress && (a.missedAt.getTime() === at.getTime() || (takeOver && String(a._id) === String(takeOver) && duress.coverResolvedAt?.getTime() === at.getTime()));
  });
  if (opened) return;
  // A wiped profile still gets its alert, unnamed: losing a call for help is worse.
  const profile = (await CheckInProfileModel.findOne({ ownerId: checkIn.ownerId }, { encryptedDisplayName: 1 }).lean()) ?? { encryptedDisplayName: deps.fieldCipher.encrypt('') };
  await openDuressAlert({ ...deps, clock: { now: () => at } }, checkIn, profile, takeOver);
}

/** Writes the outcomes' timeline events (idempotently, by outcome id), then takes them off the check-in. */
async function moveToHistory(deps: OutcomeDeps, checkIn: CheckInDoc, sealed: string[]): Promise<void> {
  for (const stored of sealed) {
    const outcome = openJson<CheckInOutcome>(deps.fieldCipher, stored);
    const alertId = outcome.alertId ? new Types.ObjectId(outcome.alertId) : undefined;
    await recordEvent(deps, { ownerId: checkIn.ownerId, checkInId: checkIn._id, alertId, kind: 'checked_in', at: new Date(outcome.at), detail: alertId ? 'late' : undefined, key: `checked_in:${outcome.id}` });
  }
  if (checkIn.state === 'settling') {
    await CheckInModel.deleteOne({ _id: checkIn._id, state: 'settling' });
    return;
  }
  // Usually the list is still exactly what was moved: one update clears it. If a check-in came in
  // meanwhile, only what was moved goes, and the newer outcome stays pending.
  const cleared = await CheckInModel.updateOne({ _id: checkIn._id, encryptedOutcomes: sealed }, { $unset: { encryptedOutcomes: 1, outcomesPending: 1 } });
  if (cleared.modifiedCount === 0) await CheckInModel.updateOne({ _id: checkIn._id }, { $pullAll: { encryptedOutcomes: sealed } });
}

/**
 * Recovery: settles what an instance that crashed after replying left behind (its lease ran out).
 * Belongs in every tick; at start-up it runs with `atStartUp`, taking leases that have not run out yet
 * too (the process that held them may be this one before it crashed; if it is another, live one, the
 * worst case is the same duress alert checked for twice at the same moment: over-alerting, never silence).
 * Reads only check-ins with pending outcomes, by equality, a batch at a time.
 */
export async function finishCheckInOutcomes(deps: OutcomeDeps, { atStartUp = false, limit = 100 } = {}): Promise<number> {
  let settled = 0;
  // At start-up, every batch until none is left; in a tick, one batch (the next tick takes the rest).
  for (let batch = 0; batch === 0 || atStartUp; batch += 1) {
    const found = await settleBatch(deps, atStartUp, limit);
    settled += found.settled;
    if (found.read < limit || found.settled === 0) break;
  }
  return settled;
}

async function settleBatch(deps: OutcomeDeps, atStartUp: boolean, limit: number): Promise<{ read: number; settled: number }> {
  const now = deps.clock.now();
  const pending = await CheckInModel.find({ outcomesPending: true }, { _id: 1, outcomesLeaseUntil: 1 }).limit(limit).lean();
  let settled = 0;
  for (const { _id, outcomesLeaseUntil } of pending) {
    if (!atStartUp && outcomesLeaseUntil && outcomesLeaseUntil > now) continue;
    const claimed = await CheckInModel.findOneAndUpdate(
      { _id, outcomesPending: true, outcomesLeaseUntil: outcomesLeaseUntil ?? { $exists: false } },
      { $set: { outcomesLeaseUntil: new Date(now.getTime() + OUTCOME_LEASE_MS) } },
      { new: true },
    ).lean<CheckInDoc>();
    if (!claimed) continue;
    const sealed = claimed.encryptedOutcomes ?? [];
    for (const stored of sealed) await actOn(deps, claimed, openJson<CheckInOutcome>(deps.fieldCipher, stored));
    await moveToHistory(deps, claimed, sealed);
    settled += 1;
  }
  return { read: pending.length, settled };
}
