import type { AuthenticatedAccount } from '../shared/authenticated-account';
import { errors } from '../shared/errors';
import { checkAccountKeys } from './check-account-keys';
import type { TeamsDeps } from './deps';
import { toHttpError } from './rule-errors';
import { TeamModel, type Team } from './team.model';
import { isTeamIdMintedFor, teamIdRefused } from './team-ids';
import { applyTeamLogEntry } from '../shared/team-log-rules';
import { flushHeadEntry, stateFields, toStoredEntry } from './team-log-store';
import type { CreateTeamInput } from './team.schemas';
import { toTeamView } from './views';
import { isDuplicateKeyError } from '../shared/duplicate-key';


/** A new team from its signed genesis entry: the creator is its first coordinator, generation 1. */
export async function createTeam(deps: Pick<TeamsDeps, 'clock' | 'sodium' | 'teamIdKey'>, who: AuthenticatedAccount, input: CreateTeamInput) {
  const { entry, teamId } = input;
  if (!isTeamIdMintedFor(deps, who.accountId, teamId)) throw teamIdRefused();
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
    // A minted id reused (a retry, or a creator probing her old team): the same answer as any refused id.
    if (isDuplicateKeyError(error)) throw teamIdRefused();
    throw error;
  }
  await flushHeadEntry(team);
  return toTeamView(team, who.accountId);
}
