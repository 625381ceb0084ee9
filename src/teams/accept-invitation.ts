import type { AuthenticatedAccount } from '../http/route';
import type { Clock } from '../shared/clock';
import { errors } from '../shared/errors';
import { TeamAcceptanceModel, TeamModel, type Team } from './team.model';

/** Records the invitee's consent to the invite entry it names; idempotent. A coordinator then adds them. */
export async function acceptInvitation(deps: { clock: Clock }, who: AuthenticatedAccount, teamId: string): Promise<void> {
  const team = await TeamModel.findOne({ _id: teamId, invitedAccountIds: who.accountId, dissolving: { $ne: true } }).lean<Team>();
  const me = team?.members.find((m) => m.accountId === who.accountId && m.status === 'invited');
  if (!me) throw errors.notFound();
  await TeamAcceptanceModel.updateOne(
    { teamId, accountId: who.accountId },
    { $set: { inviteSeq: me.inviteSeq, createdAt: deps.clock.now() } },
    { upsert: true },
  );
}
