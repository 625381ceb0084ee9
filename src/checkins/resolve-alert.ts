import type { Types } from 'mongoose';
import { renderMessage } from '../sms/catalogue';
import { openDuress } from '../alerts/alert-secrets';
import { AlertModel } from '../alerts/alert.model';
import type { SafetyDeps } from '../safety/deps';
import { enqueueMessage } from '../safety/outbox/enqueue-message';
import { OutboxModel } from '../safety/outbox/outbox.model';
import { contactsAlertedFor, decryptContact } from '../alerts/recipients';
import { recordEvent } from '../safety/timeline';
import { minuteSlot } from '../shared/time-slots';
import { recoveryAt } from './recover-stranded-check-ins';

/**
 * Ends an alert because the defender checked in late or cancelled with their PIN: one guarded
 * update decides it, then everyone already alerted gets an all-clear and unsent alerts are dropped.
 * Duress alerts are never resolved here: the phone that would resolve them may be in someone else's hands.
 */
export async function resolveAlert(deps: Pick<SafetyDeps, 'clock' | 'fieldCipher' | 'serverKeys' | 'wake'>, alertId: Types.ObjectId, resolution: 'checked_in' | 'cancelled'): Promise<boolean> {
  const now = deps.clock.now();
  const open = { $in: ['opening', 'escalating', 'acknowledged'] };
  const current = await AlertModel.findOne({ _id: alertId, state: open }, { encryptedDuress: 1 }).lean();
  if (!current || openDuress(deps.fieldCipher, current).duress) return false;
  // The duress flag is sealed, so the guard is the very ciphertext read above: a duress PIN taking
  // the alert over in between writes a new one (fresh nonce), and this update then matches nothing.
  const alert = await AlertModel.findOneAndUpdate(
    { _id: alertId, encryptedDuress: current.encryptedDuress, state: open },
    // The caller moves the check-in on next; if it crashes first, the scheduler does it in recoverySlot
    // (a minute later, so it never races a caller that is merely slow).
    { $set: { state: 'resolved', resolvedAt: now, resolution, nextActionAt: null, actionSlot: null, recoverySlot: minuteSlot(recoveryAt(now)) } },
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
  await recordEvent(deps, { ownerId: alert.ownerId, alertId, kind: 'resolved', at: now, key: `resolved:${String(alertId)}`, detail: resolution });
  return true;
}
