import type { AuthenticatedAccount } from '../http/route';
import { AppError, errors } from '../shared/errors';
import { checkAccountKeys } from './check-account-keys';
import type { TeamsDeps } from './deps';
import { toHttpError } from './rule-errors';
import { TeamModel, type Team } from './team.model';
import { applyTeamLogEntry } from './team-log-rules';
import { flushHeadEntry, stateFields, toStoredEntry } from './team-log-store';
import type { CreateTeamInput } from './team.schemas';
import { toTeamView } from './views';

const isDuplicateKey = (error: unknown) => (error as { code?: number })?.code === 11000;

/** A new team from its signed genesis entry: the creator is its first coordinator, generation 1. */
export async function createTeam(deps: Pick<TeamsDeps, 'clock' | 'sodium'>, who: AuthenticatedAccount, input: CreateTeamInput) {
  const { entry, teamId } = input;
  if (entry.kind !== 'create' || entry.authorAccountId !== who.accountId) throw errors.badRequest('invalid_entry', 'A team starts with a create entry signed by you.');
  if (input.sealedName.generation !== 1) throw errors.badRequest('invalid_entry', 'The name is encrypted under generation 1.');
  await checkAccountKeys(who.accountId, entry.payload);
  let applied;
  try {
    applied = applyTeamLogEntry(deps.sodium, teamId, null, entry);
  } catch (error) {
    throw toHttpError(error);
  }
  const now = deps.clock.now();
  const team: Team = { _id: teamId, ...stateFields(applied.state), lastEntry: toStoredEntry(teamId, entry, applied.hash, now), sealedName: input.sealedName, createdAt: now, updatedAt: now };
  try {
    await TeamModel.create(team);
  } catch (error) {
    // Ids are 12 random bytes chosen by the client, so a collision is a retry or an attack, never chance.
    if (isDuplicateKey(error)) throw new AppError(409, 'team_exists', 'A team with that id exists; choose another id.');
    throw error;
  }
  await flushHeadEntry(team);
  return toTeamView(team, who.accountId);
}
