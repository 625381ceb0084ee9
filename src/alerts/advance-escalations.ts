import type { Types } from 'mongoose';
import { TrustedContactModel } from '../contacts/contact.model';
import { renderAlert } from '../sms/catalogue';
import { openDuress } from './alert-secrets';
import { AlertModel, type Alert } from './alert.model';
import { forEachConcurrently } from '../shared/concurrency';
import { leaseFree, leaseUntil, type SafetyDeps, type StepResult } from './deps';
import { enqueueMessage } from './enqueue-message';
import { decryptContact, formatLocalTime } from './recipients';
import { recordEvent } from './timeline';

type AlertDoc = Alert & { _id: Types.ObjectId };

/**
 * Step 2 of a tick: each escalating alert whose next action is due is claimed with one atomic
 * update (lease owner + expiry), then its next tier is put in the outbox. Enqueueing is idempotent,
 * so if this instance dies mid-way, whoever takes the expired lease redoes the step without
 * duplicating a message. Tier 1 goes at once; the next tier after ESCALATION_TIER_WAIT_SECONDS;
 * after the last tier, ESCALATION_REPEATS more rounds through every tier.
 */
export async function advanceEscalations(deps: SafetyDeps, { now }: { now: Date }): Promise<StepResult> {
  const due = await AlertModel.find({ state: 'escalating', nextActionAt: { $lte: now } }, { _id: 1 })
    .sort({ nextActionAt: 1 })
    .limit(deps.config.SCHEDULER_BATCH_SIZE)
    .lean();
  let advanced = 0;
  await forEachConcurrently(due, deps.config.SCHEDULER_CONCURRENCY, async ({ _id }) => {
    const claimed = await AlertModel.findOneAndUpdate(
      { _id, state: 'escalating', nextActionAt: { $lte: now }, ...leaseFree(now) },
      { $set: { leaseOwner: deps.instanceId, leaseUntil: leaseUntil(deps, now) } },
      { new: true },
    ).lean<AlertDoc>();
    if (!claimed) return; // another instance has it
    await alertNextTier(deps, claimed, now);
    advanced += 1;
  });
  // Only worth another round if this one made progress (another instance may hold the rest).
  return { count: advanced, batchFull: due.length >= deps.config.SCHEDULER_BATCH_SIZE && advanced > 0 };
}

async function alertNextTier(deps: SafetyDeps, alert: AlertDoc, now: Date): Promise<void> {
  const contacts = await TrustedContactModel.find({ ownerId: alert.ownerId, state: 'opted_in' }).lean();
  const tiers = [...new Set(contacts.map((c) => c.tier))].sort((a, b) => a - b);
  const wait = new Date(now.getTime() + deps.config.ESCALATION_TIER_WAIT_SECONDS * 1000);
  const release = (set: Record<string, unknown>) =>
    AlertModel.updateOne({ _id: alert._id, leaseOwner: deps.instanceId, state: 'escalating' }, { $set: { ...set, leaseOwner: null, leaseUntil: null } });

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
    await enqueueMessage(deps, {
      key: `alert:${String(alert._id)}:${String(contact._id)}:t${tier}:r${round}`,
      ownerId: alert.ownerId,
      alertId: alert._id,
      contactId: contact._id,
      kind: 'alert',
      tierIndex,
      round,
      to: decryptContact(deps, contact).phone,
      body: renderAlert({ language: contact.language, duress, name, time, message, place }),
    });
  }
  await recordEvent(deps, { ownerId: alert.ownerId, alertId: alert._id, kind: 'tier_alerted', at: now, tier, key: `tier:${String(alert._id)}:${round}:${tierIndex}`, detail: round > 0 ? `round ${round + 1}` : undefined });
  await release({ tierIndex, round, nextActionAt: wait });
}
