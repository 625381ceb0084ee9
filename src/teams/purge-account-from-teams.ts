import type { TeamsDeps } from './deps';
import { dissolveTeam } from './dissolve-team';
import { TeamAcceptanceModel, TeamModel, type Team } from './team.model';

/**
 * The panic wipe's part for teams: acceptances go, and teams where the account was the only member are dissolved.
 * The signed log of a team that lives on still names the account (its handle and public keys) until a
 * coordinator removes it, which also rotates the key: the server cannot rewrite a signed log.
 */
export function purgeAccountFromTeams(deps: Pick<TeamsDeps, 'teamPurgers' | 'logger'>) {
  return async (accountId: string): Promise<void> => {
    await TeamAcceptanceModel.deleteMany({ accountId });
    const teams = await TeamModel.find({ memberAccountIds: accountId }, { memberAccountIds: 1 }).lean<Pick<Team, '_id' | 'memberAccountIds'>[]>();
    for (const team of teams) {
      if (team.memberAccountIds.length === 1) await dissolveTeam(deps, team._id);
    }
  };
}
