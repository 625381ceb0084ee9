import type { Types } from 'mongoose';
import { TrustedContactModel } from '../contacts/contact.model';
import { TeamResponderModel } from '../teams/team-network.model';
import { forEachConcurrently } from '../shared/concurrency';
import { openJson } from '../shared/field-encryption';
import { maskPhone } from '../shared/logger';
import { PROVIDER_CODE_OPTED_OUT, SmsSendError, describeSendError, type OutgoingSms } from '../sms/sms-sender';
import { AlertModel } from './alert.model';
import { leaseFree, leaseUntil, type SafetyDeps } from './deps';
import { OutboxModel, SentMessageModel, type OutboxMessage, type SentState } from './outbox.model';
import { readSlots } from './slots';
import { recordEvent } from './timeline';
import { minuteSlot, slotFor } from '../shared/time-slots';

type OutboxDoc = OutboxMessage & { _id: Types.ObjectId };

export interface DeliveryReport {
  sent: number;
  retried: number;
  failed: number;
  skipped: number;
  /** Alerts whose next tier was pulled forward by a permanent failure: the tick runs escalation again. */
  escalationsPulledForward: number;
  /** As many were due as one batch takes: the tick goes round again. */
  batchFull: boolean;
}

/**
 * Step 3 of a tick: send what is due. Each message is claimed with one atomic update
 * (pending -> sending, lease owner + expiry, attempts + 1), so two instances never send the same
 * message in parallel. A message left `sending` by a crashed instance is taken over after its lease;
 * before resending, the provider is asked whether it already accepted it (see README: the remaining
 * at-least-once window).
 */
export async function deliverOutbox(deps: SafetyDeps, { now }: { now: Date }): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, retried: 0, failed: 0, skipped: 0, escalationsPulledForward: 0, batchFull: false };
  const pass = await readSlots<Pick<OutboxDoc, '_id' | 'state' | 'nextAttemptAt' | 'leaseUntil'>>({
    kind: 'outbox',
    now,
    limit: deps.config.SCHEDULER_BATCH_SIZE,
    read: (slot, limit) => OutboxModel.find({ attemptSlot: slot }, { _id: 1, state: 1, nextAttemptAt: 1, leaseUntil: 1 }).limit(limit).lean(),
    // Sending: due again only once the lease has run out (its holder crashed or hung).
    actionAt: (message) => (message.state === 'sending' ? new Date((message.leaseUntil ?? message.nextAttemptAt).getTime() + 1) : message.nextAttemptAt),
    earliestPending: async (fromSlot) => (await OutboxModel.findOne({ attemptSlot: { $gte: fromSlot } }, { attemptSlot: 1 }).sort({ attemptSlot: 1 }).lean())?.attemptSlot ?? null,
    notYetDue: (_message, at) => deps.wake?.(at),
    lookahead: deps.wake ? 1 : 0,
    backfill: async () => {
      const unslotted = await OutboxModel.find({ attemptSlot: { $exists: false } }, { nextAttemptAt: 1, leaseUntil: 1 }).lean();
      if (unslotted.length > 0) await OutboxModel.bulkWrite(unslotted.map((m) => ({ updateOne: { filter: { _id: m._id }, update: { $set: { attemptSlot: slotFor(m.leaseUntil ?? m.nextAttemptAt, now) } } } })));
    },
  });
  await forEachConcurrently(pass.due, deps.config.SCHEDULER_CONCURRENCY, ({ _id }) => deliverOne(deps, _id, now, report));
  await pass.commit();
  const handled = report.sent + report.retried + report.failed + report.skipped;
  report.batchFull = pass.more && handled > 0;
  return report;
}

async function deliverOne(deps: SafetyDeps, id: Types.ObjectId, now: Date, report: DeliveryReport): Promise<void> {
  // Returns the document as it was before the claim, so we know whether a previous attempt was cut short.
  // The claim moves the message to its lease's slot: found again there if this instance dies mid-send.
  const until = leaseUntil(deps, now);
  const before = await OutboxModel.findOneAndUpdate(
    { _id: id, $or: [{ state: 'pending', nextAttemptAt: { $lte: now }, ...leaseFree(now) }, { state: 'sending', leaseUntil: { $lt: now } }] },
    { $set: { state: 'sending', leaseOwner: deps.instanceId, leaseUntil: until, attemptSlot: minuteSlot(until), attemptStartedAt: now }, $inc: { attempts: 1 } },
    { new: false },
  ).lean<OutboxDoc>();
  if (!before) return;
  const message: OutboxDoc = { ...before, attempts: before.attempts + 1 };
  const sms: OutgoingSms = { to: deps.fieldCipher.decrypt(message.encryptedTo), body: openJson<string>(deps.fieldCipher, message.encryptedBody), outboxId: String(message._id) };

  if (before.state === 'sending') {
    // The instance that claimed it last died mid-send. Did the provider accept it anyway?
    const acceptedSid = before.providerSid ?? (await deps.sms.findAcceptedSince(sms, before.attemptStartedAt ?? before.createdAt).catch(() => undefined));
    if (acceptedSid) {
      await finish(deps, message, 'sent', now, { providerSid: acceptedSid });
      report.sent += 1;
      return;
    }
  }
  if (!(await stillWanted(message))) {
    await finish(deps, message, 'skipped', now, {});
    report.skipped += 1;
    return;
  }
  try {
    const { providerSid } = await deps.sms.send(sms);
    await finish(deps, message, 'sent', now, { providerSid });
    report.sent += 1;
  } catch (error) {
    // Only the code and a fixed description are kept or logged: a provider's text may quote the number.
    const sendError = error instanceof SmsSendError ? error : new SmsSendError('send failed', true);
    deps.logger.warn({ event: 'sms_send_failed', outboxId: String(message._id), toMasked: maskPhone(sms.to), attempt: message.attempts, retryable: sendError.retryable, providerCode: sendError.providerCode }, 'an SMS was not accepted');
    if (sendError.retryable && message.attempts < deps.config.OUTBOX_MAX_ATTEMPTS) {
      const nextAttemptAt = new Date(now.getTime() + backoffMs(deps, message.attempts));
      await OutboxModel.updateOne(
        { _id: message._id, leaseOwner: deps.instanceId },
        { $set: { state: 'pending', nextAttemptAt, attemptSlot: slotFor(nextAttemptAt, now), lastError: describeSendError(sendError), leaseOwner: null, leaseUntil: null } },
      );
      deps.wake?.(nextAttemptAt);
      report.retried += 1;
      return;
    }
    await finish(deps, message, 'failed', now, { lastError: describeSendError(sendError) });
    report.failed += 1;
    if (sendError.providerCode === PROVIDER_CODE_OPTED_OUT && message.contactId) {
      await TrustedContactModel.updateMany({ _id: message.contactId, state: { $ne: 'opted_out' } }, { $set: { state: 'opted_out', stateChangedAt: now } });
      await TeamResponderModel.updateMany({ _id: message.contactId, state: { $ne: 'opted_out' } }, { $set: { state: 'opted_out', stateChangedAt: now } });
    }
    if (await pullNextTierForward(message, now)) report.escalationsPulledForward += 1;
  }
}

/** Exponential backoff with jitter: between half and all of base * 2^(attempt-1), capped. */
export function backoffMs(deps: Pick<SafetyDeps, 'config' | 'random'>, attempt: number): number {
  const ceiling = Math.min(deps.config.OUTBOX_BACKOFF_MAX_SECONDS, deps.config.OUTBOX_BACKOFF_BASE_SECONDS * 2 ** (attempt - 1)) * 1000;
  return Math.round(ceiling / 2 + deps.random() * (ceiling / 2));
}

/** Opted-out contacts are never texted, even if a message was queued before they said STOP. */
async function stillWanted(message: OutboxDoc): Promise<boolean> {
  if (!message.contactId) return true;
  // A personal contact, or a responder of a team's network (removed by a coordinator: not found, not texted).
  const contact = (await TrustedContactModel.findOne({ _id: message.contactId }, { state: 1 }).lean()) ?? (await TeamResponderModel.findOne({ _id: message.contactId }, { state: 1 }).lean());
  if (!contact) return false;
  if (message.kind === 'invitation') return contact.state === 'invited';
  if (contact.state !== 'opted_in') return false;
  if (message.kind === 'alert' && message.alertId) {
    const alert = await AlertModel.findOne({ _id: message.alertId }, { state: 1 }).lean();
    return alert?.state === 'escalating';
  }
  return true;
}

/** Moves the message out of the hot outbox into the sent log, without its number or text. */
async function finish(deps: SafetyDeps, message: OutboxDoc, state: SentState, now: Date, extra: { providerSid?: string; lastError?: string }): Promise<void> {
  await SentMessageModel.updateOne(
    { _id: message._id },
    {
      $setOnInsert: {
        key: message.key,
        ownerId: message.ownerId,
        alertId: message.alertId,
        contactId: message.contactId,
        kind: message.kind,
        tierIndex: message.tierIndex,
        round: message.round,
        state,
        attempts: message.attempts,
        finishedAt: now,
        updatedAt: now,
        ...extra,
      },
    },
    { upsert: true },
  );
  await OutboxModel.deleteOne({ _id: message._id });
  if (message.alertId && state !== 'skipped') {
    await recordEvent(deps, {
      ownerId: message.ownerId,
      alertId: message.alertId,
      contactId: message.contactId,
      kind: state === 'sent' ? 'message_sent' : 'message_failed',
      at: now,
      key: `outbox:${String(message._id)}:${state}`,
      detail: state === 'sent' ? message.kind : `${message.kind}: ${extra.lastError ?? 'failed'}`.slice(0, 200),
    });
  }
  if (state === 'sent') deps.logger.info({ event: 'sms_sent', outboxId: String(message._id), kind: message.kind, attempts: message.attempts }, 'SMS accepted by the provider');
}

/** After the last failed attempt for a contact, the next tier is alerted at once instead of after the wait. */
export async function pullNextTierForward(message: Pick<OutboxMessage, 'kind' | 'alertId' | 'tierIndex' | 'round'>, now: Date): Promise<boolean> {
  if (message.kind !== 'alert' || !message.alertId) return false;
  const result = await AlertModel.updateOne(
    { _id: message.alertId, state: 'escalating', tierIndex: message.tierIndex, round: message.round, nextActionAt: { $gt: now } },
    { $set: { nextActionAt: now, actionSlot: minuteSlot(now) } },
  );
  return result.modifiedCount > 0;
}
