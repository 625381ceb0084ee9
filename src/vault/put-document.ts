import type { AuthenticatedAccount } from '../shared/authenticated-account';
import { AppError, errors } from '../shared/errors';
import { documentAdditionalData, documentSignatureMessage, documentVersionHashInput } from '../shared/protocol';
import type { Sodium } from '../shared/sodium';
import { requireMember } from '../teams/team-access';
import type { VaultDeps } from './deps';
import { CurrentDocumentModel, type CurrentDocument, type DocumentVersion } from './document.model';
import type { PutDocumentInput } from './document.schemas';
import { flushToHistory } from './document-store';
import { isDuplicateKeyError } from '../shared/duplicate-key';

const versionConflict = (current?: number) =>
  new AppError(409, 'version_conflict', 'Someone saved a newer version; read it, merge, and save again.', current === undefined ? undefined : { currentVersion: current });

/**
 * Writes a new version of an encrypted document. The write names the version it replaces; the current version
 * moves with ONE guarded update (version must still be the base), so of concurrent writers exactly one wins.
 * The server verifies the author's signature and the hash chain (it can compute both without any key).
 */
export async function putDocument(deps: VaultDeps, who: AuthenticatedAccount, teamId: string, documentId: string, input: PutDocumentInput) {
  const team = await requireMember(teamId, who.accountId);
  const { sodium } = deps;
  const ciphertext = decode(sodium, input.ciphertext);
  if (ciphertext.length > deps.config.VAULT_MAX_DOCUMENT_BYTES) throw errors.tooLarge(`A document is at most ${deps.config.VAULT_MAX_DOCUMENT_BYTES} bytes once encrypted.`);
  if (input.generation !== team.generation) {
    throw new AppError(409, 'stale_key_generation', `The team key changed: encrypt under generation ${team.generation}.`, { currentGeneration: team.generation });
  }
  // A write names the log head its author verified; an honest server stores only writes made at the current head,
  // so a version naming an older head was either refused here or comes from a server showing someone an old log.
  if (input.logSeq !== team.headSeq || input.logHash !== team.headHash) {
    throw new AppError(409, 'stale_log_head', 'The team log moved on: verify it again and write at its current head.', { currentHeadSeq: team.headSeq });
  }
  // Someone left since the last key generation: nothing new may go out under a key the leaver holds.
  if (team.needsRotation) throw new AppError(409, 'key_rotation_needed', 'Someone left the team: rotate the team key before writing.');
  const author = team.members.find((m) => m.accountId === who.accountId)!;
  const version = input.baseVersion + 1;
  const current = input.baseVersion === 0 ? null : await CurrentDocumentModel.findOne({ teamId, documentId }).lean<CurrentDocument>();
  if (input.baseVersion > 0) {
    if (!current) throw errors.notFound();
    if (current.kind !== input.kind) throw errors.badRequest('kind_mismatch', `This document is a ${current.kind}.`);
    if (current.version !== input.baseVersion) throw versionConflict(current.version);
  }
  const expectedPrevious = current ? versionHash(sodium, current) : new Uint8Array(32);
  if (input.previousVersionHash !== sodium.to_base64(expectedPrevious)) {
    throw new AppError(409, 'broken_version_chain', 'previousVersionHash is not the hash of the version this write replaces.');
  }
  const now = deps.clock.now();
  const written: DocumentVersion = {
    teamId, documentId, kind: input.kind, version, generation: input.generation, authorAccountId: who.accountId,
    previousVersionHash: input.previousVersionHash, logSeq: input.logSeq, logHash: input.logHash, nonce: input.nonce, ciphertext: input.ciphertext, signature: input.signature, size: ciphertext.length, writtenAt: now,
  };
  if (!signatureVerifies(sodium, written, author.signPublicKey)) throw errors.badRequest('invalid_signature', "The signature does not verify with your key over this document's additional data.");

  if (!current) {
    try {
      await CurrentDocumentModel.create({ ...written, createdAt: now });
    } catch (error) {
      if (isDuplicateKeyError(error)) throw versionConflict();
      throw error;
    }
  } else {
    await flushToHistory(current);
    const moved = await CurrentDocumentModel.findOneAndUpdate({ teamId, documentId, version: input.baseVersion }, { $set: written }, { new: true }).lean();
    if (!moved) throw versionConflict();
  }
  await flushToHistory(written);
  return { documentId, version, writtenAt: now.toISOString() };
}

function decode(sodium: Sodium, value: string): Uint8Array {
  try {
    return sodium.from_base64(value);
  } catch {
    throw errors.badRequest('validation_failed', 'ciphertext must be base64url without padding.');
  }
}

function bindingOf(sodium: Sodium, doc: DocumentVersion) {
  return documentAdditionalData({
    teamId: doc.teamId, documentId: doc.documentId, kind: doc.kind, version: doc.version, generation: doc.generation,
    authorAccountId: doc.authorAccountId, previousVersionHash: sodium.from_base64(doc.previousVersionHash),
    logSeq: doc.logSeq, logHash: sodium.from_base64(doc.logHash),
  });
}

/** BLAKE2b-256 over the version's additional data, nonce, ciphertext and signature: the next version chains to it. */
export function versionHash(sodium: Sodium, doc: DocumentVersion): Uint8Array {
  const input = documentVersionHashInput(bindingOf(sodium, doc), sodium.from_base64(doc.nonce), sodium.from_base64(doc.ciphertext), sodium.from_base64(doc.signature));
  return sodium.crypto_generichash(32, input, null);
}

function signatureVerifies(sodium: Sodium, doc: DocumentVersion, signPublicKey: string): boolean {
  try {
    const adHash = sodium.crypto_generichash(32, bindingOf(sodium, doc), null);
    const message = documentSignatureMessage(adHash, sodium.from_base64(doc.nonce), sodium.from_base64(doc.ciphertext));
    return sodium.crypto_sign_verify_detached(sodium.from_base64(doc.signature), message, sodium.from_base64(signPublicKey));
  } catch {
    return false;
  }
}
