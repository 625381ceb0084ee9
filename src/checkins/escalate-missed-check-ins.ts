import { Types } from 'mongoose';
import { CheckInModel, type CheckIn } from './check-in.model';
import { CheckInProfileModel } from '../safety/check-in-profile.model';
import { missedOccurrenceKey, sealDuress } from '../alerts/alert-secrets';
import { AlertModel, type Alert } from '../alerts/alert.model';
import type { TeamNetworkChoice } from '../alerts/advance-escalations';
import { forEachConcurrently } from '../shared/concurrency';
import { bulkUpdate, insertManyKeepingDuplicates, newClaimToken } from '../safety/bulk';
import { leaseUntil, type SafetyDeps, type StepResult } from '../safety/deps';
import { readSlots } from '../safety/slots';
import { minuteSlot } from '../shared/time-slots';
import { recordEvent, recordEvents } from '../safety/timeline';

type CheckInDoc = CheckIn & { _id: Types.ObjectId };
type AlertDoc = Alert & { _id: Types.ObjectId };

export interface MissedCheckInsResult extends StepResult {
  /**
   * With `handOff`: the alerts this call opened, escalating and already claimed by this instance
   * (claimToken, lease, the lease expiry's slot), for advanceEscalations to plan their first tier at
   * once instead of claiming them again. Empty without `handOff`.
   */
  handedOver: AlertDoc[];
  /** With `handOff`: their owners' team network choice, read with the name (advanceEscalations' `teamNetworks`). */
  teamNetworks: Map<string, TeamNetworkChoice | null>;
}
type DueCheckIn = Pick<CheckInDoc, '_id' | 'deadline' | 'deadlineSlot' | 'claimUntil'>;

/**
 * Step 1 of a tick: every scheduled check-in whose deadline (due + grace) has passed gets an alert.
 * A burst is handled in batches, with a few bulk commands per batch instead of a chain per check-in;
 * crash-safe without transactions, each step idempotent:
 *   0. claim the batch with one `updateMany` (a token, a lease, and the slot of the lease's expiry,
 *      so a crashed holder's check-ins are found again then), read it back by its token;
 *   1. create the alerts in state `opening` with one unordered insert, keyed by (check-in, deadline):
 *      a replay finds the same ones (a duplicate key, handled per item);
 *   2. mark the check-ins missed with one bulk of guarded updates (only if still that scheduled occurrence);
 *   3. set the alerts escalating, due now, with one bulk of guarded updates, so step 2 of this same
 *      tick sends tier 1. With `handOff` (the tick) the same update also claims them for this
 *      instance, as advanceEscalations' claim would (token, lease, the lease expiry's slot), and they
 *      are handed to it directly: one claim write and one read per alert fewer. A crash before their
 *      tier is planned leaves them escalating under a lease that runs out; whoever reads their slot
 *      then claims them like any alert whose holder died.
 * An alert left `opening` (crash, or the defender checked in between 1 and 2) is finished or discarded below.
 */
export async function escalateMissedCheckIns(deps: SafetyDeps, { now, handOff = false }: { now: Date; handOff?: boolean }): Promise<MissedCheckInsResult> {
  // Equality on (slot, state) per minute slot from the watermark: the cost follows what is due, not
  // the number of scheduled check-ins (a range on deadline reads every document on FerretDB).
  const pass = await readSlots<DueCheckIn>({
    kind: 'checkins',
    now,
    limit: deps.config.SCHEDULER_BATCH_SIZE,
    read: (slot, limit) => CheckInModel.find({ deadlineSlot: slot, state: 'scheduled' }, { _id: 1, deadline: 1, deadlineSlot: 1, claimUntil: 1 }).limit(limit).lean<DueCheckIn[]>(),
    // Claimed by a batch: due again once that claim runs out (its holder crashed); else at its deadline.
    actionAt: (checkIn) => (checkIn.claimUntil && checkIn.claimUntil >= checkIn.deadline ? new Date(checkIn.claimUntil.getTime() + 1) : checkIn.deadline),
    earliestPending: earliestScheduledSlot,
    notYetDue: (_checkIn, at) => deps.wake?.(at),
    lookahead: deps.wake ? 1 : 0,
    backfill: async () => {
      const unslotted = await CheckInModel.find({ deadlineSlot: { $exists: false } }, { deadline: 1 }).lean();
      if (unslotted.length > 0) await CheckInModel.bulkWrite(unslotted.map((c) => ({ updateOne: { filter: { _id: c._id, deadline: c.deadline }, update: { $set: { deadlineSlot: minuteSlot(c.deadline) } } } })));
    },
  });
  const claimed = await claimCheckIns(deps, pass.due, now);
  const opened = claimed.length > 0 ? await openAlertsForMissed(deps, claimed, now, handOff) : { count: 0, handedOver: [], teamNetworks: new Map() };
  await pass.commit();
  await finishOpeningAlerts(deps, now);
  // Only worth another round if this one made progress (others may hold the rest).
  return { ...opened, batchFull: pass.more && claimed.length > 0 };
}

/**
 * One `updateMany` per slot read (a burst: one), guarded by the slot and state equalities FerretDB
 * pushes down, the ids read (a limited batch), the deadline and a free claim; then the batch is read
 * back by its token. Whatever another instance claimed first is not in it.
 */
async function claimCheckIns(deps: SafetyDeps, due: DueCheckIn[], now: Date): Promise<CheckInDoc[]> {
  if (due.length === 0) return [];
  const token = newClaimToken();
  const until = leaseUntil(deps, now);
  const bySlot = new Map<number, Types.ObjectId[]>();
  for (const checkIn of due) bySlot.set(checkIn.deadlineSlot, [...(bySlot.get(checkIn.deadlineSlot) ?? []), checkIn._id]);
  for (const [slot, ids] of bySlot) {
    await CheckInModel.updateMany(
      { deadlineSlot: slot, state: 'scheduled', _id: { $in: ids }, deadline: { $lte: now }, $or: [{ claimUntil: { $exists: false } }, { claimUntil: null }, { claimUntil: { $lt: now } }] },
      { $set: { claimToken: token, claimUntil: until, deadlineSlot: minuteSlot(until) } },
    );
  }
  return CheckInModel.find({ claimToken: token }).lean<CheckInDoc[]>();
}

/** Only when a long gap is caught up (or the watermark is first created): a range, read once. */
async function earliestScheduledSlot(fromSlot: number): Promise<number | null> {
  const first = await CheckInModel.findOne({ state: 'scheduled', deadlineSlot: { $gte: fromSlot } }, { deadlineSlot: 1 }).sort({ deadlineSlot: 1 }).lean();
  return first?.deadlineSlot ?? null;
}

/** Steps 1 to 3 for a claimed batch; returns how many alerts this call moved to escalating (and, with `handOff`, those alerts). */
async function openAlertsForMissed(deps: SafetyDeps, claimed: CheckInDoc[], now: Date, handOff: boolean): Promise<Omit<MissedCheckInsResult, 'batchFull'>> {
  const teamNetworks = new Map<string, TeamNetworkChoice | null>();
  const none = { count: 0, handedOver: [], teamNetworks };
  // One read per owner, by equality: `$in` over a collection that grows with the defenders reads all of it on FerretDB.
  // It also reads her team network choice, which the first tier, handed over, then does not read again.
  const names = new Map<string, string>();
  await forEachConcurrently([...new Set(claimed.map((c) => String(c.ownerId)))], deps.config.SCHEDULER_CONCURRENCY, async (ownerId) => {
    const profile = await CheckInProfileModel.findOne({ ownerId }, { encryptedDisplayName: 1, teamNetworkTeamId: 1, teamNetworkTier: 1 }).lean();
    if (profile) names.set(ownerId, profile.encryptedDisplayName);
    if (handOff) teamNetworks.set(ownerId, profile ? { teamNetworkTeamId: profile.teamNetworkTeamId, teamNetworkTier: profile.teamNetworkTier } : null);
  });
  const orphans = claimed.filter((c) => !names.has(String(c.ownerId)));
  if (orphans.length > 0) {
    // No profile, no alert text: give the check-in back to its own slot, as before batches (nothing to send).
    await bulkUpdate(CheckInModel, orphans.map((c) => ({ updateOne: { filter: { _id: c._id, claimToken: c.claimToken }, update: { $set: { deadlineSlot: minuteSlot(c.deadline) }, $unset: { claimToken: 1, claimUntil: 1 } } } })));
  }
  const batch = claimed.filter((c) => names.has(String(c.ownerId))).map((checkIn) => ({
    checkIn,
    alertId: new Types.ObjectId(),
    occurrenceKey: missedOccurrenceKey(deps.serverKeys.lookupKey, checkIn._id, checkIn.deadline),
    // Later than a couple of ticks means no instance was running at the deadline.
    delayed: now.getTime() - checkIn.deadline.getTime() > 2 * deps.config.SCHEDULER_TICK_SECONDS * 1000,
  }));
  if (batch.length === 0) return none;

  // 1. Open. A duplicate occurrence key is this occurrence's alert from an earlier attempt (a crash, a
  // lease that ran out): carry on with that one.
  const inserted = new Map<string, Record<string, unknown>>();
  const duplicates = await insertManyKeepingDuplicates(
    AlertModel,
    batch.map(({ checkIn, alertId, occurrenceKey, delayed }) => remember(inserted, alertId, {
      _id: alertId,
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
      encryptedDisplayName: names.get(String(checkIn.ownerId)),
      encryptedAlertMessage: checkIn.encryptedAlertMessage,
      encryptedPlace: checkIn.encryptedPlace,
      timeZone: checkIn.timeZone,
      createdAt: now,
      updatedAt: now,
    })),
  );
  for (const index of duplicates) {
    const item = batch[index]!;
    inserted.delete(String(item.alertId));
    const existing = await AlertModel.findOne({ occurrenceKey: item.occurrenceKey }, { _id: 1, delayed: 1 }).lean();
    if (existing) Object.assign(item, { alertId: existing._id, delayed: existing.delayed });
  }

  // 2. Mark missed, releasing the claim in the same update.
  const marked = await bulkUpdate(
    CheckInModel,
    batch.map(({ checkIn, alertId }) => ({
      updateOne: { filter: { _id: checkIn._id, state: 'scheduled', deadline: checkIn.deadline }, update: { $set: { state: 'missed', alertId }, $unset: { claimToken: 1, claimUntil: 1 } } },
    })),
  );
  let confirmed = batch;
  if (marked < batch.length) {
    // Some moved on first (checked in just in time: their opening alert is discarded later), or were
    // marked by an earlier attempt: only alerts their check-in points at go on.
    const pointing = await Promise.all(batch.map(async (item) => String((await CheckInModel.findOne({ _id: item.checkIn._id }, { alertId: 1 }).lean())?.alertId) === String(item.alertId)));
    confirmed = batch.filter((_item, i) => pointing[i]);
  }
  if (confirmed.length === 0) return none;

  // 3. Escalating, due now; with the hand-off, claimed by this instance in the same update.
  const until = leaseUntil(deps, now);
  const claim = handOff ? { claimToken: newClaimToken(), leaseOwner: deps.instanceId, leaseUntil: until, actionSlot: minuteSlot(until) } : { actionSlot: minuteSlot(now) };
  const started = await bulkUpdate(
    AlertModel,
    confirmed.map(({ alertId }) => ({ updateOne: { filter: { _id: alertId, state: 'opening' }, update: { $set: { state: 'escalating', nextActionAt: now, ...claim } } } })),
  );
  await recordEvents(
    deps,
    confirmed.map(({ checkIn, alertId, delayed }) => ({ ownerId: checkIn.ownerId, alertId, checkInId: checkIn._id, kind: 'missed' as const, at: now, key: `missed:${String(alertId)}`, detail: delayed ? 'delayed: no scheduler was running at the deadline' : undefined })),
  );
  for (const { alertId, delayed } of confirmed) deps.logger.info({ event: 'alert_opened', alertId: String(alertId), delayed }, 'a check-in was missed; alert opened');
  if (!('claimToken' in claim)) return { count: started, handedOver: [], teamNetworks };
  // The claimed alerts as stored: built from what was inserted, unless some were an earlier attempt's
  // (duplicates) or were not moved by this update (then they are read back by the token).
  const handedOver =
    started === confirmed.length && confirmed.every(({ alertId }) => inserted.has(String(alertId)))
      ? confirmed.map(({ alertId }) => ({ ...inserted.get(String(alertId)), state: 'escalating', nextActionAt: now, ...claim }) as unknown as AlertDoc)
      : await AlertModel.find({ claimToken: claim.claimToken }).lean<AlertDoc[]>();
  return { count: started, handedOver, teamNetworks };
}

function remember(inserted: Map<string, Record<string, unknown>>, alertId: Types.ObjectId, fields: Record<string, unknown>): Record<string, unknown> {
  inserted.set(String(alertId), fields);
  return fields;
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
