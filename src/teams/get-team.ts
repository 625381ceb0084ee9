import type { AuthenticatedAccount } from '../shared/authenticated-account';
import { requireMember } from './team-access';
import { TeamAcceptanceModel, type TeamAcceptance } from './team.model';
import { toTeamView } from './views';

export async function getTeam(who: AuthenticatedAccount, teamId: string) {
  const team = await requireMember(teamId, who.accountId);
  const invited = team.members.filter((m) => m.status === 'invited');
  const acceptances = new Map<string, string>();
  if (invited.length > 0) {
    const found = await TeamAcceptanceModel.find({ teamId, accountId: { $in: invited.map((m) => m.accountId) } }).lean<TeamAcceptance[]>();
    // Only an acceptance of the current invite: one left from an earlier, withdrawn invitation names another entry.
    for (const a of found) if (invited.some((m) => m.accountId === a.accountId && m.inviteSeq === a.inviteSeq)) acceptances.set(a.accountId, a.signature);
  }
  return toTeamView(team, who.accountId, acceptances);
}
