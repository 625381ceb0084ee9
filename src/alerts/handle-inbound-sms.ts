import type { Types } from 'mongoose';
import { checkInEverything } from '../checkins/check-in';
import { checkPin } from '../checkins/check-in-pins';
import { CheckInProfileModel } from '../checkins/check-in-profile.model';
import { VerifiedPhoneModel } from '../checkins/verified-phone.model';
import { TrustedContactModel, type TrustedContact } from '../contacts/contact.model';
import { optIn, optOut, type OptInOutcome } from '../contacts/contact-replies';
import { listItem, listItemName, renderMessage, renderWithList, type Language } from '../sms/catalogue';
import { firstWord, parseReply, pinIn } from '../sms/keywords';
import { phoneLookupKey, toE164 } from '../sms/phone';
import { acknowledgeAlerts, type AcknowledgeOutcome } from './acknowledge-alert';
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
  const reply = parseReply(body);

  const pin = pinIn(body);
  if (pin && reply.keyword !== 'opt_out') {
    // Only a verified number checks in, and only for the one profile that verified it: an unverified
    // profile naming someone else's number must neither swallow her check-ins nor her duress PIN.
    const claim = await VerifiedPhoneModel.findById(lookup).lean();
    const profile = claim ? await CheckInProfileModel.findOne({ ownerId: claim.ownerId, phoneLookup: lookup, phoneVerifiedAt: { $exists: true } }, { ownerId: 1, language: 1 }).lean() : null;
    if (profile) return checkInBySms(deps, profile.ownerId, profile.language, pin);
  }

  const contacts = await TrustedContactModel.find({ phoneLookup: lookup }).lean<ContactDoc[]>();
  if (contacts.length === 0) return null;
  const named = reply.target.kind === 'ref' ? contacts.find((c) => c.replyRef === (reply.target as { ref: string }).ref) : undefined;
  const language: Language = (named ?? contacts[0]!).language;
  const silentForTwilio = TWILIO_HANDLED_WORDS.has(firstWord(body));
  switch (reply.keyword) {
    case 'opt_out':
      // Whatever follows (STOP 4K): Twilio and the carriers stop the whole number, so must we.
      await optOut(deps, contacts);
      return null; // Twilio (and the carrier) confirm STOP themselves
    case 'opt_in':
      return answerOptIn(language, await optIn(deps, contacts, reply.target), silentForTwilio);
    case 'ack':
      return answerAck(language, await acknowledgeAlerts(deps, contacts, reply.target));
    default:
      if (contacts.every((c) => c.state === 'opted_out') || silentForTwilio) return null;
      return renderMessage(language, 'help');
  }
}

function answerOptIn(language: Language, outcome: OptInOutcome, silentForTwilio: boolean): string | null {
  switch (outcome.kind) {
    case 'opted_in':
      // Twilio confirms START itself; a second text would only repeat it.
      if (silentForTwilio) return null;
      if (outcome.names.length === 1) return renderMessage(language, 'optedIn', { name: outcome.names[0]! });
      return renderWithList(language, 'yesAllDone', { count: String(outcome.names.length) }, outcome.names.map((n) => listItemName(n)));
    case 'which':
      // Said even after START: opting in nobody without saying why would leave the person believing she is in.
      return renderWithList(language, 'yesWhich', { count: String(outcome.waiting.length) }, outcome.waiting.map((w) => listItem(language, 'yes', w.name, w.ref)));
    case 'wrong_code':
      return renderWithList(language, 'yesWrongCode', { code: outcome.code }, outcome.waiting.map((w) => listItem(language, 'yes', w.name, w.ref)));
    case 'none_waiting':
      return silentForTwilio ? null : renderMessage(language, 'noInvitation');
  }
}

function answerAck(language: Language, outcome: AcknowledgeOutcome): string {
  switch (outcome.kind) {
    case 'acknowledged': {
      if (outcome.names.length === 1) return renderMessage(language, 'ackThanks', { name: outcome.names[0]! });
      const names = [...new Set(outcome.names)].map((n) => listItemName(n));
      return renderWithList(language, 'ackAllDone', { count: String(outcome.names.length) }, names);
    }
    case 'already':
      return renderMessage(language, 'ackAlready', { contact: outcome.byName });
    case 'which':
      return renderWithList(language, 'ackWhich', { count: String(outcome.open.length) }, outcome.open.map((o) => listItem(language, 'ack', o.name, o.ref)));
    case 'wrong_code':
      return renderWithList(language, 'ackWrongCode', { code: outcome.code }, outcome.open.map((o) => listItem(language, 'ack', o.name, o.ref)));
    case 'nothing_open':
      return renderMessage(language, 'nothingOpen');
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
