import { CurrentDocumentModel, DocumentVersionModel } from './document.model';

/** A dissolved team's documents and their history; idempotent. */
export async function purgeTeamDocuments(teamId: string): Promise<void> {
  await DocumentVersionModel.deleteMany({ teamId });
  await CurrentDocumentModel.deleteMany({ teamId });
}
