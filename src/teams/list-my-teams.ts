import type { AuthenticatedAccount } from '../shared/authenticated-account';
import { TeamModel, type Team } from './team.model';
import { toTeamView } from './views';

/** Teams this account is a member of (invitations are listed separately). */
export async function listMyTeams(who: AuthenticatedAccount) {
  const teams = await TeamModel.find({ memberAccountIds: who.accountId, dissolving: { $ne: true } }).sort({ createdAt: 1 }).limit(500).lean<Team[]>();
  return { teams: teams.map((team) => toTeamView(team, who.accountId)) };
}
