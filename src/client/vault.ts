import { parseContent, type ContentByKind, type DocumentKind, DOCUMENT_KINDS } from './content';
import { DocumentVerificationError, encryptDocumentVersion, openDocumentVersion, versionHashOf, type EncryptedVersion } from './crypto/vault-documents';
import { MeshworkApiError } from './http';
import type { Team } from './teams';

/** The server served an older version than this device has already seen, or a different history for the same version. */
export class RollbackError extends Error {
  constructor(
    readonly documentId: string,
    reason: string,
  ) {
    super(`Document ${documentId}: ${reason}. The server may be hiding a newer version.`);
    this.name = 'RollbackError';
  }
}

interface StoredVersion extends EncryptedVersion {
  size: number;
  writtenAt: string;
  createdAt?: string;
}

export interface DecryptedDocument<K extends DocumentKind = DocumentKind> {
  documentId: string;
  kind: K;
  version: number;
  generation: number;
  author: { accountId: string; handle: string };
  content: ContentByKind[K];
  /** base64url BLAKE2b-256 of this version; the next version chains to it. */
  hash: string;
  /** The team-log head its author had verified (seq and hash); this device's log contains that exact entry. */
  logSeq: number;
  logHash: string;
  /**
   * People no longer in the team who held the key this version is under, so can read it (empty once a rotation
   * re-encrypted it). Non-empty on a current document means it was written under an old log: show it as a warning.
   */
  readableByFormerMembers: string[];
  size: number;
  /** When the author says she wrote this version: signed and encrypted with the content, so the server cannot change it. */
  writtenAt: string;
  /** When the author of version 1 says she created the document (each version carries it on, signed). */
  createdAt: string;
  /** The server's own times: not authenticated; createdAt is the cursor for list({ before }). */
  server: { writtenAt: string; createdAt?: string };
  /**
   * The server's times differ from the signed ones by more than clocks drift (SIGNED_TIME_TOLERANCE_MS): the server
   * (or someone with its database) changed when the document says it was written, or the author's clock is far off.
   */
  timeDiffers: boolean;
}

const ZERO_HASH = new Uint8Array(32);
/** Phones' clocks drift; a server that moves a time by more than this is flagged. */
export const SIGNED_TIME_TOLERANCE_MS = 15 * 60 * 1000;

/** What is encrypted and signed: the content with the author's claimed times, so readers order and show those. */
interface SignedPlaintext {
  writtenAt: string;
  createdAt: string;
  content: unknown;
}

/** The JSON that is padded, encrypted and signed for one version. */
export function documentPlaintext(content: unknown, writtenAt: string, createdAt = writtenAt): string {
  return JSON.stringify({ writtenAt, createdAt, content } satisfies SignedPlaintext);
}

const isIsoTime = (value: unknown): value is string => typeof value === 'string' && value.length <= 40 && !Number.isNaN(Date.parse(value));
const farApart = (a: string, b: string | undefined) => b !== undefined && Math.abs(Date.parse(a) - Date.parse(b)) > SIGNED_TIME_TOLERANCE_MS;

/**
 * A team's encrypted documents. Content is validated, padded, encrypted under the current team key with its
 * binding as additional data, and signed, before it leaves the device; every read verifies signature, binding,
 * hash chain and this device's memory of the newest version seen.
 */
export class TeamVault {
  constructor(private readonly team: Team) {}

  private get sodium() {
    return this.team.sodium;
  }
  private get api() {
    return this.team.account.api;
  }
  private path(documentId?: string) {
    return `/v1/teams/${this.team.teamId}/documents${documentId ? `/${documentId}` : ''}`;
  }
  private markKey(documentId: string) {
    return `doc:${this.team.teamId}:${documentId}`;
  }

  async create<K extends DocumentKind>(kind: K, content: ContentByKind[K] | unknown): Promise<DecryptedDocument<K>> {
    const documentId = this.sodium.to_hex(this.sodium.randombytes_buf(12));
    return this.write(documentId, kind, content, null);
  }

  /**
   * A new version. baseVersion is the version the edit started from (default: the newest this device has seen);
   * if someone saved since, the server answers 409 version_conflict and nothing changes.
   */
  async update<K extends DocumentKind>(documentId: string, content: ContentByKind[K] | unknown, options: { baseVersion?: number } = {}): Promise<DecryptedDocument<K>> {
    const mark = await this.team.trust.getMark(this.markKey(documentId));
    const base = options.baseVersion !== undefined ? await this.getVersion(documentId, options.baseVersion) : mark ? await this.getVersion(documentId, mark.position) : await this.get(documentId);
    if (mark && base.version === mark.position && base.hash !== mark.hash) throw new RollbackError(documentId, `version ${base.version} is not the one this device saw`);
    return this.write(documentId, base.kind as K, content, base);
  }

  /** Writes an older version's content as the newest version. */
  async restore(documentId: string, version: number): Promise<DecryptedDocument> {
    const old = await this.getVersion(documentId, version);
    const current = await this.get(documentId);
    return this.write(documentId, current.kind, old.content, current);
  }

  async get(documentId: string): Promise<DecryptedDocument> {
    const stored = await this.api.get<StoredVersion>(this.path(documentId));
    // A server answering X with Y would otherwise have Y's rollback mark checked instead of X's.
    if (stored.documentId !== documentId) throw new DocumentVerificationError(documentId, `the server answered with document ${String(stored.documentId)}`);
    await this.catchUpWith([stored]);
    const doc = this.verify(stored);
    if (doc.version > 1 && doc.generation < this.team.generation) {
      // A current version under a key the log has since replaced: a removed member may have signed it under her
      // old key, chained to a real newer version. Its predecessor must be the one it chains to, and not newer.
      const older = (await this.fetchVersions(documentId, 2)).find((v) => v.version === doc.version - 1);
      if (!older || older.documentId !== documentId || versionHashOf(this.sodium, this.team.teamId, older) !== stored.previousVersionHash) {
        throw new RollbackError(documentId, `version ${doc.version} does not chain to version ${doc.version - 1}`);
      }
      this.checkSuccession(documentId, older, stored);
    }
    await this.checkAgainstMark(doc, stored);
    return doc;
  }

  async getVersion(documentId: string, version: number): Promise<DecryptedDocument> {
    const stored = await this.api.get<StoredVersion>(`${this.path(documentId)}/versions/${version}`);
    if (stored.version !== version || stored.documentId !== documentId) throw new DocumentVerificationError(documentId, `the server answered with version ${stored.version} when asked for ${version}`);
    await this.catchUpWith([stored]);
    return this.verify(stored);
  }

  /** Every version, newest first, each verified and the hash chain checked back to version 1. */
  async history(documentId: string): Promise<DecryptedDocument[]> {
    const versions = await this.fetchVersions(documentId);
    const swapped = versions.find((v) => v.documentId !== documentId || v.kind !== versions[0]!.kind);
    if (swapped) throw new DocumentVerificationError(documentId, `the history holds a version of ${String(swapped.documentId)} (${String(swapped.kind)})`);
    await this.catchUpWith(versions);
    const docs = versions.map((v) => this.verify(v));
    docs.forEach((doc, i) => {
      const older = versions[i + 1];
      if (older) this.checkSuccession(documentId, older, versions[i]!);
      const expectedVersion = doc.version - 1;
      if (older ? older.version !== expectedVersion : expectedVersion !== 0) throw new RollbackError(documentId, `version ${expectedVersion} is missing from the history`);
      const expectedHash = older ? versionHashOf(this.sodium, this.team.teamId, older) : this.sodium.to_base64(ZERO_HASH);
      if (versions[i]!.previousVersionHash !== expectedHash) throw new RollbackError(documentId, `version ${doc.version} does not chain to version ${expectedVersion}`);
    });
    if (docs[0]) await this.checkAgainstMark(docs[0], versions[0]!, versions);
    return docs;
  }

  /** Current documents, newest first (kind incident: the incident log). */
  async list<K extends DocumentKind>(kind?: K, options: { limit?: number; before?: string } = {}): Promise<DecryptedDocument<K>[]> {
    const query = new URLSearchParams();
    if (kind) query.set('kind', kind);
    query.set('limit', String(options.limit ?? 50));
    if (options.before) query.set('before', options.before);
    const { documents } = await this.api.get<{ documents: StoredVersion[] }>(`${this.path()}?${query.toString()}`);
    await this.catchUpWith(documents);
    const docs: DecryptedDocument<K>[] = [];
    for (const stored of documents) {
      if (kind && stored.kind !== kind) throw new DocumentVerificationError(stored.documentId, `asked for ${kind}, got ${stored.kind}`);
      const doc = this.verify(stored) as DecryptedDocument<K>;
      // The chain back to the version this device saw is followed here too: a forked version with a higher
      // number must not silently replace the mark.
      await this.checkAgainstMark(doc, stored);
      docs.push(doc);
    }
    return docs;
  }

  /** After a new key generation: every current document not yet under it gets a new version under it. */
  async reencryptAll(): Promise<number> {
    let count = 0;
    for (const kind of DOCUMENT_KINDS) {
      let before: string | undefined;
      for (;;) {
        const page = await this.list(kind, { limit: 100, before });
        for (const doc of page) {
          if (doc.generation >= this.team.generation) continue;
          try {
            await this.write(doc.documentId, doc.kind, doc.content, doc, false);
            count += 1;
          } catch (error) {
            // Someone saved a newer version meanwhile; theirs is under the new generation already.
            if (!(error instanceof MeshworkApiError && error.code === 'version_conflict')) throw error;
          }
        }
        if (page.length < 100) break;
        before = page[page.length - 1]!.server.createdAt;
      }
    }
    return count;
  }

  private async write<K extends DocumentKind>(documentId: string, kind: K, content: unknown, previous: DecryptedDocument | null, rotateIfNeeded = true): Promise<DecryptedDocument<K>> {
    if (rotateIfNeeded && this.team.state.needsRotation) {
      // Someone left since the last key generation: nothing new goes out under a key they hold. Any remaining
      // member rotates (the log rules allow it after a leave), and the server refuses writes until someone has.
      await this.team.rotateKey();
    }
    const valid = parseContent(kind, content);
    const writtenAt = this.team.now().toISOString();
    const json = documentPlaintext(valid, writtenAt, previous?.createdAt ?? writtenAt);
    try {
      return await this.encryptAndPut(documentId, kind, valid, json, previous);
    } catch (error) {
      // The log moved on since this view verified it: verify it again and write at its new head.
      if (!(error instanceof MeshworkApiError && (error.code === 'stale_key_generation' || error.code === 'stale_log_head' || error.code === 'key_rotation_needed'))) throw error;
      await this.team.refresh();
      if (this.team.state.needsRotation) await this.team.rotateKey();
      return this.encryptAndPut(documentId, kind, valid, json, previous);
    }
  }

  private async encryptAndPut<K extends DocumentKind>(documentId: string, kind: K, content: ContentByKind[K], json: string, previous: DecryptedDocument | null): Promise<DecryptedDocument<K>> {
    const claimed = JSON.parse(json) as SignedPlaintext;
    const { sodium, team } = this;
    const generation = team.generation;
    const version = (previous?.version ?? 0) + 1;
    // Written at the head this device verified: readers whose log lacks that exact entry refuse the version.
    const { seq: logSeq, hash: logHash } = team.logHead();
    const encrypted = encryptDocumentVersion(
      sodium,
      {
        teamId: team.teamId, documentId, kind, version, generation, authorAccountId: team.account.accountId,
        previousVersionHash: previous ? sodium.from_base64(previous.hash) : ZERO_HASH, logSeq, logHash: sodium.from_base64(logHash),
      },
      json,
      team.keyFor(generation),
      team.account.keys.sign.privateKey,
    );
    const reply = await this.api.put<{ version: number; writtenAt: string }>(this.path(documentId), {
      kind, baseVersion: version - 1, generation, previousVersionHash: encrypted.previousVersionHash, logSeq, logHash, nonce: encrypted.nonce, ciphertext: encrypted.ciphertext, signature: encrypted.signature,
    });
    const hash = versionHashOf(sodium, team.teamId, encrypted);
    // size: the ciphertext's byte length, read off its unpadded base64url (4 characters per 3 bytes) without decoding it again.
    await team.trust.setMark(this.markKey(documentId), { position: version, hash });
    return {
      documentId, kind, version, generation, author: { accountId: team.account.accountId, handle: team.account.handle }, content, hash,
      logSeq, logHash, readableByFormerMembers: team.formerHoldersOf(generation),
      size: Math.floor((encrypted.ciphertext.length * 3) / 4), writtenAt: claimed.writtenAt, createdAt: claimed.createdAt,
      server: { writtenAt: reply.writtenAt, createdAt: previous?.server.createdAt ?? reply.writtenAt }, timeDiffers: farApart(claimed.writtenAt, reply.writtenAt),
    };
  }

  /** A version under a generation newer than this view knows: the team rotated since it was opened, so replay the log again. */
  private async catchUpWith(versions: StoredVersion[]): Promise<void> {
    if (versions.some((v) => v.generation > this.team.generation || v.logSeq > this.team.state.headSeq)) await this.team.refresh();
  }

  /**
   * Along a version chain neither the key generation nor the log head may go back: a removed member signing a new
   * version under the old key (chained to a real newer one) names an older generation and an older head.
   */
  private checkSuccession(documentId: string, older: StoredVersion, newer: StoredVersion): void {
    if (newer.generation < older.generation || newer.logSeq < older.logSeq) {
      throw new RollbackError(documentId, `version ${newer.version} was written under an older team log (entry ${newer.logSeq}, key generation ${newer.generation}) than version ${older.version} (entry ${older.logSeq}, key generation ${older.generation})`);
    }
  }

  private verify(stored: StoredVersion): DecryptedDocument {
    const { sodium, team } = this;
    if (!(DOCUMENT_KINDS as string[]).includes(stored.kind)) throw new DocumentVerificationError(stored.documentId, `unknown kind ${stored.kind}`);
    if (!Number.isSafeInteger(stored.logSeq) || stored.logSeq < 1) throw new DocumentVerificationError(stored.documentId, 'malformed fields');
    // The log head its author verified must be in this device's verified log, exactly: otherwise one of us is being
    // shown a cut-back (frozen) or forked log.
    const position = team.positionAt(stored.logSeq);
    if (!position) throw new DocumentVerificationError(stored.documentId, `it was written at entry ${stored.logSeq} of the team log, which the log you were shown does not have yet; the server may be showing you an old log`);
    if (position.hash !== stored.logHash) throw new DocumentVerificationError(stored.documentId, `it was written at a different entry ${stored.logSeq} of the team log than yours; the server may be showing members different logs`);
    if (position.generation !== stored.generation) throw new DocumentVerificationError(stored.documentId, `it claims key generation ${stored.generation}, but the log at entry ${stored.logSeq} was at generation ${position.generation}`);
    if (position.needsRotation) throw new DocumentVerificationError(stored.documentId, `it was written at entry ${stored.logSeq}, after someone left and before the key was rotated, under a key the leaver holds`);
    const author = team.authorAt(stored.authorAccountId, stored.logSeq);
    if (!author) throw new DocumentVerificationError(stored.documentId, 'its author was not a member of the team at the log entry it names');
    const { json, hash } = openDocumentVersion(sodium, team.teamId, stored, team.keyFor(stored.generation), author.signPublicKey);
    let content: unknown;
    let claimed: SignedPlaintext;
    try {
      claimed = JSON.parse(json) as SignedPlaintext;
    } catch {
      throw new DocumentVerificationError(stored.documentId, 'its plaintext is not JSON');
    }
    if (typeof claimed !== 'object' || claimed === null || !isIsoTime(claimed.writtenAt) || !isIsoTime(claimed.createdAt)) {
      throw new DocumentVerificationError(stored.documentId, 'it carries no signed time of writing');
    }
    try {
      content = parseContent(stored.kind as DocumentKind, claimed.content);
    } catch {
      throw new DocumentVerificationError(stored.documentId, `its content is not a valid ${stored.kind}`);
    }
    return {
      documentId: stored.documentId, kind: stored.kind as DocumentKind, version: stored.version, generation: stored.generation,
      author: { accountId: author.accountId, handle: author.handle }, content: content as ContentByKind[DocumentKind],
      hash, logSeq: stored.logSeq, logHash: stored.logHash, readableByFormerMembers: team.formerHoldersOf(stored.generation),
      size: stored.size, writtenAt: claimed.writtenAt, createdAt: claimed.createdAt,
      server: { writtenAt: stored.writtenAt, createdAt: stored.createdAt },
      timeDiffers: farApart(claimed.writtenAt, stored.writtenAt) || farApart(claimed.createdAt, stored.createdAt),
    };
  }

  /**
   * Rollback detection: never accept an older version than this device has seen, nor a different one at the same
   * version; a newer one must chain back to the one seen (checked through the history when followChain is set).
   */
  private async checkAgainstMark(doc: DecryptedDocument, stored: StoredVersion, knownVersions?: StoredVersion[], followChain = true): Promise<void> {
    const key = this.markKey(doc.documentId);
    const mark = await this.team.trust.getMark(key);
    if (mark) {
      if (doc.version < mark.position) throw new RollbackError(doc.documentId, `the server returned version ${doc.version}, but this device has seen version ${mark.position}`);
      if (doc.version === mark.position && doc.hash !== mark.hash) throw new RollbackError(doc.documentId, `version ${doc.version} is not the one this device saw`);
      if (doc.version > mark.position && followChain) {
        const versions = knownVersions ?? (await this.fetchVersions(doc.documentId, doc.version - mark.position + 1));
        let expected = stored.previousVersionHash;
        for (let v = doc.version - 1; v >= mark.position; v -= 1) {
          const older = versions.find((x) => x.version === v);
          const olderHash = older && versionHashOf(this.sodium, this.team.teamId, older);
          if (!older || olderHash !== expected || (v === mark.position && olderHash !== mark.hash)) {
            throw new RollbackError(doc.documentId, `version ${v + 1} does not chain back to the version this device saw`);
          }
          const newer = v + 1 === doc.version ? stored : versions.find((x) => x.version === v + 1);
          if (newer) this.checkSuccession(doc.documentId, older, newer);
          expected = older.previousVersionHash;
        }
      }
    }
    if (!mark || doc.version >= mark.position) await this.team.trust.setMark(key, { position: doc.version, hash: doc.hash });
  }

  private async fetchVersions(documentId: string, atMost = Number.MAX_SAFE_INTEGER): Promise<StoredVersion[]> {
    const all: StoredVersion[] = [];
    let beforeVersion: number | undefined;
    while (all.length < atMost) {
      const query = `limit=${Math.min(100, atMost - all.length)}${beforeVersion ? `&beforeVersion=${beforeVersion}` : ''}`;
      const { documents } = await this.api.get<{ documents: StoredVersion[] }>(`${this.path(documentId)}/versions?${query}`);
      all.push(...documents);
      const oldest = documents[documents.length - 1];
      if (!oldest || oldest.version <= 1) break;
      beforeVersion = oldest.version;
    }
    return all;
  }
}
