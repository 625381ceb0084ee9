import { createHmac } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** E.164 (+525512345678) for a valid mobile-capable number, else undefined. */
export function toE164(input: string): string | undefined {
  const trimmed = input.trim();
  // Mexico dropped the mobile "1" after +52 in 2019, but people still type it (and old address books keep it).
  const mexican = /^\+\s*52[\s.-]*1[\s.-]*(\d[\d\s().-]{9,})$/.exec(trimmed);
  if (mexican) {
    const withoutOne = toE164(`+52 ${mexican[1]}`);
    if (withoutOne) return withoutOne;
  }
  const parsed = parsePhoneNumberFromString(trimmed);
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
