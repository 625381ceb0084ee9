import { DocumentVersionModel, type CurrentDocument, type DocumentVersion } from './document.model';
import type { DocumentKind, DocumentView } from './document.schemas';

export function versionFieldsOf(doc: DocumentVersion): DocumentVersion {
  return {
    teamId: doc.teamId, documentId: doc.documentId, kind: doc.kind, version: doc.version, generation: doc.generation, authorAccountId: doc.authorAccountId,
    previousVersionHash: doc.previousVersionHash, nonce: doc.nonce, ciphertext: doc.ciphertext, signature: doc.signature, size: doc.size, writtenAt: doc.writtenAt,
  };
}

/**
 * Copies a current version into the history; idempotent. Runs before every overwrite and every history read,
 * so a crash between the guarded update and the history insert never leaves a gap in the chain.
 */
export async function flushToHistory(doc: DocumentVersion): Promise<void> {
  const fields = versionFieldsOf(doc);
  await DocumentVersionModel.updateOne({ teamId: fields.teamId, documentId: fields.documentId, version: fields.version }, { $setOnInsert: fields }, { upsert: true });
}

export function toDocumentView(doc: DocumentVersion | CurrentDocument): DocumentView {
  const view: DocumentView = {
    documentId: doc.documentId, kind: doc.kind as DocumentKind, version: doc.version, generation: doc.generation, authorAccountId: doc.authorAccountId,
    previousVersionHash: doc.previousVersionHash, nonce: doc.nonce, ciphertext: doc.ciphertext, signature: doc.signature, size: doc.size,
    writtenAt: doc.writtenAt.toISOString(),
  };
  if ('createdAt' in doc && doc.createdAt instanceof Date) view.createdAt = doc.createdAt.toISOString();
  return view;
}
