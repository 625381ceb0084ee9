import { TrustedContactModel } from './contact.model';
import { ReplyReferenceModel } from './reply-reference.model';

/** The contacts' part of the safety wipe (src/safety/wipe/purge.ts), their reply codes included. Idempotent. */
export async function purgeContacts(accountId: string): Promise<void> {
  await TrustedContactModel.deleteMany({ ownerId: accountId });
  await ReplyReferenceModel.deleteMany({ ownerId: accountId });
}
