import { Types } from 'mongoose';
import type { CheckIn } from './check-in.model';
import type { CheckInProfile } from '../safety/check-in-profile.model';
import { duressOccurrenceKey, sealDuress } from '../alerts/alert-secrets';
import { AlertModel } from '../alerts/alert.model';
import type { SafetyDeps } from '../safety/deps';
import { recordEvent } from '../safety/timeline';
import { minuteSlot } from '../shared/time-slots';

type CheckInDoc = Pick<CheckIn, 'ownerId' | 'encryptedAlertMessage' | 'encryptedPlace' | 'timeZone' | 'dueAt'> & { _id: Types.ObjectId };
type ProfileDoc = Pick<CheckInProfile, 'encryptedDisplayName'>;

/**
 * A duress PIN was used: the alert starts escalating at the next tick, while the person holding
 * the phone sees an ordinary check-in. Nothing about it is ever shown to the defender's session.
 * If the check-in had already been missed, its open alert becomes the duress alert instead (it
 * keeps escalating, and the defender's session sees it as resolved, as after a real check-in).
 */
export async function openDuressAlert(deps: Pick<SafetyDeps, 'clock' | 'fieldCipher' | 'serverKeys' | 'wake'>, checkIn: CheckInDoc, profile: ProfileDoc, openAlertId?: Types.ObjectId): Promise<void> {
  const now = deps.clock.now();
  if (openAlertId) {
    const converted = await AlertModel.findOneAndUpdate(
      { _id: openAlertId, state: { $in: ['opening', 'escalating', 'acknowledged'] } },
      { $set: { encryptedDuress: sealDuress(deps.fieldCipher, { duress: true, coverResolvedAt: now }) } },
      { new: true },
    ).lean();
    if (converted) {
      await recordEvent(deps, { ownerId: checkIn.ownerId, alertId: openAlertId, kind: 'duress', at: now, hiddenFromOwner: true });
      return;
    }
  }
  const alert = await AlertModel.create({
    ownerId: checkIn.ownerId,
    checkInId: checkIn._id,
    // Same shape as a missed occurrence's keyed hash: the key must not say "duress".
    occurrenceKey: duressOccurrenceKey(),
    state: 'escalating',
    encryptedDuress: sealDuress(deps.fieldCipher, { duress: true, coverResolvedAt: null }),
    // Same fields as a missed check-in's alert, so the raw document does not say "duress".
    openingSince: now,
    delayed: false,
    missedAt: now,
    dueAt: now,
    tierIndex: -1,
    round: 0,
    nextActionAt: now,
    actionSlot: minuteSlot(now),
    encryptedDisplayName: profile.encryptedDisplayName,
    encryptedAlertMessage: checkIn.encryptedAlertMessage,
    encryptedPlace: checkIn.encryptedPlace,
    timeZone: checkIn.timeZone,
  });
  await recordEvent(deps, { ownerId: checkIn.ownerId, alertId: alert._id, kind: 'duress', at: now, hiddenFromOwner: true });
  deps.wake?.(now);
}
