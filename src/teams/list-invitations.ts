import type { AuthenticatedAccount } from '../shared/authenticated-account';
import { TeamAcceptanceModel, TeamLogEntryModel, TeamModel, type StoredLogEntry, type Team } from './team.model';
import { flushHeadEntry, toWireEntry } from './team-log-store';

/** Teams that invited this account and have not added it yet, with who invited it and the signed invite entry. */
export async function listInvitations(who: AuthenticatedAccount) {
  const teams = await TeamModel.find({ invitedAccountIds: who.accountId, dissolving: { $ne: true } }).limit(200).lean<Team[]>();
  const invitations = [];
  for (const team of teams) {
    const me = team.members.find((m) => m.accountId === who.accountId);
    if (!me) continue;
    // The head entry reaches the log collection only after the team's update: copy it first, as every other read does,
    // so an invitation that is the head entry still names who sent it (a missing entry used to answer 500).
    await flushHeadEntry(team);
    const inviteEntry = team.lastEntry.seq === me.inviteSeq ? team.lastEntry : await TeamLogEntryModel.findOne({ teamId: team._id, seq: me.inviteSeq }).lean<StoredLogEntry>();
    if (!inviteEntry) continue;
    const inviter = team.members.find((m) => m.accountId === inviteEntry.authorAccountId);
    const accepted = await TeamAcceptanceModel.exists({ teamId: team._id, accountId: who.accountId, inviteSeq: me.inviteSeq });
    invitations.push({
      teamId: team._id,
      inviteSeq: me.inviteSeq,
      invitedBy: { accountId: inviteEntry.authorAccountId, handle: inviter?.handle ?? '(former member)' },
      accepted: Boolean(accepted),
      createdAt: inviteEntry.createdAt.toISOString(),
      inviteEntry: toWireEntry(inviteEntry),
    });
  }
  return { invitations };
}
