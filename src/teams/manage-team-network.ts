import { Types } from 'mongoose';
import type { SafetyDeps } from '../safety/deps';
import { enqueueMessage } from '../safety/outbox/enqueue-message';
import { isDuplicateKeyError } from '../shared/duplicate-key';
import type { ContactState } from '../contacts/contact.model';
import { ReplyReferenceModel } from '../contacts/reply-reference.model';
import { ensureReplyRef, releaseReplyRefs } from '../contacts/reply-references';
import type { AuthenticatedAccount } from '../shared/authenticated-account';
import { errors } from '../shared/errors';
import { renderMessage, type Language } from '../sms/catalogue';
import { phoneHint, phoneLookupKey, toE164 } from '../sms/phone';
import { requireCoordinator } from './team-access';
import { TeamResponderModel, TeamSmsNameModel, type TeamResponder } from './team-network.model';

type Deps = Pick<SafetyDeps, 'clock' | 'fieldCipher' | 'serverKeys' | 'logger' | 'wake'>;
type ResponderDoc = TeamResponder & { _id: Types.ObjectId };

export const MAX_RESPONDERS = 50;
export const MAX_RESPONDER_INVITATIONS = 3;

export interface ResponderView {
  id: string;
  name: string;
  role: string;
  /** The last three digits only, as for personal contacts. */
  phoneHint: string;
  language: Language;
  state: ContactState;
  stateChangedAt: string;
  createdAt: string;
}

export interface TeamNetworkView {
  smsName: string | null;
  responders: ResponderView[];
}

function view(deps: Pick<SafetyDeps, 'fieldCipher'>, r: ResponderDoc): ResponderView {
  return {
    id: String(r._id),
    name: deps.fieldCipher.decrypt(r.encryptedName),
    role: deps.fieldCipher.decrypt(r.encryptedRole),
    phoneHint: phoneHint(deps.fieldCipher.decrypt(r.encryptedPhone)),
    language: r.language,
    state: r.state,
    stateChangedAt: r.stateChangedAt.toISOString(),
    createdAt: r.createdAt.toISOString(),
  };
}

async function smsNameOf(deps: Pick<SafetyDeps, 'fieldCipher'>, teamId: string): Promise<string | null> {
  const doc = await TeamSmsNameModel.findOne({ _id: teamId }).lean();
  return doc ? deps.fieldCipher.decrypt(doc.encryptedSmsName) : null;
}

/** The name the team's texts use; never the team's real (end-to-end encrypted) name. */
export async function setTeamSmsName(deps: Deps, who: AuthenticatedAccount, teamId: string, smsName: string): Promise<{ smsName: string }> {
  await requireCoordinator(teamId, who.accountId);
  await TeamSmsNameModel.updateOne({ _id: teamId }, { $set: { encryptedSmsName: deps.fieldCipher.encrypt(smsName), updatedAt: deps.clock.now() } }, { upsert: true });
  return { smsName };
}

export async function getTeamNetwork(deps: Deps, who: AuthenticatedAccount, teamId: string): Promise<TeamNetworkView> {
  await requireCoordinator(teamId, who.accountId);
  const responders = await TeamResponderModel.find({ teamId }).sort({ createdAt: 1 }).limit(MAX_RESPONDERS).lean<ResponderDoc[]>();
  return { smsName: await smsNameOf(deps, teamId), responders: responders.map((r) => view(deps, r)) };
}

export interface AddResponderInput {
  name: string;
  phone: string;
  language: Language;
  role: string;
}

/** Adds a responder as `invited` and queues the invitation, which names the team by its SMS name. */
export async function addResponder(deps: Deps, who: AuthenticatedAccount, teamId: string, input: AddResponderInput): Promise<ResponderView> {
  await requireCoordinator(teamId, who.accountId);
  const e164 = toE164(input.phone);
  if (!e164) throw errors.badRequest('invalid_phone', 'That is not a valid mobile number. Include the country code, e.g. +52 55 1234 5678.');
  const smsName = await smsNameOf(deps, teamId);
  if (!smsName) throw errors.conflict('sms_name_required', "Choose the team's SMS name first: the invitation says who is asking, and the team's own name stays encrypted.");
  if ((await TeamResponderModel.countDocuments({ teamId })) >= MAX_RESPONDERS) throw errors.conflict('too_many_responders', `A team network holds at most ${MAX_RESPONDERS} responders.`);
  let responder: ResponderDoc;
  try {
    const created = await TeamResponderModel.create({
      teamId,
      encryptedName: deps.fieldCipher.encrypt(input.name),
      encryptedPhone: deps.fieldCipher.encrypt(e164),
      encryptedRole: deps.fieldCipher.encrypt(input.role),
      phoneLookup: phoneLookupKey(deps.serverKeys.lookupKey, e164),
      language: input.language,
      state: 'invited',
      stateChangedAt: deps.clock.now(),
      invitationsSent: 0,
    });
    responder = created.toObject();
  } catch (error) {
    if (isDuplicateKeyError(error)) throw errors.conflict('responder_exists', "This number is already in the team's network.");
    throw error;
  }
  await queueInvitation(deps, who, responder, smsName, e164);
  return view(deps, (await TeamResponderModel.findOne({ _id: responder._id }).lean<ResponderDoc>())!);
}

async function queueInvitation(deps: Deps, who: AuthenticatedAccount, responder: ResponderDoc, smsName: string, e164: string): Promise<void> {
  const ref = await ensureReplyRef(deps, responder, TeamResponderModel);
  const number = responder.invitationsSent + 1;
  const counted = await TeamResponderModel.updateOne({ _id: responder._id, invitationsSent: responder.invitationsSent }, { $inc: { invitationsSent: 1 } });
  if (counted.modifiedCount === 0) return;
  await enqueueMessage(deps, {
    key: `team_invitation:${String(responder._id)}:${number}`,
    // The coordinator who asked: the outbox keeps an owner for every message (and drops it with her account).
    ownerId: new Types.ObjectId(who.accountId),
    contactId: responder._id,
    kind: 'invitation',
    to: e164,
    body: renderMessage(responder.language, 'teamInvitation', { team: smsName, ref: ref ?? '' }),
  });
}

/** Sends the invitation again, at most MAX_RESPONDER_INVITATIONS in all (unsolicited text to someone). */
export async function reinviteResponder(deps: Deps, who: AuthenticatedAccount, teamId: string, responderId: string): Promise<ResponderView> {
  await requireCoordinator(teamId, who.accountId);
  const responder = await TeamResponderModel.findOne({ _id: responderId, teamId }).lean<ResponderDoc>();
  if (!responder) throw errors.notFound();
  if (responder.state !== 'invited') throw errors.conflict('not_invited', 'Only a responder who has not answered yet can be invited again.');
  if (responder.invitationsSent >= MAX_RESPONDER_INVITATIONS) throw errors.conflict('too_many_invitations', `A responder can be invited at most ${MAX_RESPONDER_INVITATIONS} times.`);
  const smsName = await smsNameOf(deps, teamId);
  if (!smsName) throw errors.conflict('sms_name_required', "Choose the team's SMS name first.");
  await queueInvitation(deps, who, responder, smsName, deps.fieldCipher.decrypt(responder.encryptedPhone));
  return view(deps, (await TeamResponderModel.findOne({ _id: responder._id }).lean<ResponderDoc>())!);
}

/** Removed at once: an alert's next tier reads the roster again, so a removed responder gets no further text. */
export async function removeResponder(who: AuthenticatedAccount, teamId: string, responderId: string): Promise<void> {
  await requireCoordinator(teamId, who.accountId);
  const removed = await TeamResponderModel.deleteOne({ _id: responderId, teamId });
  if (removed.deletedCount === 0) throw errors.notFound();
  await releaseReplyRefs(responderId);
}

/** Team dissolution: the roster, its SMS name and its reply codes go with the team. Idempotent. */
export async function purgeTeamNetwork(teamId: string): Promise<void> {
  await TeamResponderModel.deleteMany({ teamId });
  await ReplyReferenceModel.deleteMany({ teamId });
  await TeamSmsNameModel.deleteOne({ _id: teamId });
}
