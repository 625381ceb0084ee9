import { DateTime } from 'luxon';
import type { Types } from 'mongoose';
import { TrustedContactModel, type TrustedContact } from '../contacts/contact.model';
import { TeamResponderModel } from '../teams/team-network.model';
import type { SafetyDeps } from '../safety/deps';
import { OutboxModel, SentMessageModel } from '../safety/outbox/outbox.model';

/** Whoever an alert can reach: a personal contact, or a responder of the member's team network. */
export type AlertedEntry = Pick<TrustedContact, 'language' | 'encryptedName' | 'encryptedPhone' | 'state'> & { _id: Types.ObjectId };

/** Contacts (and team responders) an alert has reached or is reaching right now: they are owed a handled-by or an all-clear. */
export async function contactsAlertedFor(alertId: Types.ObjectId): Promise<AlertedEntry[]> {
  const sent = await SentMessageModel.find({ alertId, kind: 'alert', state: { $in: ['sent', 'delivered', 'undelivered'] } }, { contactId: 1 }).lean();
  const inFlight = await OutboxModel.find({ alertId, kind: 'alert', state: 'sending' }, { contactId: 1 }).lean();
  const ids = [...new Set([...sent, ...inFlight].map((m) => String(m.contactId)).filter((id) => id !== 'undefined'))];
  if (ids.length === 0) return [];
  const [contacts, responders] = await Promise.all([
    TrustedContactModel.find({ _id: { $in: ids }, state: 'opted_in' }).lean<AlertedEntry[]>(),
    TeamResponderModel.find({ _id: { $in: ids }, state: 'opted_in' }).lean<AlertedEntry[]>(),
  ]);
  return [...contacts, ...responders];
}

/** The name of whoever acknowledged (or was texted): a personal contact, else a team responder (removed: null). */
export async function alertedEntryName(deps: Pick<SafetyDeps, 'fieldCipher'>, id: Types.ObjectId | string): Promise<string | null> {
  const found = (await TrustedContactModel.findOne({ _id: id }, { encryptedName: 1 }).lean()) ?? (await TeamResponderModel.findOne({ _id: id }, { encryptedName: 1 }).lean());
  return found ? deps.fieldCipher.decrypt(found.encryptedName) : null;
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
