/**
 * What an inbound SMS asks for. Opt-out and opt-in words are Twilio's standard list: Twilio (and
 * carriers) act on them for the whole sending number whatever we do, so we must agree with them.
 */
export type Keyword = 'opt_out' | 'opt_in' | 'ack' | 'leave' | 'help' | 'other';

const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT']);
// YES and its translations answer the invitation; START and UNSTOP are Twilio's opt-back-in words.
const OPT_IN = new Set(['YES', 'START', 'UNSTOP', 'SI', 'SIM', 'OUI', 'YA']);
const ACK = new Set(['ACK', 'OK', 'OKAY', 'RECIBIDO', 'VOY', 'CIENTE', 'VOU', 'RECU']);
// Leaves one network (with its code), never all of them: STOP does that. QUIT is Twilio's, so it stays an opt-out.
const LEAVE = new Set(['LEAVE', 'SALIR', 'SAIR', 'QUITTER', 'KELUAR']);
const HELP = new Set(['HELP', 'INFO', 'AYUDA', 'AJUDA', 'AIDE']);

/** Upper-cases, strips accents and punctuation, and looks at the first word only ("Ack, on my way" is ACK). */
export function firstWord(body: string): string {
  const normalised = body.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase().trim();
  return normalised.split(/\s+/)[0]?.replace(/[^A-Z0-9]/g, '') ?? '';
}

export function keywordOf(body: string): Keyword {
  const word = firstWord(body);
  if (OPT_OUT.has(word)) return 'opt_out';
  if (OPT_IN.has(word)) return 'opt_in';
  if (ACK.has(word)) return 'ack';
  if (LEAVE.has(word)) return 'leave';
  if (HELP.has(word)) return 'help';
  return 'other';
}

/**
 * The alphabet of reply references ("ACK 4K"): one digit and one letter (either order), or after many collisions
 * for one number one digit and two letters. Look-alikes are left out (0 O D Q, 1 I L J, 2 Z, 5 S, 8 B, G, U V). The digit is
 * what tells a reference from a word: "Ack, on my way" or "ok we go" must never read as a code.
 */
export const REF_DIGITS = '34679';
export const REF_LETTERS = 'ACEFHKMNPRTWXY';
const REF_SHAPE = new RegExp(`^(?=[^${REF_DIGITS}]*[${REF_DIGITS}][^${REF_DIGITS}]*$)[${REF_DIGITS}${REF_LETTERS}]{2,3}$`);

export function isReference(token: string): boolean {
  return REF_SHAPE.test(token);
}

/** What a YES or ACK names: nothing (a bare word), every waiting thing ("ACK ALL"), or one reference. */
export type ReplyTarget = { kind: 'bare' } | { kind: 'all' } | { kind: 'ref'; ref: string };

export interface Reply {
  keyword: Keyword;
  target: ReplyTarget;
}

function tokensOf(body: string): string[] {
  return body.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase().replace(/[^A-Z0-9]+/g, ' ').trim().split(' ').filter((t) => t !== '');
}

/**
 * A reply with its reference. Accepted, case-insensitive: "ACK 4K", "ack4k", "Ack 4K on my way", "4K ACK",
 * "ACK ALL". ALL counts only as the whole reply ("ok all good" is a bare OK, not ACK ALL): acting on every alert
 * at once must be meant. A word after the keyword that is not a reference leaves the reply bare.
 */
export function parseReply(body: string): Reply {
  const tokens = tokensOf(body);
  const [first = '', second = ''] = tokens;
  if (isReference(first) && second !== '' && keywordOf(second) !== 'other') return { keyword: keywordOf(second), target: { kind: 'ref', ref: first } };
  const keyword = keywordOf(body);
  if (keyword !== 'other') {
    if (tokens.length === 2 && second === 'ALL') return { keyword, target: { kind: 'all' } };
    if (isReference(second)) return { keyword, target: { kind: 'ref', ref: second } };
    return { keyword, target: { kind: 'bare' } };
  }
  // Glued: "ACK4K", "SIM7P". Longest keyword first, so SIM is not read as SI + M7.
  for (let cut = first.length - 2; cut >= 2 && cut >= first.length - 3; cut -= 1) {
    const word = first.slice(0, cut);
    const ref = first.slice(cut);
    if (isReference(ref) && keywordOf(word) !== 'other') return { keyword: keywordOf(word), target: { kind: 'ref', ref } };
  }
  return { keyword: 'other', target: { kind: 'bare' } };
}

/** A check-in code sent by SMS: the PIN, alone or after a word ("PIN 4821", "4821"). */
export function pinIn(body: string): string | undefined {
  const match = /^\s*(?:[A-Za-z]+\s+)?(\d{4,12})\s*$/.exec(body);
  return match?.[1];
}
