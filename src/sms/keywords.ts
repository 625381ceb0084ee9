/**
 * What an inbound SMS asks for. Opt-out and opt-in words are Twilio's standard list: Twilio (and
 * carriers) act on them for the whole sending number whatever we do, so we must agree with them.
 */
export type Keyword = 'opt_out' | 'opt_in' | 'ack' | 'help' | 'other';

const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT']);
// YES and its translations answer the invitation; START and UNSTOP are Twilio's opt-back-in words.
const OPT_IN = new Set(['YES', 'START', 'UNSTOP', 'SI', 'SIM', 'OUI', 'YA']);
const ACK = new Set(['ACK', 'OK', 'OKAY', 'RECIBIDO', 'VOY', 'CIENTE', 'VOU', 'RECU']);
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
  if (HELP.has(word)) return 'help';
  return 'other';
}

/** A check-in code sent by SMS: the PIN, alone or after a word ("PIN 4821", "4821"). */
export function pinIn(body: string): string | undefined {
  const match = /^\s*(?:[A-Za-z]+\s+)?(\d{4,12})\s*$/.exec(body);
  return match?.[1];
}
