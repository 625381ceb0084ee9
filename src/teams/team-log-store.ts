import { canonicalJson } from '../shared/protocol';
import { TeamLogEntryModel, type StoredLogEntry, type Team } from './team.model';
import type { TeamLogEntry, TeamLogState } from '../shared/team-log-rules';

export function toStoredEntry(teamId: string, entry: TeamLogEntry, hash: string, now: Date): StoredLogEntry {
  return {
    teamId, seq: entry.seq, prevHash: entry.prevHash, kind: entry.kind, payload: canonicalJson(entry.payload),
    authorAccountId: entry.authorAccountId, signature: entry.signature, hash, createdAt: now,
  };
}

export function toWireEntry(stored: StoredLogEntry) {
  return {
    seq: stored.seq, prevHash: stored.prevHash, kind: stored.kind, payload: JSON.parse(stored.payload) as Record<string, unknown>,
    authorAccountId: stored.authorAccountId, signature: stored.signature, createdAt: stored.createdAt.toISOString(),
  };
}

/** Copies the team's head entry into the log collection; idempotent, so it runs before every read and append. */
export async function flushHeadEntry(team: Pick<Team, 'lastEntry'>): Promise<void> {
  const { teamId, seq } = team.lastEntry;
  await TeamLogEntryModel.updateOne({ teamId, seq }, { $setOnInsert: team.lastEntry }, { upsert: true });
}

export function stateOf(team: Team): TeamLogState {
  return {
    teamId: team._id, headSeq: team.headSeq, headHash: team.headHash, generation: team.generation, needsRotation: team.needsRotation,
    members: team.members.map((m) => ({ accountId: m.accountId, handle: m.handle, role: m.role, status: m.status, boxPublicKey: m.boxPublicKey, signPublicKey: m.signPublicKey, inviteSeq: m.inviteSeq, inviteHash: m.inviteHash })),
  };
}

/** The fields of the team document that mirror the log's state. */
export function stateFields(state: TeamLogState) {
  return {
    headSeq: state.headSeq, headHash: state.headHash, generation: state.generation, needsRotation: state.needsRotation, members: state.members,
    memberAccountIds: state.members.filter((m) => m.status === 'member').map((m) => m.accountId),
    invitedAccountIds: state.members.filter((m) => m.status === 'invited').map((m) => m.accountId),
  };
}
