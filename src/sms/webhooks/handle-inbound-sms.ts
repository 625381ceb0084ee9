import type { Types } from 'mongoose';
import { checkInEverything } from '../../checkins/check-in';
import { checkPin } from '../../checkins/check-in-pins';
import { CheckInProfileModel } from '../../safety/check-in-profile.model';
import { VerifiedPhoneModel } from '../../checkins/verified-phone.model';
import { entriesOfNumber, leave, optIn, optOut, type LeaveOutcome, type NamedEntry, type OptInOutcome } from './contact-replies';
import { listItem, listItemName, renderMessage, renderWithList, type Language } from '../catalogue';
import { firstWord, parseReply, pinIn } from '../keywords';
import { phoneLookupKey, toE164 } from '../phone';
import { acknowledgeAlerts, type AcknowledgeOutcome } from '../../alerts/acknowledge-alert';
import type { SafetyDeps } from '../../safety/deps';

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

  const entries = await entriesOfNumber(lookup);
  if (entries.length === 0) return null;
  const named = reply.target.kind === 'ref' ? entries.find((e) => e.doc.replyRef === (reply.target as { ref: string }).ref) : undefined;
  const language: Language = (named ?? entries[0]!).doc.language;
  const silentForTwilio = TWILIO_HANDLED_WORDS.has(firstWord(body));
  switch (reply.keyword) {
    case 'opt_out':
      // Whatever follows (STOP 4K): Twilio and the carriers stop the whole number, so must we.
      await optOut(deps, entries);
      return null; // Twilio (and the carrier) confirm STOP themselves
    case 'opt_in':
      return answerOptIn(language, await optIn(deps, entries, reply.target), silentForTwilio);
    case 'leave':
      return answerLeave(language, await leave(deps, entries, reply.target));
    case 'ack':
      return answerAck(language, await acknowledgeAlerts(deps, entries.map((e) => e.doc), reply.target));
    default:
      if (entries.every((e) => e.doc.state === 'opted_out') || silentForTwilio) return null;
      return renderMessage(language, 'help');
  }
}

function answerLeave(language: Language, outcome: LeaveOutcome): string {
  if (outcome.kind === 'left') return renderMessage(language, 'leftNetwork', { name: outcome.entry.name });
  if (outcome.kind === 'none') return renderMessage(language, 'noNetwork');
  return renderWithList(language, 'leaveWhich', {}, outcome.current.map((e) => renderMessage(language, 'leaveItem', { name: listItemName(e.name), ref: e.ref ?? '' })));
}

function answerOptIn(language: Language, outcome: OptInOutcome, silentForTwilio: boolean): string | null {
  switch (outcome.kind) {
    case 'opted_in':
      // Twilio confirms START itself; a second text would only repeat it.
      if (silentForTwilio) return null;
      if (outcome.entries.length === 1) {
        const [only] = outcome.entries as [NamedEntry];
        return renderMessage(language, only.team ? 'optedInTeam' : 'optedIn', { name: only.name, ref: only.ref ?? '' });
      }
      return renderWithList(language, 'yesAllDone', { count: String(outcome.entries.length) }, outcome.entries.map((e) => listItemName(e.name)));
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
