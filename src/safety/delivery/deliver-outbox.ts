import type { Types } from 'mongoose';
import { TrustedContactModel } from '../../contacts/contact.model';
import { TeamResponderModel } from '../../teams/team-network.model';
import { forEachConcurrently } from '../../shared/concurrency';
import { openJson } from '../../shared/field-encryption';
import { maskPhone } from '../../shared/logger';
import { PROVIDER_CODE_OPTED_OUT, SmsSendError, describeSendError, type OutgoingSms } from '../../sms/sms-sender';
import { AlertModel } from '../../alerts/alert.model';
import { leaseFree, leaseUntil, type SafetyDeps } from '../deps';
import { OutboxModel, SentMessageModel, type OutboxMessage, type SentState } from '../outbox/outbox.model';
import { bulkUpdate, insertManyKeepingDuplicates, newClaimToken } from '../bulk';
import { readSlots } from '../slots';
import { recordEvents } from '../timeline';
import { minuteSlot, slotFor } from '../../shared/time-slots';

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

/** SMS handed to the provider at once: the provider's latency, not the database, bounds a burst's sending rate. */
export const SEND_CONCURRENCY = 16;

/** What became of one claimed message, recorded with the rest of its batch. */
type Outcome =
  | { message: OutboxDoc; state: SentState; providerSid?: string; lastError?: string; providerCode?: number }
  | { message: OutboxDoc; state: 'retry'; nextAttemptAt: Date; lastError: string }
  | { message: OutboxDoc; state: 'already_sent' };

/**
 * Step 3 of a tick: send what is due, a batch at a time. The due pending messages are claimed with one
 * `updateMany` (pending -> sending, a token, lease owner + expiry, attempts + 1), so two instances never
 * send the same message in parallel, and read back by the token; they are sent SEND_CONCURRENCY at a
 * time; what became of them is recorded in bulk (one insert into `sentmessages`, then one delete from the
 * outbox, so a message is never out of both). A message left `sending` by a crashed instance is taken
 * over after its lease, one by one: before resending, the provider is asked whether it already accepted
 * it (see README: the remaining at-least-once window). A crash before the bulk record leaves the whole
 * batch `sending` under a lease that runs out: each is then taken over so.
 *
 * `handedOver`: messages the tick's escalation step inserted already claimed for this instance (state
 * `sending`, its own token, a lease): sent and recorded with this pass's batch, without a claim.
 */
export async function deliverOutbox(deps: SafetyDeps, { now, handedOver }: { now: Date; handedOver?: { messages: OutboxDoc[]; neverSent: Set<string> } | null }): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, retried: 0, failed: 0, skipped: 0, escalationsPulledForward: 0, batchFull: false };
  const pass = await readSlots<Pick<OutboxDoc, '_id' | 'state' | 'nextAttemptAt' | 'leaseUntil' | 'attemptSlot'>>({
    kind: 'outbox',
    now,
    limit: deps.config.SCHEDULER_BATCH_SIZE,
    read: (slot, limit) => OutboxModel.find({ attemptSlot: slot }, { _id: 1, state: 1, nextAttemptAt: 1, leaseUntil: 1, attemptSlot: 1 }).limit(limit).lean(),
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
  const handed: Claimed[] = (handedOver?.messages ?? []).map((message) => ({ message, neverSent: handedOver!.neverSent.has(String(message._id)) }));
  if (pass.due.length > 0 || handed.length > 0) {
    const token = newClaimToken();
    const claimed = [...handed, ...(pass.due.length > 0 ? await claimMessages(deps, pass.due, token, now) : [])];
    const alertStates = new Map<string, Promise<string | undefined>>();
    const outcomes: Outcome[] = [];
    await forEachConcurrently(claimed, SEND_CONCURRENCY, async (claim) => {
      outcomes.push(await deliverOne(deps, claim, alertStates, now));
    });
    await recordOutcomes(deps, outcomes, now, report);
  }
  await pass.commit();
  const handled = report.sent + report.retried + report.failed + report.skipped - handed.length;
  report.batchFull = pass.more && handled > 0;
  return report;
}

interface Claimed {
  message: OutboxDoc;
  /** The document before a takeover: a previous attempt was cut short after this moment. */
  takenOver?: OutboxDoc;
  /** Handed over as the first tier of an alert just opened: it cannot be in the sent log yet. */
  neverSent?: boolean;
}

async function claimMessages(deps: SafetyDeps, due: Array<Pick<OutboxDoc, '_id' | 'state' | 'attemptSlot'>>, token: string, now: Date): Promise<Claimed[]> {
  const until = leaseUntil(deps, now);
  const claim = { state: 'sending', leaseOwner: deps.instanceId, leaseUntil: until, attemptSlot: minuteSlot(until), attemptStartedAt: now, claimToken: token };
  const bySlot = new Map<number, Types.ObjectId[]>();
  for (const message of due.filter((m) => m.state === 'pending')) bySlot.set(message.attemptSlot, [...(bySlot.get(message.attemptSlot) ?? []), message._id]);
  for (const [slot, ids] of bySlot) {
    await OutboxModel.updateMany({ attemptSlot: slot, state: 'pending', _id: { $in: ids }, nextAttemptAt: { $lte: now }, ...leaseFree(now) }, { $set: claim, $inc: { attempts: 1 } });
  }
  const claimed: Claimed[] = bySlot.size > 0 ? (await OutboxModel.find({ claimToken: token }).lean<OutboxDoc[]>()).map((message) => ({ message })) : [];
  // Takeovers only follow a crash: one by one, keeping what the dead attempt left (when it began, a provider id).
  for (const { _id } of due.filter((m) => m.state === 'sending')) {
    const before = await OutboxModel.findOneAndUpdate({ _id, state: 'sending', leaseUntil: { $lt: now } }, { $set: claim, $inc: { attempts: 1 } }, { new: false }).lean<OutboxDoc>();
    if (before) claimed.push({ message: { ...before, ...claim, state: 'sending', attempts: before.attempts + 1 }, takenOver: before });
  }
  return claimed;
}

async function deliverOne(deps: SafetyDeps, { message, takenOver, neverSent }: Claimed, alertStates: Map<string, Promise<string | undefined>>, now: Date): Promise<Outcome> {
  const sms: OutgoingSms = { to: deps.fieldCipher.decrypt(message.encryptedTo), body: openJson<string>(deps.fieldCipher, message.encryptedBody), outboxId: String(message._id) };
  if (takenOver) {
    // The instance that claimed it last died mid-send. Did the provider accept it anyway?
    const acceptedSid = takenOver.providerSid ?? (await deps.sms.findAcceptedSince(sms, takenOver.attemptStartedAt ?? takenOver.createdAt).catch(() => undefined));
    if (acceptedSid) return { message, state: 'sent', providerSid: acceptedSid };
  }
  // A tier redone after a crash may queue again a message sent meanwhile (and moved out of the outbox):
  // the sent log, written before the outbox entry is deleted, says so.
  const [wanted, alreadySent] = await Promise.all([stillWanted(message, alertStates), neverSent ? null : SentMessageModel.exists({ key: message.key })]);
  if (alreadySent) return { message, state: 'already_sent' };
  if (!wanted) return { message, state: 'skipped' };
  try {
    const { providerSid } = await deps.sms.send(sms);
    return { message, state: 'sent', providerSid };
  } catch (error) {
    // Only the code and a fixed description are kept or logged: a provider's text may quote the number.
    const sendError = error instanceof SmsSendError ? error : new SmsSendError('send failed', true);
    deps.logger.warn({ event: 'sms_send_failed', outboxId: String(message._id), toMasked: maskPhone(sms.to), attempt: message.attempts, retryable: sendError.retryable, providerCode: sendError.providerCode }, 'an SMS was not accepted');
    if (sendError.retryable && message.attempts < deps.config.OUTBOX_MAX_ATTEMPTS) {
      return { message, state: 'retry', nextAttemptAt: new Date(now.getTime() + backoffMs(deps, message.attempts)), lastError: describeSendError(sendError) };
    }
    return { message, state: 'failed', lastError: describeSendError(sendError), providerCode: sendError.providerCode };
  }
}

/**
 * The batch's outcomes in a few commands: the sent log first (one unordered insert; an entry already
 * there is a replay), then the outbox entries out (one delete by token and ids), the retries back to
 * pending (one bulk of guarded updates), the events (one insert). A crash in between: the sent log
 * already holds what a takeover would otherwise ask the provider about, and the takeover's own
 * insert of it is a duplicate, a no-op.
 */
async function recordOutcomes(deps: SafetyDeps, outcomes: Outcome[], now: Date, report: DeliveryReport): Promise<void> {
  const finished = outcomes.filter((o): o is Extract<Outcome, { state: SentState }> => o.state !== 'retry' && o.state !== 'already_sent');
  const retries = outcomes.filter((o): o is Extract<Outcome, { state: 'retry' }> => o.state === 'retry');
  const duplicates = outcomes.filter((o) => o.state === 'already_sent');
  await insertManyKeepingDuplicates(
    SentMessageModel,
    finished.map(({ message, state, providerSid, lastError }) => ({
      _id: message._id,
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
      ...(providerSid ? { providerSid } : {}),
      ...(lastError ? { lastError } : {}),
    })),
  );
  // By claim token (equality, pushed down on FerretDB) and ids: a batch holds at most two claims (its own, and the messages handed over).
  const out = new Map<string, Types.ObjectId[]>();
  for (const { message } of [...finished, ...duplicates]) out.set(message.claimToken!, [...(out.get(message.claimToken!) ?? []), message._id]);
  for (const [claimToken, ids] of out) await OutboxModel.deleteMany({ claimToken, _id: { $in: ids } });
  if (retries.length > 0) {
    await bulkUpdate(
      OutboxModel,
      retries.map(({ message, nextAttemptAt, lastError }) => ({
        updateOne: { filter: { _id: message._id, claimToken: message.claimToken }, update: { $set: { state: 'pending', nextAttemptAt, attemptSlot: slotFor(nextAttemptAt, now), lastError, leaseOwner: null, leaseUntil: null, claimToken: null } } },
      })),
    );
    deps.wake?.(new Date(Math.min(...retries.map((r) => r.nextAttemptAt.getTime()))));
  }
  await recordEvents(
    deps,
    finished
      .filter(({ message, state }) => message.alertId && state !== 'skipped')
      .map(({ message, state, lastError }) => ({
        ownerId: message.ownerId,
        alertId: message.alertId,
        contactId: message.contactId,
        kind: state === 'sent' ? ('message_sent' as const) : ('message_failed' as const),
        at: now,
        key: `outbox:${String(message._id)}:${state}`,
        detail: state === 'sent' ? message.kind : `${message.kind}: ${lastError ?? 'failed'}`.slice(0, 200),
      })),
  );
  for (const { message, state, providerCode } of finished) {
    if (state === 'sent') {
      report.sent += 1;
      deps.logger.info({ event: 'sms_sent', outboxId: String(message._id), kind: message.kind, attempts: message.attempts }, 'SMS accepted by the provider');
    } else if (state === 'skipped') report.skipped += 1;
    else {
      report.failed += 1;
      if (await afterFailedForGood(message, providerCode, now)) report.escalationsPulledForward += 1;
    }
  }
  report.retried += retries.length;
}

/** Exponential backoff with jitter: between half and all of base * 2^(attempt-1), capped. */
export function backoffMs(deps: Pick<SafetyDeps, 'config' | 'random'>, attempt: number): number {
  const ceiling = Math.min(deps.config.OUTBOX_BACKOFF_MAX_SECONDS, deps.config.OUTBOX_BACKOFF_BASE_SECONDS * 2 ** (attempt - 1)) * 1000;
  return Math.round(ceiling / 2 + deps.random() * (ceiling / 2));
}

/** Opted-out contacts are never texted, even if a message was queued before they said STOP. */
async function stillWanted(message: OutboxDoc, alertStates: Map<string, Promise<string | undefined>>): Promise<boolean> {
  if (!message.contactId) return true;
  // A personal contact, or a responder of a team's network (removed by a coordinator: not found, not texted).
  const contact = (await TrustedContactModel.findOne({ _id: message.contactId }, { state: 1 }).lean()) ?? (await TeamResponderModel.findOne({ _id: message.contactId }, { state: 1 }).lean());
  if (!contact) return false;
  if (message.kind === 'invitation') return contact.state === 'invited';
  if (contact.state !== 'opted_in') return false;
  if (message.kind === 'alert' && message.alertId) {
    // Read once per alert per batch: a tier of several contacts is one alert.
    const id = String(message.alertId);
    if (!alertStates.has(id)) alertStates.set(id, AlertModel.findOne({ _id: message.alertId }, { state: 1 }).lean().then((alert) => alert?.state));
    return (await alertStates.get(id)) === 'escalating';
  }
  return true;
}

/**
 * The one rule for a message that failed for good, whether its last send attempt was refused or the
 * provider's final status callback says it never arrived: a contact the provider reports as opted out is
 * marked so (never texted again), and an alert pulls its next tier forward. True when it pulled one.
 */
export async function afterFailedForGood(message: Pick<OutboxMessage, 'kind' | 'alertId' | 'tierIndex' | 'round' | 'contactId'>, providerCode: number | undefined, now: Date): Promise<boolean> {
  if (providerCode === PROVIDER_CODE_OPTED_OUT && message.contactId) {
    await TrustedContactModel.updateOne({ _id: message.contactId, state: { $ne: 'opted_out' } }, { $set: { state: 'opted_out', stateChangedAt: now } });
    await TeamResponderModel.updateOne({ _id: message.contactId, state: { $ne: 'opted_out' } }, { $set: { state: 'opted_out', stateChangedAt: now } });
  }
  return pullNextTierForward(message, now);
}

/** After the last failed attempt for a contact, the next tier is alerted at once instead of after the wait. */
async function pullNextTierForward(message: Pick<OutboxMessage, 'kind' | 'alertId' | 'tierIndex' | 'round'>, now: Date): Promise<boolean> {
  if (message.kind !== 'alert' || !message.alertId) return false;
  const result = await AlertModel.updateOne(
    { _id: message.alertId, state: 'escalating', tierIndex: message.tierIndex, round: message.round, nextActionAt: { $gt: now } },
    { $set: { nextActionAt: now, actionSlot: minuteSlot(now) } },
  );
  return result.modifiedCount > 0;
}
