import { Types } from 'mongoose';
import type { SafetyDeps } from '../safety/deps';
import { enqueueMessage } from '../safety/outbox/enqueue-message';
import { isDuplicateKeyError } from '../shared/duplicate-key';
import { CheckInProfileModel } from '../safety/check-in-profile.model';
import type { AuthenticatedAccount } from '../shared/authenticated-account';
import { errors } from '../shared/errors';
import { renderMessage } from '../sms/catalogue';
import { phoneLookupKey, toE164 } from '../sms/phone';
import { TrustedContactModel, type TrustedContact } from './contact.model';
import type { AddContactInput, ContactView, UpdateContactInput } from '../safety/contact.schemas';
import { contactView } from './views';
import { ensureReplyRef, releaseReplyRefs } from './reply-references';

type Deps = Pick<SafetyDeps, 'clock' | 'fieldCipher' | 'serverKeys' | 'logger'>;
type ContactDoc = TrustedContact & { _id: Types.ObjectId };

export const MAX_CONTACTS = 50;
export const MAX_INVITATIONS = 3;

/** Adds a contact as `invited` and queues the invitation; alerts go only to contacts who reply YES. */
export async function addContact(deps: Deps, who: AuthenticatedAccount, input: AddContactInput): Promise<ContactView> {
  const ownerId = new Types.ObjectId(who.accountId);
  const e164 = toE164(input.phone);
  if (!e164) throw errors.badRequest('invalid_phone', 'That is not a valid mobile number. Include the country code, e.g. +52 55 1234 5678.');
  const profile = await CheckInProfileModel.findOne({ ownerId }, { encryptedDisplayName: 1 }).lean();
  if (!profile) throw errors.conflict('check_in_profile_required', 'Set up your check-in profile first: the invitation says who is asking.');
  if ((await TrustedContactModel.countDocuments({ ownerId })) >= MAX_CONTACTS) throw errors.conflict('too_many_contacts', `A network holds at most ${MAX_CONTACTS} contacts.`);
  const now = deps.clock.now();
  let contact: ContactDoc;
  try {
    const created = await TrustedContactModel.create({
      ownerId,
      encryptedName: deps.fieldCipher.encrypt(input.name),
      encryptedPhone: deps.fieldCipher.encrypt(e164),
      phoneLookup: phoneLookupKey(deps.serverKeys.lookupKey, e164),
      language: input.language,
      tier: input.tier,
      state: 'invited',
      stateChangedAt: now,
      invitationsSent: 0,
    });
    contact = created.toObject();
  } catch (error) {
    if (isDuplicateKeyError(error)) throw errors.conflict('contact_exists', 'This number is already in your network.');
    throw error;
  }
  await queueInvitation(deps, contact, deps.fieldCipher.decrypt(profile.encryptedDisplayName), e164);
  return contactView(deps, (await TrustedContactModel.findOne({ _id: contact._id }).lean<ContactDoc>())!);
}

async function queueInvitation(deps: Deps, contact: ContactDoc, defenderName: string, e164: string): Promise<void> {
  const ref = await ensureReplyRef(deps, contact);
  const number = contact.invitationsSent + 1;
  const counted = await TrustedContactModel.updateOne({ _id: contact._id, invitationsSent: contact.invitationsSent }, { $inc: { invitationsSent: 1 } });
  if (counted.modifiedCount === 0) return;
  await enqueueMessage(deps, {
    key: `invitation:${String(contact._id)}:${number}`,
    ownerId: contact.ownerId,
    contactId: contact._id,
    kind: 'invitation',
    to: e164,
    body: renderMessage(contact.language, 'invitation', { name: defenderName, ref: ref ?? '' }),
  });
}

/** Sends the invitation again (at most MAX_INVITATIONS in all: an invitation is unsolicited text to someone). */
export async function reinviteContact(deps: Deps, who: AuthenticatedAccount, contactId: string): Promise<ContactView> {
  const contact = await TrustedContactModel.findOne({ _id: contactId, ownerId: who.accountId }).lean<ContactDoc>();
  if (!contact) throw errors.notFound();
  if (contact.state !== 'invited') throw errors.conflict('not_invited', 'Only a contact who has not answered yet can be invited again.');
  if (contact.invitationsSent >= MAX_INVITATIONS) throw errors.conflict('too_many_invitations', `A contact can be invited at most ${MAX_INVITATIONS} times.`);
  const profile = await CheckInProfileModel.findOne({ ownerId: contact.ownerId }, { encryptedDisplayName: 1 }).lean();
  if (!profile) throw errors.conflict('check_in_profile_required', 'Set up your check-in profile first.');
  await queueInvitation(deps, contact, deps.fieldCipher.decrypt(profile.encryptedDisplayName), deps.fieldCipher.decrypt(contact.encryptedPhone));
  return contactView(deps, (await TrustedContactModel.findOne({ _id: contact._id }).lean<ContactDoc>())!);
}

export async function listContacts(deps: Pick<SafetyDeps, 'fieldCipher'>, who: AuthenticatedAccount): Promise<ContactView[]> {
  const contacts = await TrustedContactModel.find({ ownerId: who.accountId }).sort({ tier: 1, createdAt: 1 }).limit(MAX_CONTACTS).lean<ContactDoc[]>();
  return contacts.map((c) => contactView(deps, c));
}

/** Name, language and tier can change; a new number is a new contact (it must opt in itself). */
export async function updateContact(deps: Pick<SafetyDeps, 'fieldCipher'>, who: AuthenticatedAccount, contactId: string, input: UpdateContactInput): Promise<ContactView> {
  const set: Record<string, unknown> = {};
  if (input.name !== undefined) set.encryptedName = deps.fieldCipher.encrypt(input.name);
  if (input.language !== undefined) set.language = input.language;
  if (input.tier !== undefined) set.tier = input.tier;
  const updated = await TrustedContactModel.findOneAndUpdate({ _id: contactId, ownerId: who.accountId }, { $set: set }, { new: true }).lean<ContactDoc>();
  if (!updated) throw errors.notFound();
  return contactView(deps, updated);
}

export async function removeContact(who: AuthenticatedAccount, contactId: string): Promise<void> {
  const removed = await TrustedContactModel.deleteOne({ _id: contactId, ownerId: who.accountId });
  if (removed.deletedCount === 0) throw errors.notFound();
  await releaseReplyRefs(contactId);
}
