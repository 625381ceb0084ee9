import { DateTime } from 'luxon';
import type { Types } from 'mongoose';
import { TrustedContactModel, type TrustedContact } from '../contacts/contact.model';
import type { SafetyDeps } from './deps';
import { OutboxModel, SentMessageModel } from './outbox.model';

/** Contacts an alert has reached or is reaching right now: they are the ones owed a handled-by or an all-clear. */
export async function contactsAlertedFor(alertId: Types.ObjectId): Promise<Array<TrustedContact & { _id: Types.ObjectId }>> {
  const sent = await SentMessageModel.find({ alertId, kind: 'alert', state: { $in: ['sent', 'delivered', 'undelivered'] } }, { contactId: 1 }).lean();
  const inFlight = await OutboxModel.find({ alertId, kind: 'alert', state: 'sending' }, { contactId: 1 }).lean();
  const ids = [...new Set([...sent, ...inFlight].map((m) => String(m.contactId)).filter((id) => id !== 'undefined'))];
  if (ids.length === 0) return [];
  return TrustedContactModel.find({ _id: { $in: ids }, state: 'opted_in' }).lean();
}

export function decryptContact(deps: Pick<SafetyDeps, 'fieldCipher'>, contact: Pick<TrustedContact, 'encryptedName' | 'encryptedPhone'>) {
  return { name: deps.fieldCipher.decrypt(contact.encryptedName), phone: deps.fieldCipher.decrypt(contact.encryptedPhone) };
}

/** "18:00 (UTC-6)": the defender's local time, with an offset a contact elsewhere can convert. */
export function formatLocalTime(at: Date, timeZone: string): string {
  const local = DateTime.fromJSDate(at).setZone(timeZone);
  const offset = local.toFormat('Z');
  return `${local.toFormat('HH:mm')} (UTC${offset === '+0' ? '' : offset})`;
}
