import type { Types } from 'mongoose';
import { CheckInProfileModel } from '../checkins/check-in-profile.model';
import { TrustedContactModel, type TrustedContact } from '../contacts/contact.model';
import { TeamResponderModel } from '../teams/team-network.model';
import { TeamModel } from '../teams/team.model';
import { ensureReplyRef } from '../contacts/reply-references';
import { renderAlert } from '../sms/catalogue';
import { openDuress } from './alert-secrets';
import { AlertModel, type Alert } from './alert.model';
import { forEachConcurrently } from '../shared/concurrency';
import { leaseFree, leaseUntil, type SafetyDeps, type StepResult } from './deps';
import { enqueueMessage } from './enqueue-message';
import { decryptContact, formatLocalTime } from './recipients';
import { readSlots } from './slots';
import { recordEvent } from './timeline';
import { minuteSlot, slotFor } from '../shared/time-slots';

type AlertDoc = Alert & { _id: Types.ObjectId };

/**
 * Step 2 of a tick: each escalating alert whose next action is due is claimed with one atomic
 * update (lease owner + expiry), then its next tier is put in the outbox. Enqueueing is idempotent,
 * so if this instance dies mid-way, whoever takes the expired lease redoes the step without
 * duplicating a message. Tier 1 goes at once; the next tier after ESCALATION_TIER_WAIT_SECONDS;
 * after the last tier, ESCALATION_REPEATS more rounds through every tier.
 */
export async function advanceEscalations(deps: SafetyDeps, { now }: { now: Date }): Promise<StepResult> {
  const pass = await readSlots<Pick<AlertDoc, '_id' | 'nextActionAt' | 'leaseUntil'>>({
    kind: 'alerts',
    now,
    limit: deps.config.SCHEDULER_BATCH_SIZE,
    read: (slot, limit) => AlertModel.find({ actionSlot: slot, state: 'escalating' }, { _id: 1, nextActionAt: 1, leaseUntil: 1 }).limit(limit).lean(),
    // Claimed: due again when the lease runs out (its holder crashed); else at its next action.
    actionAt: (alert) => (alert.leaseUntil && alert.leaseUntil > (alert.nextActionAt ?? alert.leaseUntil) ? alert.leaseUntil : (alert.nextActionAt ?? null)),
    earliestPending: (fromSlot) => earliestSlot({ state: 'escalating', actionSlot: { $gte: fromSlot } }),
    notYetDue: (_alert, at) => deps.wake?.(at),
    lookahead: deps.wake ? 1 : 0,
    backfill: async () => {
      const unslotted = await AlertModel.find({ state: 'escalating', actionSlot: { $exists: false } }, { nextActionAt: 1, leaseUntil: 1 }).lean();
      const slotted = unslotted.flatMap((a) => {
        const at = a.leaseUntil ?? a.nextActionAt;
        return at ? [{ updateOne: { filter: { _id: a._id }, update: { $set: { actionSlot: slotFor(at, now) } } } }] : [];
      });
      if (slotted.length > 0) await AlertModel.bulkWrite(slotted);
    },
  });
  let advanced = 0;
  await forEachConcurrently(pass.due, deps.config.SCHEDULER_CONCURRENCY, async ({ _id }) => {
    // The claim moves the alert to its lease's slot, so if this instance dies mid-way the alert is
    // found again when the lease runs out, and the slot it came from is drained.
    const until = leaseUntil(deps, now);
    const claimed = await AlertModel.findOneAndUpdate(
      { _id, state: 'escalating', nextActionAt: { $lte: now }, ...leaseFree(now) },
      { $set: { leaseOwner: deps.instanceId, leaseUntil: until, actionSlot: minuteSlot(until) } },
      { new: true },
    ).lean<AlertDoc>();
    if (!claimed) return; // another instance has it
    await alertNextTier(deps, claimed, now);
    advanced += 1;
  });
  await pass.commit();
  // Only worth another round if this one made progress (another instance may hold the rest).
  return { count: advanced, batchFull: pass.more && advanced > 0 };
}

type Recipient = Pick<TrustedContact, 'language' | 'encryptedPhone' | 'encryptedName' | 'phoneLookup' | 'replyRef' | 'tier'> & {
  _id: Types.ObjectId;
  ownerId?: Types.ObjectId;
  teamId?: string;
  model: typeof TrustedContactModel | typeof TeamResponderModel;
};

/**
 * The opted-in responders of the team network the defender chose, at the tier she chose (or right after her own
 * last tier). Nobody when she is no longer a member of that team, or the team is being dissolved.
 */
async function teamNetworkOf(ownerId: Types.ObjectId, own: Array<Pick<TrustedContact, 'tier'>>): Promise<Recipient[]> {
  const profile = await CheckInProfileModel.findOne({ ownerId }, { teamNetworkTeamId: 1, teamNetworkTier: 1 }).lean();
  const teamId = profile?.teamNetworkTeamId;
  if (!teamId) return [];
  if (!(await TeamModel.exists({ _id: teamId, memberAccountIds: String(ownerId), dissolving: { $ne: true } }))) return [];
  const tier = profile.teamNetworkTier ?? Math.max(0, ...own.map((c) => c.tier)) + 1;
  const responders = await TeamResponderModel.find({ teamId, state: 'opted_in' }).lean();
  return responders.map((r) => ({ ...r, tier, model: TeamResponderModel }));
}

async function earliestSlot(filter: Record<string, unknown>): Promise<number | null> {
  const first = await AlertModel.findOne(filter, { actionSlot: 1 }).sort({ actionSlot: 1 }).lean();
  return first?.actionSlot ?? null;
}

async function alertNextTier(deps: SafetyDeps, alert: AlertDoc, now: Date): Promise<void> {
  const own = await TrustedContactModel.find({ ownerId: alert.ownerId, state: 'opted_in' }).lean();
  // Read again at every tier, so a responder a coordinator removed (or who left) gets no further text.
  const team = await teamNetworkOf(alert.ownerId, own);
  const contacts: Recipient[] = [...own.map((c) => ({ ...c, model: TrustedContactModel })), ...team];
  const tiers = [...new Set(contacts.map((c) => c.tier))].sort((a, b) => a - b);
  const wait = new Date(now.getTime() + deps.config.ESCALATION_TIER_WAIT_SECONDS * 1000);
  const release = async (set: { nextActionAt: Date | null; tierIndex?: number; round?: number }) => {
    const slot = set.nextActionAt ? { actionSlot: slotFor(set.nextActionAt, now) } : { actionSlot: null };
    await AlertModel.updateOne({ _id: alert._id, leaseOwner: deps.instanceId, state: 'escalating' }, { $set: { ...set, ...slot, leaseOwner: null, leaseUntil: null } });
    if (set.nextActionAt) deps.wake?.(set.nextActionAt);
  };

  if (tiers.length === 0) {
    // Nobody to text (yet): look again after a tier's wait, in case someone opts in.
    await recordEvent(deps, { ownerId: alert.ownerId, alertId: alert._id, kind: 'no_contacts', at: now, key: `no_contacts:${String(alert._id)}` });
    deps.logger.warn({ event: 'alert_without_contacts', alertId: String(alert._id) }, 'an alert has no opted-in contact to text');
    await release({ nextActionAt: wait });
    return;
  }
  let tierIndex = alert.tierIndex + 1;
  let round = alert.round;
  if (tierIndex >= tiers.length) {
    if (round >= deps.config.ESCALATION_REPEATS) {
      await recordEvent(deps, { ownerId: alert.ownerId, alertId: alert._id, kind: 'escalation_exhausted', at: now, key: `exhausted:${String(alert._id)}` });
      await release({ nextActionAt: null });
      return;
    }
    round += 1;
    tierIndex = 0;
    await recordEvent(deps, { ownerId: alert.ownerId, alertId: alert._id, kind: 'repeat_started', at: now, key: `repeat:${String(alert._id)}:${round}`, detail: `round ${round + 1}` });
  }
  const tier = tiers[tierIndex]!;
  const name = deps.fieldCipher.decrypt(alert.encryptedDisplayName);
  const message = deps.fieldCipher.decrypt(alert.encryptedAlertMessage);
  const place = alert.encryptedPlace ? deps.fieldCipher.decrypt(alert.encryptedPlace) : undefined;
  const time = formatLocalTime(alert.dueAt, alert.timeZone);
  const { duress } = openDuress(deps.fieldCipher, alert);
  for (const contact of contacts.filter((c) => c.tier === tier)) {
    // The same reference every time for this entry, so a retried step renders the same text.
    const ref = await ensureReplyRef(deps, contact, contact.model);
    await enqueueMessage(deps, {
      key: `alert:${String(alert._id)}:${String(contact._id)}:t${tier}:r${round}`,
      ownerId: alert.ownerId,
      alertId: alert._id,
      contactId: contact._id,
      kind: 'alert',
      tierIndex,
      round,
      to: decryptContact(deps, contact).phone,
      body: renderAlert({ language: contact.language, duress, name, time, message, place, ref }),
    });
  }
  await recordEvent(deps, { ownerId: alert.ownerId, alertId: alert._id, kind: 'tier_alerted', at: now, tier, key: `tier:${String(alert._id)}:${round}:${tierIndex}`, detail: round > 0 ? `round ${round + 1}` : undefined });
  await release({ tierIndex, round, nextActionAt: wait });
}
