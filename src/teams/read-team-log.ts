import type { AuthenticatedAccount } from '../shared/authenticated-account';
import { requireMember } from './team-access';
import { TeamLogEntryModel, type StoredLogEntry } from './team.model';
import { flushHeadEntry, toWireEntry } from './team-log-store';

/** The team's signed log, oldest first, for members to replay and verify. */
export async function readTeamLog(who: AuthenticatedAccount, teamId: string, query: { afterSeq: number; limit: number }) {
  const team = await requireMember(teamId, who.accountId);
  await flushHeadEntry(team);
  const entries = await TeamLogEntryModel.find({ teamId, seq: { $gt: query.afterSeq } }).sort({ seq: 1 }).limit(query.limit).lean<StoredLogEntry[]>();
  return { entries: entries.map(toWireEntry) };
}
