import { CheckInModel } from '../checkins/check-in.model';
import { CheckInProfileModel } from '../checkins/check-in-profile.model';
import { TrustedContactModel } from '../contacts/contact.model';
import { AlertModel } from './alert.model';
import { OutboxModel, SentMessageModel } from './outbox.model';
import { TimelineEventModel } from './timeline.model';

/**
 * The panic wipe for check-ins, contacts, alerts and messages. Idempotent. Queued messages go too,
 * including an alert still escalating: the account's owner asked for everything to be gone
 * (SECURITY.md says what this means under coercion).
 */
export async function purgeSafetyData(accountId: string): Promise<void> {
  await OutboxModel.deleteMany({ ownerId: accountId });
  await AlertModel.deleteMany({ ownerId: accountId });
  await CheckInModel.deleteMany({ ownerId: accountId });
  await TrustedContactModel.deleteMany({ ownerId: accountId });
  await CheckInProfileModel.deleteMany({ ownerId: accountId });
  await SentMessageModel.deleteMany({ ownerId: accountId });
  await TimelineEventModel.deleteMany({ ownerId: accountId });
}
