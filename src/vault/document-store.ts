import { DocumentVersionModel, type CurrentDocument, type DocumentVersion } from './document.model';
import type { DocumentKind, DocumentView } from './document.schemas';
import { isDuplicateKeyError } from '../shared/duplicate-key';

export function versionFieldsOf(doc: DocumentVersion): DocumentVersion {
  return {
    teamId: doc.teamId, documentId: doc.documentId, kind: doc.kind, version: doc.version, generation: doc.generation, authorAccountId: doc.authorAccountId,
    previousVersionHash: doc.previousVersionHash, logSeq: doc.logSeq, logHash: doc.logHash, nonce: doc.nonce, ciphertext: doc.ciphertext, signature: doc.signature, size: doc.size, writtenAt: doc.writtenAt,
  };
}


/**
 * Copies a current version into the history; idempotent. Runs before every overwrite and every history read,
 * so a crash between the guarded update and the history insert never leaves a gap in the chain.
 * A plain insert, not an upsert (on FerretDB an upsert is a scanning read and then a write): the unique index on
 * (teamId, documentId, version) refuses a second copy, and a refused copy means this version is already in the
 * history. A version never changes once written (the guarded update only ever moves to a new version number),
 * so the copy already there is this one, byte for byte.
 */
export async function flushToHistory(doc: DocumentVersion): Promise<void> {
  try {
    await DocumentVersionModel.create(versionFieldsOf(doc));
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
}

export function toDocumentView(doc: DocumentVersion | CurrentDocument): DocumentView {
  const view: DocumentView = {
    documentId: doc.documentId, kind: doc.kind as DocumentKind, version: doc.version, generation: doc.generation, authorAccountId: doc.authorAccountId,
    previousVersionHash: doc.previousVersionHash, logSeq: doc.logSeq, logHash: doc.logHash, nonce: doc.nonce, ciphertext: doc.ciphertext, signature: doc.signature, size: doc.size,
    writtenAt: doc.writtenAt.toISOString(),
  };
  if ('createdAt' in doc && doc.createdAt instanceof Date) view.createdAt = doc.createdAt.toISOString();
  return view;
}
