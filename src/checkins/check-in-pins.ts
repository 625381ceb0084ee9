import type { Types } from 'mongoose';
import type { SafetyDeps } from '../safety/deps';
import { AppError, errors } from '../shared/errors';
import { CheckInProfileModel, type CheckInProfile } from '../safety/check-in-profile.model';
import { CheckInModel, type PinCopy } from './check-in.model';
import { verifyPin } from './pin-hash';

export type PinOutcome = 'normal' | 'duress';
export type ProfileDoc = CheckInProfile & { _id: Types.ObjectId };

const FREE_FAILURES = 5;
const MAX_LOCK_SECONDS = 3600;

export const wrongPin = () => new AppError(403, 'wrong_pin', 'That PIN is not right.');
export const profileRequired = () => errors.conflict('check_in_profile_required', 'Set up your check-in profile (name, time zone, PINs) first.');

type PinDeps = Pick<SafetyDeps, 'clock' | 'serverKeys'>;

/**
 * Checks a PIN against the profile's two hashes. Wrong PINs are counted: after five, each further
 * failure doubles a lock (up to an hour), which bounds online guessing of a short PIN.
 */
export async function checkPin(deps: PinDeps, ownerId: Types.ObjectId | string, pin: string): Promise<{ profile: ProfileDoc; outcome: PinOutcome }> {
  const profile = await CheckInProfileModel.findOne({ ownerId }).lean<ProfileDoc>();
  if (!profile) throw profileRequired();
  const outcome = await checkPinAgainst(deps, profile.ownerId, { pinHash: profile.pinHash, duressPinHash: profile.duressPinHash, failed: profile.pinFailures > 0, lockedUntil: profile.pinLockedUntil }, pin);
  return { profile, outcome };
}

/**
 * The same check against a check-in's copy of the PIN material (PinCopy), so the app's check-in reads
 * one document. Both hashes are always computed, so a duress PIN takes the same path and time as the
 * normal one; the bookkeeping writes depend on earlier failures only, never on which PIN was given.
 */
export async function checkPinAgainst(deps: PinDeps, ownerId: Types.ObjectId, material: PinCopy, pin: string): Promise<PinOutcome> {
  const now = deps.clock.now();
  if (material.lockedUntil && material.lockedUntil > now) {
    throw errors.tooManyAttempts(Math.ceil((material.lockedUntil.getTime() - now.getTime()) / 1000));
  }
  const key = deps.serverKeys.pinKey;
  const normal = verifyPin(key, pin, material.pinHash);
  const duress = verifyPin(key, pin, material.duressPinHash);
  if (!normal && !duress) {
    await recordWrongPin(ownerId, now);
    throw wrongPin();
  }
  // Only after earlier failures, whichever PIN this is: the same writes for both outcomes.
  if (material.failed) await clearPinFailures(ownerId);
  return duress ? 'duress' : 'normal';
}

/** The profile counts; every check-in's copy gets the lock too, or the app could keep guessing while SMS is locked. */
async function recordWrongPin(ownerId: Types.ObjectId, now: Date): Promise<void> {
  const failed = await CheckInProfileModel.findOneAndUpdate({ ownerId }, { $inc: { pinFailures: 1 } }, { new: true }).lean();
  const excess = (failed?.pinFailures ?? 0) - FREE_FAILURES;
  const lockedUntil = excess > 0 ? new Date(now.getTime() + Math.min(MAX_LOCK_SECONDS, 30 * 2 ** (excess - 1)) * 1000) : undefined;
  if (lockedUntil) await CheckInProfileModel.updateOne({ ownerId }, { $set: { pinLockedUntil: lockedUntil } });
  // Bookkeeping, not a change of the check-in: its updatedAt stays.
  await CheckInModel.updateMany({ ownerId }, { $set: { 'pins.failed': true, ...(lockedUntil ? { 'pins.lockedUntil': lockedUntil } : {}) } }, { timestamps: false });
}

async function clearPinFailures(ownerId: Types.ObjectId): Promise<void> {
  await CheckInProfileModel.updateOne({ ownerId }, { $set: { pinFailures: 0 }, $unset: { pinLockedUntil: 1 } });
  await CheckInModel.updateMany({ ownerId }, { $set: { 'pins.failed': false }, $unset: { 'pins.lockedUntil': 1 } }, { timestamps: false });
}

/** The copy a check-in carries of its owner's PIN material. */
export function pinCopyOf(profile: Pick<CheckInProfile, 'pinHash' | 'duressPinHash' | 'pinFailures' | 'pinLockedUntil'>): PinCopy {
  return { pinHash: profile.pinHash, duressPinHash: profile.duressPinHash, failed: profile.pinFailures > 0, ...(profile.pinLockedUntil ? { lockedUntil: profile.pinLockedUntil } : {}) };
}

/**
 * Puts the profile's PIN material on every check-in of the owner, then clears the profile's
 * `pinCopiesStale` mark (guarded on the very hashes copied, so a newer change keeps its mark).
 * A crash in between leaves the mark, and finishPinCopies repeats this at start-up.
 */
export async function copyPinsToCheckIns(ownerId: Types.ObjectId): Promise<void> {
  const profile = await CheckInProfileModel.findOne({ ownerId }).lean<ProfileDoc>();
  if (!profile) return;
  await CheckInModel.updateMany({ ownerId }, { $set: { pins: pinCopyOf(profile) } }, { timestamps: false });
  await CheckInProfileModel.updateOne({ _id: profile._id, pinHash: profile.pinHash, duressPinHash: profile.duressPinHash }, { $unset: { pinCopiesStale: 1 } });
}

/** Start-up recovery: PIN changes whose copies a crash interrupted. Reads only the marked profiles, by equality. */
export async function finishPinCopies(): Promise<number> {
  const stale = await CheckInProfileModel.find({ pinCopiesStale: true }, { ownerId: 1 }).lean();
  for (const profile of stale) await copyPinsToCheckIns(profile.ownerId);
  return stale.length;
}
