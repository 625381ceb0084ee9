import type { AuthenticatedAccount } from '../shared/authenticated-account';
import { errors } from '../shared/errors';
import { requireMember } from '../teams/team-access';
import { CheckInProfileModel } from '../safety/check-in-profile.model';

export interface TeamNetworkChoice {
  teamId: string;
  atTier: number | null;
}

export async function getTeamNetworkChoice(who: AuthenticatedAccount): Promise<{ teamNetwork: TeamNetworkChoice | null }> {
  const profile = await CheckInProfileModel.findOne({ ownerId: who.accountId }, { teamNetworkTeamId: 1, teamNetworkTier: 1 }).lean();
  if (!profile) throw errors.conflict('check_in_profile_required', 'Set up your check-in profile first.');
  return { teamNetwork: profile.teamNetworkTeamId ? { teamId: profile.teamNetworkTeamId, atTier: profile.teamNetworkTier ?? null } : null };
}

/** Only a team she is a member of (another team answers 404, like one that does not exist); null turns it off. */
export async function setTeamNetworkChoice(who: AuthenticatedAccount, choice: TeamNetworkChoice | null): Promise<{ teamNetwork: TeamNetworkChoice | null }> {
  if (choice) await requireMember(choice.teamId, who.accountId);
  const update = choice ? { $set: { teamNetworkTeamId: choice.teamId, teamNetworkTier: choice.atTier } } : { $unset: { teamNetworkTeamId: 1, teamNetworkTier: 1 } };
  const updated = await CheckInProfileModel.updateOne({ ownerId: who.accountId }, update);
  if (updated.matchedCount === 0) throw errors.conflict('check_in_profile_required', 'Set up your check-in profile first.');
  return { teamNetwork: choice };
}
