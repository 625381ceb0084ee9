import type { AuthenticatedAccount } from '../shared/authenticated-account';
import { AppError, errors } from '../shared/errors';
import { checkAccountKeys } from './check-account-keys';
import type { TeamsDeps } from './deps';
import { dissolveTeam } from './dissolve-team';
import { toHttpError } from './rule-errors';
import { requireMember } from './team-access';
import { TeamAcceptanceModel, TeamModel, type Team } from './team.model';
import { applyTeamLogEntry, type TeamLogEntry } from '../shared/team-log-rules';
import { flushHeadEntry, stateFields, stateOf, toStoredEntry } from './team-log-store';
import type { AppendLogInput } from './team.schemas';

/**
 * Appends one signed entry. The server checks what the clients will check (chain, signature, role rules, the
 * invitee's signed acceptance in an add) plus what only it can (the invitee's registered keys), then commits with ONE update of the
 * team guarded by the head it checked against: of two racing appends exactly one wins, the other gets 409.
 */
export async function appendTeamLogEntry(deps: TeamsDeps, who: AuthenticatedAccount, teamId: string, input: AppendLogInput): Promise<{ seq: number; hash: string }> {
  const team = await requireMember(teamId, who.accountId);
  const { entry } = input;
  if (entry.authorAccountId !== who.accountId) throw errors.badRequest('invalid_entry', 'You can only append entries you author.');
  await flushHeadEntry(team);

  let applied;
  try {
    applied = applyTeamLogEntry(deps.sodium, teamId, stateOf(team), entry);
  } catch (error) {
    throw toHttpError(error);
  }
  await checkWhatOnlyTheServerKnows(entry);
  const rotation = entry.kind === 'remove' || entry.kind === 'rotate' ? entry.payload.rotation : undefined;
  if (rotation && input.sealedName?.generation !== rotation.generation) {
    throw new AppError(400, 'team_name_required', 'A new key generation carries the team name re-encrypted under the new key.');
  }
  if (!rotation && input.sealedName) throw errors.badRequest('invalid_entry', 'The name changes only with a new key generation.');

  const now = deps.clock.now();
  const lastEntry = toStoredEntry(teamId, entry, applied.hash, now);
  const dissolving = applied.state.members.every((m) => m.status !== 'member');
  const committed = await TeamModel.findOneAndUpdate(
    { _id: teamId, headSeq: team.headSeq, headHash: team.headHash },
    { $set: { ...stateFields(applied.state), lastEntry, updatedAt: now, ...(input.sealedName ? { sealedName: input.sealedName } : {}), ...(dissolving ? { dissolving: true } : {}) } },
    { new: true },
  ).lean<Team>();
  if (!committed) throw new AppError(409, 'log_conflict', 'The team log moved on while this entry was prepared; fetch it and try again.');
  await flushHeadEntry(committed);

  const departed = entry.kind === 'remove' ? entry.payload.accountId : entry.kind === 'leave' ? who.accountId : undefined;
  if (departed) await TeamAcceptanceModel.deleteMany({ teamId, accountId: departed });
  if (dissolving) await dissolveTeam(deps, teamId);
  return { seq: entry.seq, hash: applied.hash };
}

async function checkWhatOnlyTheServerKnows(entry: TeamLogEntry): Promise<void> {
  if (entry.kind === 'invite') await checkAccountKeys(entry.payload.accountId, entry.payload);
}
