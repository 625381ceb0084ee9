import type { Types } from 'mongoose';
import type { SafetyDeps } from '../alerts/deps';
import type { Language } from '../sms/catalogue';
import { phoneHint } from '../sms/phone';
import type { ContactState, TrustedContact } from './contact.model';

export interface ContactView {
  id: string;
  name: string;
  /** The last three digits only: the defender typed the number in, the screen need not repeat it. */
  phoneHint: string;
  language: Language;
  tier: number;
  state: ContactState;
  stateChangedAt: string;
  createdAt: string;
}

export function contactView(deps: Pick<SafetyDeps, 'fieldCipher'>, contact: TrustedContact & { _id: Types.ObjectId }): ContactView {
  return {
    id: String(contact._id),
    name: deps.fieldCipher.decrypt(contact.encryptedName),
    phoneHint: phoneHint(deps.fieldCipher.decrypt(contact.encryptedPhone)),
    language: contact.language,
    tier: contact.tier,
    state: contact.state,
    stateChangedAt: contact.stateChangedAt.toISOString(),
    createdAt: contact.createdAt.toISOString(),
  };
}
