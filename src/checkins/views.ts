import type { Types } from 'mongoose';
import type { SafetyDeps } from '../safety/deps';
import { phoneHint } from '../sms/phone';
import type { CheckIn, Schedule } from './check-in.model';
import type { CheckInProfile } from '../safety/check-in-profile.model';
import { openSchedule } from './schedule-at-rest';
import type { AlertReach, CheckInView, ProfileView } from '../safety/check-in.schemas';

export type { CheckInView, ProfileView };


export function profileView(deps: Pick<SafetyDeps, 'fieldCipher'>, profile: CheckInProfile): ProfileView {
  return {
    displayName: deps.fieldCipher.decrypt(profile.encryptedDisplayName),
    timeZone: profile.timeZone,
    language: profile.language,
    phoneHint: profile.encryptedPhone ? phoneHint(deps.fieldCipher.decrypt(profile.encryptedPhone)) : null,
    phoneVerified: Boolean(profile.encryptedPhone && profile.phoneVerifiedAt),
    // Said plainly so no screen implies an SMS would check her in before the number is verified.
    smsCheckIn: profile.encryptedPhone && profile.phoneVerifiedAt ? 'on' : 'off',
    phoneCodeSent: Boolean(profile.encryptedPhone && !profile.phoneVerifiedAt && profile.phoneCodeHash),
    updatedAt: profile.updatedAt.toISOString(),
  };
}


export function checkInView(deps: Pick<SafetyDeps, 'fieldCipher'>, checkIn: CheckIn & { _id: Types.ObjectId }, now: Date, reach: AlertReach): CheckInView {
  const state = checkIn.state === 'missed' ? 'missed' : checkIn.dueAt <= now ? 'due' : 'scheduled';
  const stored = openSchedule(deps.fieldCipher, checkIn);
  const schedule: Schedule = { kind: stored.schedule.kind };
  if (stored.schedule.everyHours !== undefined) schedule.everyHours = stored.schedule.everyHours;
  if (stored.schedule.times?.length) schedule.times = [...stored.schedule.times];
  return {
    id: String(checkIn._id),
    schedule,
    timeZone: checkIn.timeZone,
    graceMinutes: stored.graceMinutes,
    state,
    dueAt: checkIn.dueAt.toISOString(),
    deadline: checkIn.deadline.toISOString(),
    alertMessage: deps.fieldCipher.decrypt(checkIn.encryptedAlertMessage),
    place: checkIn.encryptedPlace ? deps.fieldCipher.decrypt(checkIn.encryptedPlace) : null,
    alertId: checkIn.state === 'missed' && checkIn.alertId ? String(checkIn.alertId) : null,
    lastCheckedInAt: checkIn.lastCheckedInAt ? checkIn.lastCheckedInAt.toISOString() : null,
    createdAt: checkIn.createdAt.toISOString(),
    reach,
  };
}
