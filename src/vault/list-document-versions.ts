import type { AuthenticatedAccount } from '../shared/authenticated-account';
import { errors } from '../shared/errors';
import { requireMember } from '../teams/team-access';
import { CurrentDocumentModel, DocumentVersionModel, type CurrentDocument, type DocumentVersion } from './document.model';
import { flushToHistory, toDocumentView, versionFieldsOf } from './document-store';

/** Every kept version of a document, newest first: readers verify the hash chain and can restore an old version. */
export async function listDocumentVersions(who: AuthenticatedAccount, teamId: string, documentId: string, query: { limit: number; beforeVersion?: number }) {
  await requireMember(teamId, who.accountId);
  const current = await CurrentDocumentModel.findOne({ teamId, documentId }).lean<CurrentDocument>();
  if (!current) throw errors.notFound();
  await flushToHistory(current);
  const filter: Record<string, unknown> = { teamId, documentId };
  if (query.beforeVersion !== undefined) filter.version = { $lt: query.beforeVersion };
  const versions = await DocumentVersionModel.find(filter).sort({ version: -1 }).limit(query.limit).lean<DocumentVersion[]>();
  return { documents: versions.map(toDocumentView) };
}

export async function getDocumentVersion(who: AuthenticatedAccount, teamId: string, documentId: string, version: number) {
  await requireMember(teamId, who.accountId);
  const current = await CurrentDocumentModel.findOne({ teamId, documentId }).lean<CurrentDocument>();
  if (!current) throw errors.notFound();
  if (current.version === version) return toDocumentView(versionFieldsOf(current));
  const found = await DocumentVersionModel.findOne({ teamId, documentId, version }).lean<DocumentVersion>();
  if (!found) throw errors.notFound();
  return toDocumentView(found);
}
