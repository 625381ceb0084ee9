import type { Types } from 'mongoose';
import type { SafetyDeps } from '../safety/deps';
import { phoneHint } from '../sms/phone';
import type { TrustedContact } from './contact.model';
import type { ContactView } from '../safety/contact.schemas';

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
