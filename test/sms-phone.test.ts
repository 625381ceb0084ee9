import assert from 'node:assert/strict';
import { phoneHint, toE164 } from '../src/sms/phone';

/** Numbers as people write them in the regions the networks grow in (formats from each numbering plan). */
const MOBILES: [country: string, typed: string, e164: string][] = [
  ['Honduras', '+504 9123-4567', '+50491234567'],
  ['Honduras', '+504 3123 4567', '+50431234567'],
  ['Guatemala', '+502 5123 4567', '+50251234567'],
  ['Mexico', '+52 55 1234 5678', '+525512345678'],
  ['Mexico (the old mobile 1)', '+52 1 55 1234 5678', '+525512345678'],
  ['Mexico (the old mobile 1, no spaces)', '+5215512345678', '+525512345678'],
  ['Zimbabwe', '+263 77 123 4567', '+263771234567'],
  ['Zambia', '+260 97 1234567', '+260971234567'],
  ['Malawi', '+265 99 123 4567', '+265991234567'],
  ['Mozambique', '+258 84 123 4567', '+258841234567'],
  ['Indonesia', '+62 812-3456-7890', '+6281234567890'],
  ['Myanmar', '+95 9 781 234567', '+959781234567'],
  ['Myanmar (7 digits after 9)', '+95 9 212 3456', '+9592123456'],
  ['Cambodia', '+855 12 345 678', '+85512345678'],
  ['Cambodia', '(+855) 96 234 5678', '+855962345678'],
];

/** Landlines cannot receive SMS: refused rather than left to fail at the first alert. */
const LANDLINES: [country: string, typed: string][] = [
  ['Zimbabwe (Harare)', '+263 242 123456'],
  ['Zambia (Lusaka)', '+260 211 123456'],
  ['Malawi (Lilongwe)', '+265 1 234 567'],
  ['Mozambique (Maputo)', '+258 21 123 456'],
  ['Indonesia (Jakarta)', '+62 21 1234 5678'],
  ['Myanmar (Yangon)', '+95 1 234 567'],
];

const INVALID: [why: string, typed: string][] = [
  ['no country code', '9123 4567'],
  ['too short for Honduras', '+504 9123 456'],
  ['too long for Cambodia', '+855 12 345 678 90'],
  ['an unassigned Guatemalan range', '+502 0123 4567'],
  ['letters', '+62 812 CALL ME'],
  ['a Mexican-looking number without its +, which could be anything', '5215512345678'],
];

describe('Phone numbers of Mesoamerica, Southern Africa and Southeast Asia', function () {
  for (const [country, typed, e164] of MOBILES) {
    it(`accepts a ${country} mobile typed as ${typed} and keeps it as ${e164}`, () => {
      assert.equal(toE164(typed), e164);
      assert.equal(phoneHint(e164), `${'•'.repeat(e164.length - 3)}${e164.slice(-3)}`);
    });
  }
  for (const [country, typed] of LANDLINES) {
    it(`refuses a ${country} landline (${typed}): it cannot receive SMS`, () => {
      assert.equal(toE164(typed), undefined);
    });
  }
  for (const [why, typed] of INVALID) {
    it(`refuses ${typed} (${why})`, () => {
      assert.equal(toE164(typed), undefined);
    });
  }
});
