import type { AuthenticatedAccount } from '../http/route';
import { TeamAcceptanceModel, TeamLogEntryModel, TeamModel, type Team } from './team.model';

/** Teams that invited this account and have not added it yet, with who invited it. */
export async function listInvitations(who: AuthenticatedAccount) {
  const teams = await TeamModel.find({ invitedAccountIds: who.accountId, dissolving: { $ne: true } }).limit(200).lean<Team[]>();
  const invitations = [];
  for (const team of teams) {
    const me = team.members.find((m) => m.accountId === who.accountId);
    if (!me) continue;
    const inviteEntry = await TeamLogEntryModel.findOne({ teamId: team._id, seq: me.inviteSeq }, { authorAccountId: 1, createdAt: 1 }).lean();
    const inviter = team.members.find((m) => m.accountId === inviteEntry?.authorAccountId);
    const accepted = await TeamAcceptanceModel.exists({ teamId: team._id, accountId: who.accountId, inviteSeq: me.inviteSeq });
    invitations.push({
      teamId: team._id,
      inviteSeq: me.inviteSeq,
      invitedBy: { accountId: inviteEntry?.authorAccountId ?? '', handle: inviter?.handle ?? '(former member)' },
      accepted: Boolean(accepted),
      createdAt: (inviteEntry?.createdAt ?? team.updatedAt).toISOString(),
    });
  }
  return { invitations };
}
