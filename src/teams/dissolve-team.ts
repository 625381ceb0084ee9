import type { TeamsDeps } from './deps';
import { TeamAcceptanceModel, TeamLogEntryModel, TeamModel } from './team.model';

/**
 * Deletes a team whose last member left or was wiped, and everything other domains hold for it. The team is
 * marked dissolving first (no route serves it any more); a crash part-way is finished at start-up.
 */
export async function dissolveTeam(deps: Pick<TeamsDeps, 'teamPurgers' | 'logger'>, teamId: string): Promise<void> {
  await TeamModel.updateOne({ _id: teamId }, { $set: { dissolving: true } });
  for (const purge of deps.teamPurgers) await purge(teamId);
  await TeamAcceptanceModel.deleteMany({ teamId });
  await TeamLogEntryModel.deleteMany({ teamId });
  await TeamModel.deleteOne({ _id: teamId });
  deps.logger.info({ event: 'team_dissolved' }, 'a team without members was deleted');
}

export async function finishDissolvingTeams(deps: Pick<TeamsDeps, 'teamPurgers' | 'logger'>): Promise<number> {
  const pending = await TeamModel.find({ dissolving: true }, { _id: 1 }).lean();
  for (const team of pending) await dissolveTeam(deps, String(team._id));
  return pending.length;
}
