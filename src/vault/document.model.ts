import { Schema, model } from 'mongoose';
import type { SealedDocumentVersion } from '../shared/protocol';

/**
 * One version of an encrypted document. The server stores the ciphertext and what it needs to enforce
 * order and access (team, id, kind, version, key generation, author, the hash chain); nothing about the content.
 */
export interface DocumentVersion extends SealedDocumentVersion {
  teamId: string;
  /** Ciphertext bytes (the plaintext was padded to a size bucket before encryption). */
  size: number;
  /** When this version was written. */
  writtenAt: Date;
}

/** The current version of each document (live state, small); the first version's time is kept as createdAt. */
export interface CurrentDocument extends DocumentVersion {
  createdAt: Date;
}

const versionFields = {
  teamId: { type: String, required: true },
  documentId: { type: String, required: true },
  kind: { type: String, required: true },
  version: { type: Number, required: true },
  generation: { type: Number, required: true },
  authorAccountId: { type: String, required: true },
  previousVersionHash: { type: String, required: true },
  logSeq: { type: Number, required: true },
  logHash: { type: String, required: true },
  nonce: { type: String, required: true },
  ciphertext: { type: String, required: true },
  signature: { type: String, required: true },
  size: { type: Number, required: true },
  writtenAt: { type: Date, required: true },
};

const currentSchema = new Schema<CurrentDocument>({ ...versionFields, createdAt: { type: Date, required: true } }, { versionKey: false });
// Per team, so two teams can never collide on (or learn about) each other's document ids.
currentSchema.index({ teamId: 1, documentId: 1 }, { unique: true });
currentSchema.index({ teamId: 1, kind: 1, createdAt: -1 });
export const CurrentDocumentModel = model<CurrentDocument>('VaultDocument', currentSchema, 'vaultdocuments');

const versionSchema = new Schema<DocumentVersion>(versionFields, { versionKey: false });
versionSchema.index({ teamId: 1, documentId: 1, version: 1 }, { unique: true });
export const DocumentVersionModel = model<DocumentVersion>('VaultDocumentVersion', versionSchema, 'vaultdocumentversions');
