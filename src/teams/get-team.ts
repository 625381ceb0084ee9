import type { AuthenticatedAccount } from '../http/route';
import { requireMember } from './team-access';
import { toTeamView } from './views';

export async function getTeam(who: AuthenticatedAccount, teamId: string) {
  return toTeamView(await requireMember(teamId, who.accountId), who.accountId);
}
