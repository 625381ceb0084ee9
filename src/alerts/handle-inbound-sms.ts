import type { Types } from 'mongoose';
import { checkInEverything } from '../checkins/check-in';
import { checkPin } from '../checkins/check-in-pins';
import { CheckInProfileModel } from '../checkins/check-in-profile.model';
import { VerifiedPhoneModel } from '../checkins/verified-phone.model';
import { TrustedContactModel, type TrustedContact } from '../contacts/contact.model';
import { optIn, optOut } from '../contacts/contact-replies';
import { renderMessage, type Language } from '../sms/catalogue';
import { firstWord, keywordOf, pinIn } from '../sms/keywords';
import { phoneLookupKey, toE164 } from '../sms/phone';
import { acknowledgeAlerts } from './acknowledge-alert';
import type { SafetyDeps } from './deps';

type ContactDoc = TrustedContact & { _id: Types.ObjectId };

// Twilio answers these itself (Advanced Opt-Out); replying too would send the person two texts.
const TWILIO_HANDLED_WORDS = new Set(['START', 'UNSTOP', 'HELP', 'INFO']);

/**
 * One inbound SMS, already verified as coming from Twilio. Returns the reply text, or null for none.
 * Unknown senders get nothing at all: no reply tells them whether a number is known.
 */
export async function handleInboundSms(deps: SafetyDeps, from: string, body: string): Promise<string | null> {
  const e164 = toE164(from) ?? from;
  const lookup = phoneLookupKey(deps.serverKeys.lookupKey, e164);
  const keyword = keywordOf(body);

  const pin = pinIn(body);
  if (pin && keyword !== 'opt_out') {
    // Only a verified number checks in, and only for the one profile that verified it: an unverified
    // profile naming someone else's number must neither swallow her check-ins nor her duress PIN.
    const claim = await VerifiedPhoneModel.findById(lookup).lean();
    const profile = claim ? await CheckInProfileModel.findOne({ ownerId: claim.ownerId, phoneLookup: lookup, phoneVerifiedAt: { $exists: true } }, { ownerId: 1, language: 1 }).lean() : null;
    if (profile) return checkInBySms(deps, profile.ownerId, profile.language, pin);
  }

  const contacts = await TrustedContactModel.find({ phoneLookup: lookup }).lean<ContactDoc[]>();
  if (contacts.length === 0) return null;
  const language: Language = contacts[0]!.language;
  const silentForTwilio = TWILIO_HANDLED_WORDS.has(firstWord(body));
  switch (keyword) {
    case 'opt_out':
      await optOut(deps, contacts);
      return null; // Twilio (and the carrier) confirm STOP themselves
    case 'opt_in':
      await optIn(deps, contacts);
      return silentForTwilio ? null : renderMessage(language, 'optedIn');
    case 'ack': {
      const outcome = await acknowledgeAlerts(deps, contacts);
      if (outcome.kind === 'acknowledged') return renderMessage(language, 'ackThanks');
      if (outcome.kind === 'already') return renderMessage(language, 'ackAlready', { contact: outcome.byName });
      return renderMessage(language, 'nothingOpen');
    }
    default:
      if (contacts.every((c) => c.state === 'opted_out') || silentForTwilio) return null;
      return renderMessage(language, 'help');
  }
}

async function checkInBySms(deps: SafetyDeps, ownerId: Types.ObjectId, language: Language, pin: string): Promise<string> {
  try {
    const { profile, outcome } = await checkPin(deps, ownerId, pin);
    await checkInEverything(deps, profile, outcome);
    return renderMessage(language, 'checkedIn');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'wrong_pin' || code === 'too_many_attempts') return renderMessage(language, 'pinNotRecognised');
    throw error;
  }
}
