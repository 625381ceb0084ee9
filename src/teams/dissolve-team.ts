import type { TeamPurger, TeamsDeps } from './deps';
import { TeamAcceptanceModel, TeamLogEntryModel, TeamModel } from './team.model';

type Deps = Pick<TeamsDeps, 'teamPurgers' | 'logger'>;

/**
 * Deletes a team whose last member left or was wiped, and everything other domains hold for it. The team is
 * marked dissolving first (no route serves it any more); a crash part-way is finished at start-up, which runs
 * every step again (each is idempotent).
 */
export async function dissolveTeam(deps: Deps, teamId: string): Promise<void> {
  await markDissolving(teamId);
  for (const step of dissolutionSteps(deps)) await step(teamId);
  deps.logger.info({ event: 'team_dissolved' }, 'a team without members was deleted');
}

/** Step 0: from here on no route serves the team, and start-up recovery will finish dissolving it. */
export async function markDissolving(teamId: string): Promise<void> {
  await TeamModel.updateOne({ _id: teamId }, { $set: { dissolving: true } });
}

/** What dissolving does after the mark, in order: other domains' data, then the team's own, the team document last. */
export function dissolutionSteps(deps: Deps): TeamPurger[] {
  const deleteAcceptances: TeamPurger = async (teamId) => {
    await TeamAcceptanceModel.deleteMany({ teamId });
  };
  const deleteLog: TeamPurger = async (teamId) => {
    await TeamLogEntryModel.deleteMany({ teamId });
  };
  // Last, because the mark on this document is what start-up recovery looks for.
  const deleteTeamRecord: TeamPurger = async (teamId) => {
    await TeamModel.deleteOne({ _id: teamId });
  };
  return [...deps.teamPurgers, deleteAcceptances, deleteLog, deleteTeamRecord];
}

/**
 * Start-up recovery: finishes every dissolution a crash interrupted. Reads only the marked teams, by
 * equality on the flag (FerretDB pushes equality down to PostgreSQL), never the whole collection.
 */
export async function finishDissolvingTeams(deps: Deps): Promise<number> {
  const pending = await TeamModel.find({ dissolving: true }, { _id: 1 }).lean();
  for (const team of pending) await dissolveTeam(deps, String(team._id));
  return pending.length;
}
