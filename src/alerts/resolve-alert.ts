import type { Types } from 'mongoose';
import { renderMessage } from '../sms/catalogue';
import { AlertModel } from './alert.model';
import type { SafetyDeps } from './deps';
import { enqueueMessage } from './enqueue-message';
import { OutboxModel } from './outbox.model';
import { contactsAlertedFor, decryptContact } from './recipients';
import { recordEvent } from './timeline';

/**
 * Ends an alert because the defender checked in late or cancelled with their PIN: one guarded
 * update decides it, then everyone already alerted gets an all-clear and unsent alerts are dropped.
 * Duress alerts are never resolved here: the phone that would resolve them may be in someone else's hands.
 */
export async function resolveAlert(deps: Pick<SafetyDeps, 'clock' | 'fieldCipher'>, alertId: Types.ObjectId, resolution: 'checked_in' | 'cancelled'): Promise<boolean> {
  const now = deps.clock.now();
  const alert = await AlertModel.findOneAndUpdate(
    { _id: alertId, duress: false, state: { $in: ['opening', 'escalating', 'acknowledged'] } },
    { $set: { state: 'resolved', resolvedAt: now, resolution, nextActionAt: null } },
    { new: true },
  ).lean();
  if (!alert) return false;
  await OutboxModel.deleteMany({ alertId, kind: { $in: ['alert', 'handled_by'] }, state: 'pending' });
  const name = deps.fieldCipher.decrypt(alert.encryptedDisplayName);
  for (const contact of await contactsAlertedFor(alertId)) {
    const { phone } = decryptContact(deps, contact);
    await enqueueMessage(deps, {
      key: `all_clear:${String(alertId)}:${String(contact._id)}`,
      ownerId: alert.ownerId,
      alertId,
      contactId: contact._id,
      kind: 'all_clear',
      to: phone,
      body: renderMessage(contact.language, 'allClear', { name }),
    });
  }
  await recordEvent({ ownerId: alert.ownerId, alertId, kind: 'resolved', at: now, key: `resolved:${String(alertId)}`, detail: resolution });
  return true;
}
