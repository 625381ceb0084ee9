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
  size: number;
  writtenAt: string;
  createdAt?: string;
}

const ZERO_HASH = new Uint8Array(32);

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
    await this.catchUpWith([stored]);
    const doc = this.verify(stored);
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
    await this.catchUpWith(versions);
    const docs = versions.map((v) => this.verify(v));
    docs.forEach((doc, i) => {
      const older = versions[i + 1];
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
      await this.checkAgainstMark(doc, stored, undefined, false);
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
        before = page[page.length - 1]!.createdAt;
      }
    }
    return count;
  }

  private async write<K extends DocumentKind>(documentId: string, kind: K, content: unknown, previous: DecryptedDocument | null, rotateIfNeeded = true): Promise<DecryptedDocument<K>> {
    if (rotateIfNeeded && this.team.state.needsRotation && this.team.myRole === 'coordinator') {
      // Someone left since the last key generation: nothing new goes out under a key they hold.
      await this.team.rotateKey();
    }
    const valid = parseContent(kind, content);
    const json = JSON.stringify(valid);
    try {
      return await this.encryptAndPut(documentId, kind, valid, json, previous);
    } catch (error) {
      if (!(error instanceof MeshworkApiError && error.code === 'stale_key_generation')) throw error;
      await this.team.refresh();
      return this.encryptAndPut(documentId, kind, valid, json, previous);
    }
  }

  private async encryptAndPut<K extends DocumentKind>(documentId: string, kind: K, content: ContentByKind[K], json: string, previous: DecryptedDocument | null): Promise<DecryptedDocument<K>> {
    const { sodium, team } = this;
    const generation = team.generation;
    const version = (previous?.version ?? 0) + 1;
    const encrypted = encryptDocumentVersion(
      sodium,
      { teamId: team.teamId, documentId, kind, version, generation, authorAccountId: team.account.accountId, previousVersionHash: previous ? sodium.from_base64(previous.hash) : ZERO_HASH },
      json,
      team.keyFor(generation),
      team.account.keys.sign.privateKey,
    );
    const reply = await this.api.put<{ version: number; writtenAt: string }>(this.path(documentId), {
      kind, baseVersion: version - 1, generation, previousVersionHash: encrypted.previousVersionHash, nonce: encrypted.nonce, ciphertext: encrypted.ciphertext, signature: encrypted.signature,
    });
    const hash = versionHashOf(sodium, team.teamId, encrypted);
    // size: the ciphertext's byte length, read off its unpadded base64url (4 characters per 3 bytes) without decoding it again.
    await team.trust.setMark(this.markKey(documentId), { position: version, hash });
    return {
      documentId, kind, version, generation, author: { accountId: team.account.accountId, handle: team.account.handle }, content, hash,
      size: Math.floor((encrypted.ciphertext.length * 3) / 4), writtenAt: reply.writtenAt, createdAt: previous?.createdAt ?? reply.writtenAt,
    };
  }

  /** A version under a generation newer than this view knows: the team rotated since it was opened, so replay the log again. */
  private async catchUpWith(versions: StoredVersion[]): Promise<void> {
    if (versions.some((v) => v.generation > this.team.generation)) await this.team.refresh();
  }

  private verify(stored: StoredVersion): DecryptedDocument {
    const { sodium, team } = this;
    if (!(DOCUMENT_KINDS as string[]).includes(stored.kind)) throw new DocumentVerificationError(stored.documentId, `unknown kind ${stored.kind}`);
    const author = team.authorFor(stored.authorAccountId, stored.generation);
    if (!author) throw new DocumentVerificationError(stored.documentId, 'its author was not a member of the team under that key generation');
    const { json, hash } = openDocumentVersion(sodium, team.teamId, stored, team.keyFor(stored.generation), author.signPublicKey);
    let content: unknown;
    try {
      content = parseContent(stored.kind as DocumentKind, JSON.parse(json));
    } catch {
      throw new DocumentVerificationError(stored.documentId, `its content is not a valid ${stored.kind}`);
    }
    return {
      documentId: stored.documentId, kind: stored.kind as DocumentKind, version: stored.version, generation: stored.generation,
      author: { accountId: author.accountId, handle: author.handle }, content: content as ContentByKind[DocumentKind],
      hash, size: stored.size, writtenAt: stored.writtenAt, createdAt: stored.createdAt,
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
