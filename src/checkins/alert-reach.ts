import type { Types } from 'mongoose';
import type { SafetyDeps } from '../safety/deps';
import { formatLocalTime } from '../alerts/recipients';
import { TrustedContactModel } from '../contacts/contact.model';
import { renderAlert, SAMPLE_REPLY_REF } from '../sms/catalogue';
import { countSegments } from '../sms/segments';
import type { AlertPreview, AlertReach } from '../safety/check-in.schemas';

type Deps = Pick<SafetyDeps, 'fieldCipher'>;

/**
 * Who an alert could reach right now, read from the contacts each time (never stored with the
 * check-in, where it would drift when a contact opts in or out). Defends against false reassurance:
 * a check-in that protects nobody must say so on the defender's screen.
 */
export async function alertReach(deps: Deps, ownerId: Types.ObjectId | string): Promise<AlertReach> {
  const contacts = await TrustedContactModel.find({ ownerId }, { encryptedName: 1, state: 1, tier: 1 }).sort({ tier: 1, createdAt: 1 }).limit(200).lean();
  const optedIn = contacts.filter((c) => c.state === 'opted_in');
  return {
    optedIn: optedIn.length,
    tiers: [...new Set(optedIn.map((c) => c.tier))].sort((a, b) => a - b),
    waitingForYes: contacts.filter((c) => c.state === 'invited').map((c) => deps.fieldCipher.decrypt(c.encryptedName)),
  };
}

/**
 * Exactly what each contact would receive if this check-in were missed at `dueAt`, in the order the
 * escalation texts them (tier by tier, as advance-escalations does), rendered with the same
 * catalogue and counted with the same segment counter the outbox uses.
 */
export async function previewAlertFor(
  deps: Deps,
  ownerId: Types.ObjectId,
  input: { name: string; message: string; place?: string; dueAt: Date; timeZone: string },
): Promise<AlertPreview> {
  const contacts = await TrustedContactModel.find({ ownerId }).sort({ tier: 1, createdAt: 1 }).limit(200).lean();
  const optedInTiers = [...new Set(contacts.filter((c) => c.state === 'opted_in').map((c) => c.tier))].sort((a, b) => a - b);
  const time = formatLocalTime(input.dueAt, input.timeZone);
  const recipients = contacts.map((contact) => {
    const text = renderAlert({ language: contact.language, duress: false, name: input.name, time, message: input.message, place: input.place, ref: contact.replyRef ?? SAMPLE_REPLY_REF });
    const count = countSegments(text);
    const willBeAlerted = contact.state === 'opted_in';
    return {
      contactId: String(contact._id),
      name: deps.fieldCipher.decrypt(contact.encryptedName),
      tier: contact.tier,
      // 1 for the first tier that has an opted-in contact; null for whoever will not be texted.
      order: willBeAlerted ? optedInTiers.indexOf(contact.tier) + 1 : null,
      state: contact.state,
      language: contact.language,
      text,
      segments: count.segments,
      encoding: count.encoding,
    };
  });
  return { dueAt: input.dueAt.toISOString(), nobodyWillBeAlerted: optedInTiers.length === 0, recipients };
}
