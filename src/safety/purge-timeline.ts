import { TimelineEventModel } from './timeline.model';

/** The timeline's part of the safety wipe (src/safety/wipe/purge.ts). Idempotent. */
export async function purgeTimeline(accountId: string): Promise<void> {
  await TimelineEventModel.deleteMany({ ownerId: accountId });
}
