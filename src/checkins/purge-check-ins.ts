import { CheckInProfileModel } from '../safety/check-in-profile.model';
import { CheckInModel } from './check-in.model';
import { VerifiedPhoneModel } from './verified-phone.model';

/** The check-ins' part of the safety wipe (src/safety/wipe/purge.ts): check-ins, the profile and its verified phone. Idempotent. */
export async function purgeCheckIns(accountId: string): Promise<void> {
  await CheckInModel.deleteMany({ ownerId: accountId });
  await CheckInProfileModel.deleteMany({ ownerId: accountId });
  await VerifiedPhoneModel.deleteMany({ ownerId: accountId });
}
