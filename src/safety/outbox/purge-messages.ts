import { OutboxModel, SentMessageModel } from './outbox.model';

/** The outbox's part of the safety wipe (src/safety/wipe/purge.ts): queued messages first, so nothing more is sent, then the sent ones. Idempotent. */
export async function purgeMessages(accountId: string): Promise<void> {
  await OutboxModel.deleteMany({ ownerId: accountId });
  await SentMessageModel.deleteMany({ ownerId: accountId });
}
