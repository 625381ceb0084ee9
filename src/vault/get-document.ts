import type { AuthenticatedAccount } from '../shared/authenticated-account';
import { errors } from '../shared/errors';
import { requireMember } from '../teams/team-access';
import { CurrentDocumentModel, type CurrentDocument } from './document.model';
import { toDocumentView } from './document-store';

export async function getDocument(who: AuthenticatedAccount, teamId: string, documentId: string) {
  await requireMember(teamId, who.accountId);
  const doc = await CurrentDocumentModel.findOne({ teamId, documentId }).lean<CurrentDocument>();
  if (!doc) throw errors.notFound();
  return toDocumentView(doc);
}
