import type { AuthenticatedAccount } from '../shared/authenticated-account';
import type { Clock } from '../shared/clock';
import { errors } from '../shared/errors';
import { teamAcceptanceMessage } from '../shared/protocol';
import type { Sodium } from '../shared/sodium';
import { TeamAcceptanceModel, TeamModel, type Team } from './team.model';
import { verifies } from '../shared/team-log-rules';
import type { AcceptInvitationInput } from './team.schemas';

/**
 * Records the invitee's consent to the invite entry it names, with her signature over it; idempotent. A coordinator
 * then adds her, carrying the signature into the add entry. The server checks it here too, so a bad signature is a
 * 400 that stores nothing rather than an add every client would refuse.
 */
export async function acceptInvitation(deps: { clock: Clock; sodium: Sodium }, who: AuthenticatedAccount, teamId: string, input: AcceptInvitationInput): Promise<void> {
  const team = await TeamModel.findOne({ _id: teamId, invitedAccountIds: who.accountId, dissolving: { $ne: true } }).lean<Team>();
  const me = team?.members.find((m) => m.accountId === who.accountId && m.status === 'invited');
  if (!me) throw errors.notFound();
  const message = teamAcceptanceMessage(teamId, me.inviteSeq, deps.sodium.from_base64(me.inviteHash));
  if (!verifies(deps.sodium, message, input.signature, me.signPublicKey)) {
    throw errors.badRequest('invalid_signature', 'The acceptance is not signed by the invited key over this invitation.');
  }
  await TeamAcceptanceModel.updateOne(
    { teamId, accountId: who.accountId },
    { $set: { inviteSeq: me.inviteSeq, signature: input.signature, createdAt: deps.clock.now() } },
    { upsert: true },
  );
}
