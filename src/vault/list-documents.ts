import type { AuthenticatedAccount } from '../shared/authenticated-account';
import { requireMember } from '../teams/team-access';
import { CurrentDocumentModel, type CurrentDocument } from './document.model';
import type { DocumentKind } from './document.schemas';
import { toDocumentView } from './document-store';

/** Current documents of a team, newest first (the incident log is `kind=incident`). */
export async function listDocuments(who: AuthenticatedAccount, teamId: string, query: { kind?: DocumentKind; limit: number; before?: string }) {
  await requireMember(teamId, who.accountId);
  const filter: Record<string, unknown> = { teamId };
  if (query.kind) filter.kind = query.kind;
  if (query.before) filter.createdAt = { $lt: new Date(query.before) };
  const docs = await CurrentDocumentModel.find(filter).sort({ createdAt: -1, documentId: -1 }).limit(query.limit).lean<CurrentDocument[]>();
  return { documents: docs.map(toDocumentView) };
}
