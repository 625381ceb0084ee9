import { randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import type { SafetyDeps } from '../safety/deps';
import { enqueueMessage } from '../safety/outbox/enqueue-message';
import { isDuplicateKeyError } from '../shared/duplicate-key';
import type { AuthenticatedAccount } from '../shared/authenticated-account';
import { AppError, errors } from '../shared/errors';
import { renderMessage } from '../sms/catalogue';
import { CheckInProfileModel, type CheckInProfile } from '../safety/check-in-profile.model';
import { hashPin, verifyPin } from './pin-hash';
import { VerifiedPhoneModel } from './verified-phone.model';
import { profileView, type ProfileView } from './views';

export const PHONE_CODE_TTL_MS = 15 * 60 * 1000;
/** Wrong codes allowed per code: with the wait between codes, this bounds guessing a 6-digit code. */
export const PHONE_CODE_MAX_ATTEMPTS = 5;
const FIRST_RESEND_WAIT_SECONDS = 60;
const MAX_RESEND_WAIT_SECONDS = 24 * 60 * 60;

type Deps = Pick<SafetyDeps, 'clock' | 'fieldCipher' | 'serverKeys'>;
type ProfileDoc = CheckInProfile & { _id: Types.ObjectId };

/**
 * Seconds before another code may be sent: doubling from a minute, so neither a guesser nor someone
 * flooding a stranger's phone with codes gets far. Resets only when a number is verified.
 */
export function secondsUntilNextCode(profile: Pick<CheckInProfile, 'phoneCodeSentAt' | 'phoneCodesSent'> | null, now: Date): number {
  if (!profile?.phoneCodeSentAt || !profile.phoneCodesSent) return 0;
  const wait = Math.min(MAX_RESEND_WAIT_SECONDS, FIRST_RESEND_WAIT_SECONDS * 2 ** (profile.phoneCodesSent - 1));
  return Math.max(0, Math.ceil((profile.phoneCodeSentAt.getTime() + wait * 1000 - now.getTime()) / 1000));
}

/** A fresh code: the fields to $set on the profile, and the code itself to text (never stored). */
export function newPhoneCode(deps: Deps, now: Date): { code: string; set: Partial<CheckInProfile> } {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  return {
    code,
    set: { phoneCodeHash: hashPin(deps.serverKeys.pinKey, code), phoneCodeExpiresAt: new Date(now.getTime() + PHONE_CODE_TTL_MS), phoneCodeAttempts: 0, phoneCodeSentAt: now },
  };
}

/** Texts the code through the durable outbox, keyed by when the code was made so a retry sends it once. */
export async function enqueuePhoneCode(deps: Pick<SafetyDeps, 'clock' | 'fieldCipher'>, profile: ProfileDoc, code: string): Promise<void> {
  await enqueueMessage(deps, {
    key: `phone_code:${String(profile.ownerId)}:${profile.phoneCodeSentAt!.toISOString()}`,
    ownerId: profile.ownerId,
    kind: 'phone_code',
    to: deps.fieldCipher.decrypt(profile.encryptedPhone!),
    body: renderMessage(profile.language, 'phoneCode', { code }),
  });
}

const noCodePending = () => errors.conflict('no_phone_code_pending', 'There is no code to enter: add your phone to your profile first, or ask for a new code.');

/** POST /v1/check-in-profile/phone/code: sends a new code to the profile's unverified phone. */
export async function requestPhoneCode(deps: Deps, who: AuthenticatedAccount): Promise<ProfileView> {
  const now = deps.clock.now();
  const ownerId = new Types.ObjectId(who.accountId);
  const profile = await CheckInProfileModel.findOne({ ownerId }).lean<ProfileDoc>();
  if (!profile?.encryptedPhone || !profile.phoneLookup || profile.phoneVerifiedAt) throw noCodePending();
  const wait = secondsUntilNextCode(profile, now);
  if (wait > 0) throw errors.tooManyAttempts(wait);
  const { code, set } = newPhoneCode(deps, now);
  // Guarded on the code counter: two requests at once send one code.
  const saved = await CheckInProfileModel.findOneAndUpdate(
    { _id: profile._id, phoneLookup: profile.phoneLookup, phoneCodesSent: profile.phoneCodesSent ?? { $exists: false } },
    { $set: set, $inc: { phoneCodesSent: 1 } },
    { new: true },
  ).lean<ProfileDoc>();
  if (!saved) throw errors.tooManyAttempts(FIRST_RESEND_WAIT_SECONDS);
  await enqueuePhoneCode(deps, saved, code);
  return profileView(deps, saved);
}

const wrongCode = () => new AppError(400, 'wrong_phone_code', 'That code is not right. Check the last text from Meshwork.');

/**
 * POST /v1/check-in-profile/phone/verification: the code texted to the phone proves whoever set it up
 * holds that phone. Only then is the number claimed (unique) and SMS check-in turned on. A number
 * another profile has verified gets 409 phone_taken, which says nothing of whose profile it is; it can
 * only be seen by someone who received the code, so by whoever holds the phone.
 */
export async function verifyPhone(deps: Deps, who: AuthenticatedAccount, code: string): Promise<ProfileView> {
  const now = deps.clock.now();
  const ownerId = new Types.ObjectId(who.accountId);
  const profile = await CheckInProfileModel.findOne({ ownerId }).lean<ProfileDoc>();
  if (!profile?.phoneLookup) throw noCodePending();
  if (profile.phoneVerifiedAt) return profileView(deps, profile);
  if (!profile.phoneCodeHash || !profile.phoneCodeExpiresAt) throw noCodePending();
  if (profile.phoneCodeExpiresAt <= now) throw errors.conflict('phone_code_expired', 'That code has expired. Ask for a new one.');
  // Each try is counted with one guarded update before the code is compared.
  const counted = await CheckInProfileModel.findOneAndUpdate(
    { _id: profile._id, phoneCodeHash: profile.phoneCodeHash, phoneCodeAttempts: { $lt: PHONE_CODE_MAX_ATTEMPTS } },
    { $inc: { phoneCodeAttempts: 1 } },
    { new: true },
  ).lean();
  if (!counted) throw errors.tooManyAttempts(Math.max(1, secondsUntilNextCode(profile, now)));
  if (!verifyPin(deps.serverKeys.pinKey, code, profile.phoneCodeHash)) throw wrongCode();

  const lookup = profile.phoneLookup;
  try {
    await VerifiedPhoneModel.create({ _id: lookup, ownerId, verifiedAt: now });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const holder = await VerifiedPhoneModel.findById(lookup).lean();
    // Our own claim left by an attempt cut short goes on; anyone else's is refused.
    if (!holder || !holder.ownerId.equals(ownerId)) {
      throw errors.conflict('phone_taken', 'This number already checks in by SMS for another Meshwork profile. Remove it there first, or use another number.');
    }
  }
  const saved = await CheckInProfileModel.findOneAndUpdate(
    { _id: profile._id, phoneLookup: lookup, phoneCodeHash: profile.phoneCodeHash },
    { $set: { phoneVerifiedAt: now }, $unset: { phoneCodeHash: 1, phoneCodeExpiresAt: 1, phoneCodeAttempts: 1, phoneCodeSentAt: 1, phoneCodesSent: 1 } },
    { new: true },
  ).lean<ProfileDoc>();
  if (!saved) {
    // The phone changed while we verified: the claim belongs to a number this profile no longer has.
    await VerifiedPhoneModel.deleteOne({ _id: lookup, ownerId });
    throw noCodePending();
  }
  return profileView(deps, saved);
}

/** Drops this owner's claims on numbers other than `keep` (a changed or removed phone stops checking in at once). */
export async function releaseVerifiedPhones(ownerId: Types.ObjectId, keep?: string): Promise<void> {
  await VerifiedPhoneModel.deleteMany(keep ? { ownerId, _id: { $ne: keep } } : { ownerId });
}
