import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import type { CheckIn } from '../checkins/check-in.model';
import type { CheckInProfile } from '../checkins/check-in-profile.model';
import { AlertModel } from './alert.model';
import type { SafetyDeps } from './deps';
import { recordEvent } from './timeline';

type CheckInDoc = Pick<CheckIn, 'ownerId' | 'encryptedAlertMessage' | 'encryptedPlace' | 'timeZone' | 'dueAt'> & { _id: Types.ObjectId };
type ProfileDoc = Pick<CheckInProfile, 'encryptedDisplayName'>;

/**
 * A duress PIN was used: the alert starts escalating at the next tick, while the person holding
 * the phone sees an ordinary check-in. Nothing about it is ever shown to the defender's session.
 * If the check-in had already been missed, its open alert becomes the duress alert instead (it
 * keeps escalating, and the defender's session sees it as resolved, as after a real check-in).
 */
export async function openDuressAlert(deps: Pick<SafetyDeps, 'clock'>, checkIn: CheckInDoc, profile: ProfileDoc, openAlertId?: Types.ObjectId): Promise<void> {
  const now = deps.clock.now();
  if (openAlertId) {
    const converted = await AlertModel.findOneAndUpdate(
      { _id: openAlertId, state: { $in: ['opening', 'escalating', 'acknowledged'] } },
      { $set: { duress: true, coverResolvedAt: now } },
      { new: true },
    ).lean();
    if (converted) {
      await recordEvent({ ownerId: checkIn.ownerId, alertId: openAlertId, kind: 'duress', at: now, hiddenFromOwner: true });
      return;
    }
  }
  const alert = await AlertModel.create({
    ownerId: checkIn.ownerId,
    checkInId: checkIn._id,
    occurrenceKey: `duress:${randomBytes(12).toString('hex')}`,
    state: 'escalating',
    duress: true,
    delayed: false,
    missedAt: now,
    dueAt: now,
    tierIndex: -1,
    round: 0,
    nextActionAt: now,
    encryptedDisplayName: profile.encryptedDisplayName,
    encryptedAlertMessage: checkIn.encryptedAlertMessage,
    encryptedPlace: checkIn.encryptedPlace,
    timeZone: checkIn.timeZone,
  });
  await recordEvent({ ownerId: checkIn.ownerId, alertId: alert._id, kind: 'duress', at: now, hiddenFromOwner: true });
}
