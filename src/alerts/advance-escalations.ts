import { Types } from 'mongoose';
import { TrustedContactModel, type TrustedContact } from '../contacts/contact.model';
import { TeamResponderModel } from '../teams/team-network.model';
import { ensureReplyRef } from '../contacts/reply-references';
import { renderAlert } from '../sms/catalogue';
import { openDuress } from './alert-secrets';
import { AlertModel, type Alert } from './alert.model';
import { forEachConcurrently } from '../shared/concurrency';
import { leaseFree, leaseUntil, type SafetyDeps, type StepResult } from '../safety/deps';
import { bulkUpdate, insertManyKeepingDuplicates, newClaimToken } from '../safety/bulk';
import { outboxEntry } from '../safety/outbox/enqueue-message';
import { OutboxModel, type OutboxMessage } from '../safety/outbox/outbox.model';
import { chosenTeamNetwork, decryptContact, formatLocalTime, teamNetworkTier, type TeamNetworkChoice } from './recipients';
import { readSlots } from '../safety/slots';
import { recordEvents, type EventInput } from '../safety/timeline';
import { minuteSlot, slotFor } from '../shared/time-slots';

type AlertDoc = Alert & { _id: Types.ObjectId };

/** Messages inserted already claimed for sending by this instance (state `sending`, a token, a lease), for deliverOutbox to send at once. */
export interface HandedOverMessages {
  token: string;
  messages: Array<OutboxMessage & { _id: Types.ObjectId }>;
  /**
   * Ids of those that cannot have been sent before: the first tier of an alert the step before moved
   * from `opening` to escalating (an alert does that once, and no tier is planned before it), so
   * delivery need not look for them in the sent log.
   */
  neverSent: Set<string>;
}

/**
 * The owner's team network choice: the step that opened an alert read it a moment ago with the defender's name
 * (`teamNetworks`, by owner id; null: no profile), so the first tier does not read it again; later tiers do.
 */
export type { TeamNetworkChoice };

export interface EscalationsResult extends StepResult {
  /** With `handOff`: the messages this call queued, already claimed for sending (none without it). */
  handedOver: HandedOverMessages | null;
}

/**
 * Step 2 of a tick: each escalating alert whose next action is due is claimed with one atomic
 * update (lease owner + expiry), then its next tier is put in the outbox. Enqueueing is idempotent,
 * so if this instance dies mid-way, whoever takes the expired lease redoes the step without
 * duplicating a message. Tier 1 goes at once; the next tier after ESCALATION_TIER_WAIT_SECONDS;
 * after the last tier, ESCALATION_REPEATS more rounds through every tier.
 *
 * The tick hands over what the step before it just opened (`handedOver`, claimed by that step's own
 * update) and asks for the hand-off onward (`handOff`): the messages are then inserted already
 * claimed for sending, and returned to be sent at once, without the outbox claim's write and read. A
 * crash before they are sent leaves them `sending` under a lease that runs out; the outbox takes each
 * over then, asking the provider first whether it accepted it (as for any sender that died).
 */
export async function advanceEscalations(
  deps: SafetyDeps,
  { now, handedOver = [], teamNetworks, handOff = false }: { now: Date; handedOver?: AlertDoc[]; teamNetworks?: Map<string, TeamNetworkChoice | null>; handOff?: boolean },
): Promise<EscalationsResult> {
  const pass = await readSlots<Pick<AlertDoc, '_id' | 'nextActionAt' | 'leaseUntil' | 'actionSlot'>>({
    kind: 'alerts',
    now,
    limit: deps.config.SCHEDULER_BATCH_SIZE,
    read: (slot, limit) => AlertModel.find({ actionSlot: slot, state: 'escalating' }, { _id: 1, nextActionAt: 1, leaseUntil: 1, actionSlot: 1 }).limit(limit).lean(),
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
  const claimed = [...handedOver, ...(await claimAlerts(deps, pass.due, now))];
  const messages = claimed.length > 0 ? await alertNextTiers(deps, claimed, now, handOff, teamNetworks, new Set(handedOver.map((a) => String(a._id)))) : null;
  await pass.commit();
  // Only worth another round if this one made progress (another instance may hold the rest).
  return { count: claimed.length, batchFull: pass.more && claimed.length > handedOver.length, handedOver: messages };
}

/**
 * One `updateMany` per slot read (a burst: one): the slot and state equalities FerretDB pushes down,
 * the ids read (a limited batch), due, lease free. The claim moves the alerts to their lease's slot, so
 * if this instance dies mid-way they are found again when the lease runs out, and the slot they came
 * from is drained. The batch is read back by its token.
 */
async function claimAlerts(deps: SafetyDeps, due: Array<Pick<AlertDoc, '_id' | 'actionSlot'>>, now: Date): Promise<AlertDoc[]> {
  if (due.length === 0) return [];
  const token = newClaimToken();
  const until = leaseUntil(deps, now);
  const bySlot = new Map<number, Types.ObjectId[]>();
  for (const alert of due) bySlot.set(alert.actionSlot ?? -1, [...(bySlot.get(alert.actionSlot ?? -1) ?? []), alert._id]);
  for (const [slot, ids] of bySlot) {
    await AlertModel.updateMany(
      { actionSlot: slot, state: 'escalating', _id: { $in: ids }, nextActionAt: { $lte: now }, ...leaseFree(now) },
      { $set: { claimToken: token, leaseOwner: deps.instanceId, leaseUntil: until, actionSlot: minuteSlot(until) } },
    );
  }
  return AlertModel.find({ claimToken: token }).lean<AlertDoc[]>();
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
async function teamNetworkOf(ownerId: Types.ObjectId, own: Array<Pick<TrustedContact, 'tier'>>, known?: TeamNetworkChoice | null): Promise<Recipient[]> {
  const chosen = await chosenTeamNetwork(ownerId, known);
  if (!chosen?.counted) return [];
  const tier = teamNetworkTier(chosen.atTier, own.map((c) => c.tier));
  const responders = await TeamResponderModel.find({ teamId: chosen.teamId, state: 'opted_in' }).lean();
  return responders.map((r) => ({ ...r, tier, model: TeamResponderModel }));
}

async function earliestSlot(filter: Record<string, unknown>): Promise<number | null> {
  const first = await AlertModel.findOne(filter, { actionSlot: 1 }).sort({ actionSlot: 1 }).lean();
  return first?.actionSlot ?? null;
}

interface TierStep {
  outbox: Array<Record<string, unknown>>;
  events: EventInput[];
  release: { nextActionAt: Date | null; tierIndex?: number; round?: number };
}

/**
 * Each claimed alert's next tier, for the whole batch at once: the messages go into the outbox with one
 * unordered insert (a message already queued by an earlier attempt is a duplicate key, a no-op; one
 * already sent and moved out is caught before sending, see deliver-outbox.ts), the events with one
 * insert, and the alerts are released with one bulk of guarded updates. A crash between two of these
 * leaves alerts under a lease that runs out: whoever takes them redoes the tier, queueing nothing twice.
 * With `handOff` the messages are inserted `sending` under one delivery claim, and those inserted
 * (not an earlier attempt's) are returned for sending at once.
 */
async function alertNextTiers(deps: SafetyDeps, alerts: AlertDoc[], now: Date, handOff: boolean, choices?: Map<string, TeamNetworkChoice | null>, justOpened = new Set<string>()): Promise<HandedOverMessages | null> {
  const steps = new Map<AlertDoc, TierStep>();
  // One read per owner, by equality: `$in` over a collection that grows with the defenders reads all of it on FerretDB.
  const recipientsOf = new Map<string, Promise<Recipient[]>>();
  await forEachConcurrently(alerts, deps.config.SCHEDULER_CONCURRENCY, async (alert) => {
    const owner = String(alert.ownerId);
    if (!recipientsOf.has(owner)) recipientsOf.set(owner, recipientsFor(alert.ownerId, choices?.get(owner)));
    steps.set(alert, await planNextTier(deps, alert, await recipientsOf.get(owner)!, now));
  });
  const planned = alerts.map((alert) => ({ alert, step: steps.get(alert)! }));
  const until = leaseUntil(deps, now);
  const delivery = handOff ? { claimToken: newClaimToken(), state: 'sending', leaseOwner: deps.instanceId, leaseUntil: until, attemptSlot: minuteSlot(until), attemptStartedAt: now, attempts: 1 } : null;
  const outbox = planned.flatMap(({ step }) => step.outbox).map((entry) => (delivery ? { ...entry, ...delivery, _id: new Types.ObjectId() } : entry));
  const duplicates = await insertManyKeepingDuplicates(OutboxModel, outbox);
  const queued = outbox.length - duplicates.size;
  await recordEvents(deps, planned.flatMap(({ step }) => step.events));
  await bulkUpdate(
    AlertModel,
    planned.map(({ alert, step }) => {
      const slot = step.release.nextActionAt ? { actionSlot: slotFor(step.release.nextActionAt, now) } : { actionSlot: null };
      return { updateOne: { filter: { _id: alert._id, claimToken: alert.claimToken, leaseOwner: deps.instanceId, state: 'escalating' }, update: { $set: { ...step.release, ...slot, leaseOwner: null, leaseUntil: null, claimToken: null } } } };
    }),
  );
  if (queued > 0 && !delivery) deps.wake?.(now);
  const next = planned.map(({ step }) => step.release.nextActionAt?.getTime() ?? Infinity).reduce((a, b) => Math.min(a, b), Infinity);
  if (next < Infinity) deps.wake?.(new Date(next));
  if (!delivery) return null;
  const messages = outbox.filter((_entry, i) => !duplicates.has(i)) as unknown as HandedOverMessages['messages'];
  return { token: delivery.claimToken, messages, neverSent: new Set(messages.filter((m) => justOpened.has(String(m.alertId))).map((m) => String(m._id))) };
}

/** Her own opted-in contacts and, read again at every tier, her team network's (a removed responder gets no further text). */
async function recipientsFor(ownerId: Types.ObjectId, known?: TeamNetworkChoice | null): Promise<Recipient[]> {
  const own = await TrustedContactModel.find({ ownerId, state: 'opted_in' }).lean();
  const team = await teamNetworkOf(ownerId, own, known);
  return [...own.map((c) => ({ ...c, model: TrustedContactModel })), ...team];
}

async function planNextTier(deps: SafetyDeps, alert: AlertDoc, contacts: Recipient[], now: Date): Promise<TierStep> {
  const tiers = [...new Set(contacts.map((c) => c.tier))].sort((a, b) => a - b);
  const wait = new Date(now.getTime() + deps.config.ESCALATION_TIER_WAIT_SECONDS * 1000);
  const events: EventInput[] = [];

  if (tiers.length === 0) {
    // Nobody to text (yet): look again after a tier's wait, in case someone opts in.
    events.push({ ownerId: alert.ownerId, alertId: alert._id, kind: 'no_contacts', at: now, key: `no_contacts:${String(alert._id)}` });
    deps.logger.warn({ event: 'alert_without_contacts', alertId: String(alert._id) }, 'an alert has no opted-in contact to text');
    return { outbox: [], events, release: { nextActionAt: wait } };
  }
  let tierIndex = alert.tierIndex + 1;
  let round = alert.round;
  if (tierIndex >= tiers.length) {
    if (round >= deps.config.ESCALATION_REPEATS) {
      events.push({ ownerId: alert.ownerId, alertId: alert._id, kind: 'escalation_exhausted', at: now, key: `exhausted:${String(alert._id)}` });
      return { outbox: [], events, release: { nextActionAt: null } };
    }
    round += 1;
    tierIndex = 0;
    events.push({ ownerId: alert.ownerId, alertId: alert._id, kind: 'repeat_started', at: now, key: `repeat:${String(alert._id)}:${round}`, detail: `round ${round + 1}` });
  }
  const tier = tiers[tierIndex]!;
  const name = deps.fieldCipher.decrypt(alert.encryptedDisplayName);
  const message = deps.fieldCipher.decrypt(alert.encryptedAlertMessage);
  const place = alert.encryptedPlace ? deps.fieldCipher.decrypt(alert.encryptedPlace) : undefined;
  const time = formatLocalTime(alert.dueAt, alert.timeZone);
  const { duress } = openDuress(deps.fieldCipher, alert);
  const outbox: Array<Record<string, unknown>> = [];
  for (const contact of contacts.filter((c) => c.tier === tier)) {
    // The same reference every time for this entry, so a redone tier renders the same text.
    const ref = await ensureReplyRef(deps, contact, contact.model);
    outbox.push(
      outboxEntry(deps, now, {
        key: `alert:${String(alert._id)}:${String(contact._id)}:t${tier}:r${round}`,
        ownerId: alert.ownerId,
        alertId: alert._id,
        contactId: contact._id,
        kind: 'alert',
        tierIndex,
        round,
        to: decryptContact(deps, contact).phone,
        body: renderAlert({ language: contact.language, duress, name, time, message, place, ref }),
      }),
    );
  }
  events.push({ ownerId: alert.ownerId, alertId: alert._id, kind: 'tier_alerted', at: now, tier, key: `tier:${String(alert._id)}:${round}:${tierIndex}`, detail: round > 0 ? `round ${round + 1}` : undefined });
  return { outbox, events, release: { tierIndex, round, nextActionAt: wait } };
}
