import { AlertModel } from './alert.model';

/** The alerts' part of the safety wipe (src/safety/wipe/purge.ts). Idempotent. */
export async function purgeAlerts(accountId: string): Promise<void> {
  await AlertModel.deleteMany({ ownerId: accountId });
}
