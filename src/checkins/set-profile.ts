import { Types } from 'mongoose';
import type { SafetyDeps } from '../safety/deps';
import type { AuthenticatedAccount } from '../shared/authenticated-account';
import { errors } from '../shared/errors';
import { phoneLookupKey, toE164 } from '../sms/phone';
import { checkPin, copyPinsToCheckIns } from './check-in-pins';
import { CheckInProfileModel, type CheckInProfile } from '../safety/check-in-profile.model';
import { enqueuePhoneCode, newPhoneCode, releaseVerifiedPhones, secondsUntilNextCode } from './phone-verification';
import { hashPin, verifyPin } from './pin-hash';
import type { ProfileInput } from '../safety/check-in.schemas';
import { profileView, type ProfileView } from './views';

export async function setCheckInProfile(deps: Pick<SafetyDeps, 'clock' | 'fieldCipher' | 'serverKeys'>, who: AuthenticatedAccount, input: ProfileInput): Promise<ProfileView> {
  const ownerId = new Types.ObjectId(who.accountId);
  const now = deps.clock.now();
  const existing = await CheckInProfileModel.findOne({ ownerId }).lean();
  const changingPins = input.pin !== undefined || input.duressPin !== undefined;
  if (!existing && (input.pin === undefined || input.duressPin === undefined)) {
    throw errors.badRequest('pins_required', 'Choose a check-in PIN and a different duress PIN.');
  }
  if (input.pin !== undefined && input.pin === input.duressPin) throw errors.badRequest('duress_pin_same_as_pin', 'The duress PIN must differ from the check-in PIN.');
  // Validated before anything is checked or written, so a bad number changes nothing.
  const e164 = typeof input.phone === 'string' ? toE164(input.phone) : undefined;
  if (typeof input.phone === 'string' && !e164) throw errors.badRequest('invalid_phone', 'That is not a valid mobile number. Include the country code, e.g. +52 55 1234 5678.');
  const lookup = e164 ? phoneLookupKey(deps.serverKeys.lookupKey, e164) : undefined;
  if (existing) {
    // The name is what alerts call her by and the phone is where her SMS check-ins come from: someone holding
    // her unlocked session could otherwise rename her or move check-ins to their own number. Language and
    // time zone stay free: they change the wording and the clock of texts, never who gets them or from where.
    const changingName = deps.fieldCipher.decrypt(existing.encryptedDisplayName) !== input.displayName;
    const changingPhone = input.phone === null ? Boolean(existing.phoneLookup) : lookup !== undefined && lookup !== existing.phoneLookup;
    if (changingPins || changingName || changingPhone) {
      if (!input.currentPin) throw errors.badRequest('current_pin_required', 'Enter your current check-in PIN to change PINs, name or phone.');
      const { outcome } = await checkPin(deps, ownerId, input.currentPin);
      // A duress PIN here is treated as wrong, with the same status and body: it must never let someone
      // replace the PINs, name or phone, and must not reveal itself as the duress PIN.
      if (outcome !== 'normal') throw errors.forbidden('wrong_pin', 'That PIN is not right.');
    }
  }

  const set: Record<string, unknown> = {
    encryptedDisplayName: deps.fieldCipher.encrypt(input.displayName),
    timeZone: input.timeZone,
    language: input.language,
  };
  const unset: Record<string, 1> = {};
  const inc: Record<string, number> = {};
  const unsetVerification = () => {
    for (const field of ['phoneVerifiedAt', 'phoneCodeHash', 'phoneCodeExpiresAt', 'phoneCodeAttempts'] as const) unset[field] = 1;
  };
  // A new or changed number checks in by SMS only once the code texted to it comes back (verify-phone).
  let code: string | undefined;
  let releaseClaims = false;
  if (input.phone === null) {
    unset.encryptedPhone = 1;
    unset.phoneLookup = 1;
    unsetVerification();
    releaseClaims = true;
  } else if (e164 && lookup) {
    const unchanged = existing?.phoneLookup === lookup;
    if (!(unchanged && existing.phoneVerifiedAt)) {
      set.encryptedPhone = deps.fieldCipher.encrypt(e164);
      set.phoneLookup = lookup;
      releaseClaims = true;
      // The same unverified number saved again keeps its code; a new number gets one if the wait allows.
      if (!unchanged || !existing.phoneCodeHash) {
        unsetVerification();
        if (secondsUntilNextCode(existing, now) === 0) {
          const fresh = newPhoneCode(deps, now);
          code = fresh.code;
          Object.assign(set, fresh.set);
          for (const field of Object.keys(fresh.set)) delete unset[field];
          inc.phoneCodesSent = 1;
        }
      }
    }
  }
  if (input.pin !== undefined) set.pinHash = hashPin(deps.serverKeys.pinKey, input.pin);
  if (input.duressPin !== undefined) set.duressPinHash = hashPin(deps.serverKeys.pinKey, input.duressPin);
  if (existing && input.pin !== undefined && input.duressPin === undefined) {
    // The new PIN must not collide with the kept duress PIN.
    if (verifyPin(deps.serverKeys.pinKey, input.pin, existing.duressPinHash)) throw errors.badRequest('duress_pin_same_as_pin', 'The duress PIN must differ from the check-in PIN.');
  }
  if (existing && input.duressPin !== undefined && input.pin === undefined) {
    if (verifyPin(deps.serverKeys.pinKey, input.duressPin, existing.pinHash)) throw errors.badRequest('duress_pin_same_as_pin', 'The duress PIN must differ from the check-in PIN.');
  }

  // Every check-in carries a copy of the PIN hashes: the mark stays until each copy is the new one, so
  // a crash part-way is finished at start-up and an old PIN does not keep checking in from the app.
  if (changingPins) set.pinCopiesStale = true;
  const update: Record<string, unknown> = { $set: set, $setOnInsert: { pinFailures: 0 } };
  if (Object.keys(unset).length > 0) update.$unset = unset;
  if (Object.keys(inc).length > 0) update.$inc = inc;
  const saved = await CheckInProfileModel.findOneAndUpdate({ ownerId }, update, { upsert: true, new: true }).lean<CheckInProfile & { _id: Types.ObjectId }>();
  // After the profile no longer names the old number: an inbound SMS checks both, so the order is safe.
  if (changingPins) await copyPinsToCheckIns(ownerId);
  if (releaseClaims) await releaseVerifiedPhones(ownerId);
  if (code) await enqueuePhoneCode(deps, saved!, code);
  return profileView(deps, saved!);
}

export async function getCheckInProfile(deps: Pick<SafetyDeps, 'fieldCipher'>, who: AuthenticatedAccount): Promise<ProfileView> {
  const profile = await CheckInProfileModel.findOne({ ownerId: who.accountId }).lean();
  if (!profile) throw errors.notFound('No check-in profile yet.');
  return profileView(deps, profile);
}
