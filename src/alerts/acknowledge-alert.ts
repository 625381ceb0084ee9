import type { Types } from 'mongoose';
import { TrustedContactModel, type TrustedContact } from '../contacts/contact.model';
import { renderMessage } from '../sms/catalogue';
import { AlertModel } from './alert.model';
import type { SafetyDeps } from './deps';
import { enqueueMessage } from './enqueue-message';
import { OutboxModel, SentMessageModel } from './outbox.model';
import { contactsAlertedFor, decryptContact } from './recipients';
import { recordEvent } from './timeline';

type ContactDoc = TrustedContact & { _id: Types.ObjectId };

export type AcknowledgeOutcome = { kind: 'acknowledged' } | { kind: 'already'; byName: string } | { kind: 'nothing_open' };

/**
 * A contact replied ACK. For every open alert that reached this contact, one guarded update
 * (escalating -> acknowledged) decides who is handling it: the first reply wins, escalation stops,
 * and everyone else already alerted is told who is handling it (by the contact's name only).
 */
export async function acknowledgeAlerts(deps: Pick<SafetyDeps, 'clock' | 'fieldCipher' | 'logger' | 'serverKeys'>, contacts: ContactDoc[]): Promise<AcknowledgeOutcome> {
  const now = deps.clock.now();
  let outcome: AcknowledgeOutcome = { kind: 'nothing_open' };
  for (const contact of contacts.filter((c) => c.state === 'opted_in')) {
    const reached = await SentMessageModel.find({ contactId: contact._id, kind: 'alert', state: { $in: ['sent', 'delivered', 'undelivered'] } }, { alertId: 1 }).lean();
    const inFlight = await OutboxModel.find({ contactId: contact._id, kind: 'alert', state: 'sending' }, { alertId: 1 }).lean();
    const alertIds = [...new Set([...reached, ...inFlight].map((m) => String(m.alertId)))];
    if (alertIds.length === 0) continue;
    const open = await AlertModel.find({ _id: { $in: alertIds }, state: { $in: ['escalating', 'acknowledged'] } }).lean();
    for (const alert of open) {
      const won = await AlertModel.findOneAndUpdate(
        { _id: alert._id, state: 'escalating' },
        { $set: { state: 'acknowledged', acknowledgedByContactId: contact._id, acknowledgedAt: now, nextActionAt: null } },
        { new: true },
      ).lean();
      if (won) {
        outcome = { kind: 'acknowledged' };
        await tellOthers(deps, won._id, won.ownerId, won.encryptedDisplayName, contact);
        await OutboxModel.deleteMany({ alertId: won._id, kind: 'alert', state: 'pending' });
        await recordEvent(deps, { ownerId: won.ownerId, alertId: won._id, kind: 'acknowledged', at: now, contactId: contact._id, key: `acknowledged:${String(won._id)}` });
        deps.logger.info({ event: 'alert_acknowledged', alertId: String(won._id) }, 'a contact is handling an alert');
      } else if (outcome.kind === 'nothing_open') {
        const current = await AlertModel.findOne({ _id: alert._id }, { acknowledgedByContactId: 1 }).lean();
        const by = current?.acknowledgedByContactId ? await TrustedContactModel.findOne({ _id: current.acknowledgedByContactId }, { encryptedName: 1 }).lean() : null;
        if (String(current?.acknowledgedByContactId) === String(contact._id)) outcome = { kind: 'acknowledged' };
        else if (by) outcome = { kind: 'already', byName: deps.fieldCipher.decrypt(by.encryptedName) };
      }
    }
  }
  return outcome;
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
