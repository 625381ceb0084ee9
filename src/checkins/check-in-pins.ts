import type { Types } from 'mongoose';
import type { SafetyDeps } from '../alerts/deps';
import { AppError, errors } from '../shared/errors';
import { CheckInProfileModel, type CheckInProfile } from './check-in-profile.model';
import { verifyPin } from './pin-hash';

export type PinOutcome = 'normal' | 'duress';
export type ProfileDoc = CheckInProfile & { _id: Types.ObjectId };

const FREE_FAILURES = 5;
const MAX_LOCK_SECONDS = 3600;

export const wrongPin = () => new AppError(403, 'wrong_pin', 'That PIN is not right.');
export const profileRequired = () => errors.conflict('check_in_profile_required', 'Set up your check-in profile (name, time zone, PINs) first.');

/**
 * Checks a PIN against both hashes, always both, so a duress PIN takes the same
 * path and time as the normal one. Wrong PINs are counted: after five, each further failure
 * doubles a lock (up to an hour), which bounds online guessing of a short PIN.
 */
export async function checkPin(deps: Pick<SafetyDeps, 'clock' | 'serverKeys'>, ownerId: Types.ObjectId | string, pin: string): Promise<{ profile: ProfileDoc; outcome: PinOutcome }> {
  const now = deps.clock.now();
  const profile = await CheckInProfileModel.findOne({ ownerId }).lean<ProfileDoc>();
  if (!profile) throw profileRequired();
  if (profile.pinLockedUntil && profile.pinLockedUntil > now) {
    throw errors.tooManyAttempts(Math.ceil((profile.pinLockedUntil.getTime() - now.getTime()) / 1000));
  }
  const key = deps.serverKeys.pinKey;
  const normal = verifyPin(key, pin, profile.pinHash);
  const duress = verifyPin(key, pin, profile.duressPinHash);
  if (!normal && !duress) {
    const failed = await CheckInProfileModel.findOneAndUpdate({ _id: profile._id }, { $inc: { pinFailures: 1 } }, { new: true }).lean();
    const excess = (failed?.pinFailures ?? 0) - FREE_FAILURES;
    if (excess > 0) {
      const seconds = Math.min(MAX_LOCK_SECONDS, 30 * 2 ** (excess - 1));
      await CheckInProfileModel.updateOne({ _id: profile._id }, { $set: { pinLockedUntil: new Date(now.getTime() + seconds * 1000) } });
    }
    throw wrongPin();
  }
  // The same write for both outcomes.
  await CheckInProfileModel.updateOne({ _id: profile._id }, { $set: { pinFailures: 0 }, $unset: { pinLockedUntil: 1 } });
  return { profile, outcome: duress ? 'duress' : 'normal' };
}
