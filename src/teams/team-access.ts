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

/**
 * The team, if this account is one of its coordinators; a plain member gets the same 404 as a non-member, so a
 * role cannot be probed either.
 */
export async function requireCoordinator(teamId: string, accountId: string): Promise<Team> {
  const team = await requireMember(teamId, accountId);
  const me = team.members.find((m) => m.accountId === accountId && m.status === 'member');
  if (me?.role !== 'coordinator') throw errors.notFound();
  return team;
}
