import type { Types } from 'mongoose';
import type { TrustedContact } from '../contacts/contact.model';
import { renderMessage } from '../sms/catalogue';
import type { ReplyTarget } from '../sms/keywords';
import { AlertModel, type Alert } from './alert.model';
import type { SafetyDeps } from '../safety/deps';
import { enqueueMessage } from '../safety/outbox/enqueue-message';
import { OutboxModel, SentMessageModel } from '../safety/outbox/outbox.model';
import { alertedEntryName, contactsAlertedFor, decryptContact } from './recipients';
import { recordEvent } from '../safety/timeline';
import { findEachById } from '../shared/each-by-equality';

/** A personal contact's entry or a team responder's: both are texted alerts and answer ACK the same way. */
type ContactDoc = Pick<TrustedContact, 'state' | 'replyRef' | 'encryptedName'> & { _id: Types.ObjectId };

export interface OpenAlertItem {
  /** The defender's chosen name, as the alert was opened with. */
  name: string;
  ref: string | undefined;
}

export type AcknowledgeOutcome =
  | { kind: 'acknowledged'; names: string[] }
  | { kind: 'already'; byName: string }
  | { kind: 'which'; open: OpenAlertItem[] }
  | { kind: 'wrong_code'; code: string; open: OpenAlertItem[] }
  | { kind: 'nothing_open' };

type AlertDoc = Alert & { _id: Types.ObjectId };

/** One entry of this number (one defender's network) with the alerts that reached it and are still open or handled. */
interface Reached {
  contact: ContactDoc;
  escalating: AlertDoc[];
  acknowledged: AlertDoc[];
}

/** By `_id`, one alert at a time: `_id: {$in}` reads the whole alerts collection on FerretDB (every defender's history). */
export function alertsStillOpenOrHandled(alertIds: readonly string[]): Promise<AlertDoc[]> {
  return findEachById<AlertDoc>(AlertModel, alertIds, { where: { state: { $in: ['escalating', 'acknowledged'] } } });
}

async function alertsThatReached(contact: ContactDoc): Promise<Reached> {
  const reached = await SentMessageModel.find({ contactId: contact._id, kind: 'alert', state: { $in: ['sent', 'delivered', 'undelivered'] } }, { alertId: 1 }).lean();
  const inFlight = await OutboxModel.find({ contactId: contact._id, kind: 'alert', state: 'sending' }, { alertId: 1 }).lean();
  const alertIds = [...new Set([...reached, ...inFlight].map((m) => String(m.alertId)))];
  const alerts = await alertsStillOpenOrHandled(alertIds);
  return { contact, escalating: alerts.filter((a) => a.state === 'escalating'), acknowledged: alerts.filter((a) => a.state === 'acknowledged') };
}

/**
 * A contact replied ACK. The entries of this number each belong to one defender's network and carry their own
 * reference: "ACK 4K" acts on that network's open alerts, a bare ACK only when exactly one network has an open
 * alert for this number, "ACK ALL" on all of them. With several open and no code nothing is acknowledged and the
 * reply lists them. For each alert, one guarded update (escalating -> acknowledged) decides who is handling it:
 * the first reply wins, escalation stops, and everyone else already alerted is told who (by the contact's name).
 */
export async function acknowledgeAlerts(deps: Pick<SafetyDeps, 'clock' | 'fieldCipher' | 'logger' | 'serverKeys'>, contacts: ContactDoc[], target: ReplyTarget = { kind: 'bare' }): Promise<AcknowledgeOutcome> {
  const now = deps.clock.now();
  const groups: Reached[] = [];
  for (const contact of contacts.filter((c) => c.state === 'opted_in')) groups.push(await alertsThatReached(contact));
  const open = groups.filter((g) => g.escalating.length > 0);
  const listed = () => open.map((g) => ({ name: deps.fieldCipher.decrypt(g.escalating[0]!.encryptedDisplayName), ref: g.contact.replyRef }));
  let chosen: Reached[];
  // With nothing open, ALL still says who is already acting, as a bare ACK does.
  if (target.kind === 'all') chosen = open.length > 0 ? open : groups;
  else if (target.kind === 'ref') {
    const named = groups.find((g) => g.contact.replyRef === target.ref && g.escalating.length + g.acknowledged.length > 0);
    if (!named) return open.length === 0 ? { kind: 'nothing_open' } : { kind: 'wrong_code', code: target.ref, open: listed() };
    chosen = [named];
  } else {
    if (open.length > 1) return { kind: 'which', open: listed() };
    chosen = open.length === 1 ? open : groups;
  }

  const names: string[] = [];
  for (const { contact, escalating } of chosen) {
    for (const alert of escalating) {
      const won = await AlertModel.findOneAndUpdate(
        { _id: alert._id, state: 'escalating' },
        { $set: { state: 'acknowledged', acknowledgedByContactId: contact._id, acknowledgedAt: now, nextActionAt: null } },
        { new: true },
      ).lean();
      if (!won) continue;
      names.push(deps.fieldCipher.decrypt(won.encryptedDisplayName));
      await tellOthers(deps, won._id, won.ownerId, won.encryptedDisplayName, contact);
      await OutboxModel.deleteMany({ alertId: won._id, kind: 'alert', state: 'pending' });
      await recordEvent(deps, { ownerId: won.ownerId, alertId: won._id, kind: 'acknowledged', at: now, contactId: contact._id, key: `acknowledged:${String(won._id)}` });
      deps.logger.info({ event: 'alert_acknowledged', alertId: String(won._id) }, 'a contact is handling an alert');
    }
  }
  if (names.length > 0) return { kind: 'acknowledged', names };

  // Nothing won: someone (perhaps this very number, in an earlier reply) is already acting on the chosen alerts.
  for (const { contact, escalating, acknowledged } of chosen) {
    for (const alert of [...escalating, ...acknowledged]) {
      const current = await AlertModel.findOne({ _id: alert._id }, { acknowledgedByContactId: 1, encryptedDisplayName: 1 }).lean();
      if (!current?.acknowledgedByContactId) continue;
      if (String(current.acknowledgedByContactId) === String(contact._id)) return { kind: 'acknowledged', names: [deps.fieldCipher.decrypt(current.encryptedDisplayName)] };
      const by = await alertedEntryName(deps, current.acknowledgedByContactId);
      if (by) return { kind: 'already', byName: by };
    }
  }
  return { kind: 'nothing_open' };
}

async function tellOthers(deps: Pick<SafetyDeps, 'clock' | 'fieldCipher'>, alertId: Types.ObjectId, ownerId: Types.ObjectId, encryptedDisplayName: string, handler: ContactDoc): Promise<void> {
  const name = deps.fieldCipher.decrypt(encryptedDisplayName);
  const handlerName = deps.fieldCipher.decrypt(handler.encryptedName);
  for (const other of await contactsAlertedFor(alertId)) {
    if (String(other._id) === String(handler._id)) continue;
    await enqueueMessage(deps, {
      key: `handled_by:${String(alertId)}:${String(other._id)}`,
      ownerId,
      alertId,
      contactId: other._id,
      kind: 'handled_by',
      to: decryptContact(deps, other).phone,
      body: renderMessage(other.language, 'handledBy', { contact: handlerName, name }),
    });
  }
}
