import { errors } from '../shared/errors';
import { TeamModel, type Team } from './team.model';

/**
 * The team, if this account is a current member; otherwise 404, the same answer as for a team that does not exist,
 * so membership of other teams cannot be probed. Invitees are not members yet.
 */
export async function requireMember(teamId: string, accountId: string): Promise<Team> {
  const team = await TeamModel.findOne({ _id: teamId, memberAccountIds: accountId, dissolving: { $ne: true } }).lean<Team>();
  if (!team) throw errors.notFound();
  return team;
}
