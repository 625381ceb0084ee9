import type { Types } from 'mongoose';
import type { SafetyDeps } from '../alerts/deps';
import { TrustedContactModel, type TrustedContact } from './contact.model';

type ContactDoc = TrustedContact & { _id: Types.ObjectId };

/** STOP and the other opt-out words: every contact entry with this number stops at once. */
export async function optOut(deps: Pick<SafetyDeps, 'clock' | 'logger'>, contacts: ContactDoc[]): Promise<number> {
  const now = deps.clock.now();
  const result = await TrustedContactModel.updateMany({ _id: { $in: contacts.map((c) => c._id) }, state: { $ne: 'opted_out' } }, { $set: { state: 'opted_out', stateChangedAt: now } });
  if (result.modifiedCount > 0) deps.logger.info({ event: 'contact_opted_out', count: result.modifiedCount }, 'a contact opted out');
  return result.modifiedCount;
}

/** YES (or START after a STOP): the contact agrees to be texted if someone misses a check-in. */
export async function optIn(deps: Pick<SafetyDeps, 'clock' | 'logger'>, contacts: ContactDoc[]): Promise<number> {
  const now = deps.clock.now();
  const result = await TrustedContactModel.updateMany({ _id: { $in: contacts.map((c) => c._id) }, state: { $ne: 'opted_in' } }, { $set: { state: 'opted_in', stateChangedAt: now } });
  if (result.modifiedCount > 0) deps.logger.info({ event: 'contact_opted_in', count: result.modifiedCount }, 'a contact opted in');
  return result.modifiedCount;
}
