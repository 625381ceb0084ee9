import { createHmac } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** E.164 (+5215512345678) for a valid mobile-capable number, else undefined. */
export function toE164(input: string): string | undefined {
  const parsed = parsePhoneNumberFromString(input.trim());
  if (!parsed || !parsed.isValid()) return undefined;
  const type = parsed.getType();
  // Landlines cannot receive SMS; unknown types (many countries) are given the benefit of the doubt.
  if (type === 'FIXED_LINE' || type === 'VOIP' || type === 'PREMIUM_RATE' || type === 'TOLL_FREE' || type === 'SHARED_COST') return undefined;
  return parsed.number;
}

/**
 * Keyed hash of an E.164 number, so an inbound SMS finds its contact without the database holding
 * numbers in clear. Without the server key, the hash cannot be brute-forced over the number space.
 */
export function phoneLookupKey(lookupKey: Uint8Array, e164: string): string {
  return createHmac('sha256', lookupKey).update(`phone:${e164}`).digest('base64url');
}

/** Shows the defender which number it is without echoing it in full to whoever holds the screen. */
export function phoneHint(e164: string): string {
  return `${'•'.repeat(Math.max(0, e164.length - 3))}${e164.slice(-3)}`;
}
