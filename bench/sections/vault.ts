/**
 * Item 4: the vault.
 *   Routes: upload (PUT, each a new document with its own signature) and download (GET) of an encrypted
 *   document of --vault-kib KiB plaintext through the real routes (auth, membership, schema validation,
 *   signature and hash-chain checks, current + history copies), against bare Express routes storing and
 *   returning the same JSON body in the same database.
 *   Client crypto: the client library's encryptDocumentVersion / decryptDocumentVersion (pad, AEAD with the
 *   binding as additional data, sign, base64; and back) against raw libsodium on the same plaintext
 *   (XChaCha20-Poly1305 encrypt + Ed25519 sign of the ciphertext; verify + decrypt).
 */
import { Teams, MemoryTrustStore } from '../../src/client';
import { decryptDocumentVersion, encryptDocumentVersion, type EncryptedVersion } from '../../src/client/crypto/vault-documents';
import { signUp } from '../lib/accounts';
import { median, type BenchContext } from '../lib/context';
import { dropCurrentDatabase, useDatabase } from '../lib/database';
import { describeLoad, runInterleaved, runLoad, type LoadResult, type LoadSpec } from '../lib/load';
import { startBaselineServer, startServer } from '../lib/processes';
import { atLeastRatio, format } from '../lib/table';

const SECTION = '4. Vault';
const CONNECTIONS = 4;

export async function benchVault(ctx: BenchContext): Promise<void> {
  const dbName = 'bench_vault';
  await useDatabase(ctx.db.uri, dbName);
  const server = await startServer({ name: 'vault-server', mongodbUri: ctx.db.uri, dbName, serverSecret: ctx.serverSecret, fakeTwilioUrl: ctx.fakeTwilio.url, tickSeconds: ctx.opts.tickSeconds, cpuProf: ctx.opts.cpuProf, env: ctx.opts.serverEnv });
  const baseline = await startBaselineServer(ctx.db.uri, dbName);
  try {
    const { sodium } = ctx;
    const account = await signUp(server.url, 'benchvault');
    const team = await new Teams(account, new MemoryTrustStore()).create('Bench team');
    const key = team.keyFor(team.generation);
    const plaintext = plaintextOf(ctx.opts.vaultKiB * 1024, sodium);
    const binding = (documentId: string) => ({
      teamId: team.teamId, documentId, kind: 'risk-map', version: 1, generation: team.generation, authorAccountId: account.accountId, previousVersionHash: new Uint8Array(32),
      logSeq: team.logHead().seq, logHash: sodium.from_base64(team.logHead().hash),
    });

    // --- client-side crypto vs raw libsodium ---
    const repeats = 20;
    const encryptMs: number[] = [];
    const decryptMs: number[] = [];
    const rawEncryptMs: number[] = [];
    const rawDecryptMs: number[] = [];
    const plainBytes = sodium.from_string(plaintext);
    const signKeys = account.keys.sign;
    let sample: EncryptedVersion | undefined;
    for (let i = 0; i < repeats + 2; i += 1) {
      const documentId = sodium.to_hex(sodium.randombytes_buf(12));
      let t = performance.now();
      const encrypted = encryptDocumentVersion(sodium, binding(documentId), plaintext, key, signKeys.privateKey);
      const e = performance.now() - t;
      t = performance.now();
      const decrypted = decryptDocumentVersion(sodium, team.teamId, encrypted, key, account.publicKeys.signPublicKey);
      const d = performance.now() - t;
      if (decrypted.length !== plaintext.length) throw new Error('the client library did not round-trip the document');

      t = performance.now();
      const nonce = sodium.randombytes_buf(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
      const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plainBytes, null, null, nonce, key);
      const signature = sodium.crypto_sign_detached(ciphertext, signKeys.privateKey);
      const re = performance.now() - t;
      t = performance.now();
      if (!sodium.crypto_sign_verify_detached(signature, ciphertext, signKeys.publicKey)) throw new Error('raw signature did not verify');
      const opened = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, null, nonce, key);
      const rd = performance.now() - t;
      if (opened.length !== plainBytes.length) throw new Error('raw libsodium did not round-trip');
      if (i < 2) continue; // warm-up
      encryptMs.push(e);
      decryptMs.push(d);
      rawEncryptMs.push(re);
      rawDecryptMs.push(rd);
      sample = encrypted;
    }
    const perSecond = (ms: number[]) => 1000 / median(ms);
    ctx.rows.push({ item: 4, what: `client encrypt+sign, ${ctx.opts.vaultKiB} KiB`, value: perSecond(encryptMs), unit: 'docs/s', baseline: { value: perSecond(rawEncryptMs), what: 'raw libsodium AEAD + sign' }, goal: atLeastRatio(0.5) });
    ctx.rows.push({ item: 4, what: `client verify+decrypt, ${ctx.opts.vaultKiB} KiB`, value: perSecond(decryptMs), unit: 'docs/s', baseline: { value: perSecond(rawDecryptMs), what: 'raw libsodium verify + AEAD' }, goal: atLeastRatio(0.5) });
    const ciphertextBytes = sodium.from_base64(sample!.ciphertext).length;
    ctx.detail(SECTION, `Client crypto, median of ${repeats} in the bench process: encrypt+sign ${format(median(encryptMs))} ms (raw ${format(median(rawEncryptMs))} ms), verify+decrypt ${format(median(decryptMs))} ms (raw ${format(median(rawDecryptMs))} ms). The client pads ${plaintext.length.toLocaleString('en-US')} bytes of plaintext to its size bucket (${ciphertextBytes.toLocaleString('en-US')} bytes of ciphertext, so it encrypts and signs ${(ciphertextBytes / plaintext.length).toFixed(2)}× the raw baseline's bytes), binds the version's additional data, and base64-encodes the result; raw libsodium encrypts and signs the unpadded plaintext.`);

    // --- upload ---
    const uploads = ctx.opts.vaultUploads;
    const bodies = Array.from({ length: uploads + 2 * CONNECTIONS }, () => {
      const documentId = sodium.to_hex(sodium.randombytes_buf(12));
      const v = encryptDocumentVersion(sodium, binding(documentId), plaintext, key, signKeys.privateKey);
      return { documentId, json: JSON.stringify({ kind: v.kind, baseVersion: 0, generation: v.generation, previousVersionHash: v.previousVersionHash, logSeq: v.logSeq, logHash: v.logHash, nonce: v.nonce, ciphertext: v.ciphertext, signature: v.signature }) };
    });
    const bodyBytes = Buffer.byteLength(bodies[0]!.json);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${account.token}` };
    const combine = (runs: LoadResult[]): LoadResult => {
      const ok = runs.reduce((s, r) => s + r.ok, 0);
      const seconds = runs.reduce((s, r) => s + r.seconds, 0);
      const statusCodes: Record<string, number> = {};
      for (const r of runs) for (const [c, n] of Object.entries(r.statusCodes)) statusCodes[c] = (statusCodes[c] ?? 0) + n;
      return { ...runs[0]!, ok, seconds, throughput: ok / seconds, p50: Math.max(...runs.map((r) => r.p50)), p99: Math.max(...runs.map((r) => r.p99)), max: Math.max(...runs.map((r) => r.max)), statusCodes, non2xx: runs.reduce((s, r) => s + r.non2xx, 0), errors: runs.reduce((s, r) => s + r.errors, 0) };
    };
    const realPath = (id: string) => `/v1/teams/${team.teamId}/documents/${id}`;
    const basePath = (id: string) => `/baseline/blobs/${id}`;
    // Real and baseline uploads take turns (half the uploads each turn); each real upload is a new document.
    const realIds: string[] = [];
    const cursors = { real: 0, base: 0 };
    const uploadSpec = (who: 'real' | 'base', amount: number): LoadSpec => ({
      urls: [who === 'real' ? server.url : baseline.url], connections: CONNECTIONS, amount,
      next: () => {
        const body = bodies[cursors[who]++ % bodies.length]!;
        if (who === 'real') realIds.push(body.documentId);
        return { method: 'PUT', path: who === 'real' ? realPath(body.documentId) : basePath(body.documentId), headers, body: body.json };
      },
    });
    ctx.log(`vault: ${uploads} uploads of ${(bodyBytes / 1024).toFixed(0)} KiB JSON each, real routes and baseline taking turns`);
    const half = Math.ceil(uploads / 2);
    const realRuns: LoadResult[] = [];
    const baseRuns: LoadResult[] = [];
    for (let round = 0; round < 2; round += 1) {
      realRuns.push(await runLoad(uploadSpec('real', half)));
      baseRuns.push(await runLoad(uploadSpec('base', half)));
    }
    const real = combine(realRuns);
    const base = combine(baseRuns);
    ctx.log(`vault: upload real ${describeLoad(real)}`);
    ctx.log(`vault: upload baseline ${describeLoad(base)}`);
    if (real.ok !== 2 * half) throw new Error(`only ${real.ok} of ${2 * half} uploads succeeded: ${describeLoad(real)}`);

    // --- download ---
    const stored = [...new Set(realIds)];
    const downloadSpec = (url: string, pathFor: (id: string) => string): LoadSpec => ({
      urls: [url], connections: CONNECTIONS,
      requestsFor: (c) => stored.map((_, i) => ({ method: 'GET', path: pathFor(stored[(i + c * 7) % stored.length]!), headers: { authorization: headers.authorization } })),
    });
    const downloadSeconds = Math.max(6, ctx.opts.duration);
    const { realGet, baseGet } = await runInterleaved({ realGet: downloadSpec(server.url, realPath), baseGet: downloadSpec(baseline.url, basePath) }, downloadSeconds, 2);
    ctx.log(`vault: download real ${describeLoad(realGet)}`);
    ctx.log(`vault: download baseline ${describeLoad(baseGet)}`);

    ctx.rows.push({ item: 4, what: 'upload throughput (real routes)', value: real.throughput, unit: 'docs/s', baseline: { value: base.throughput, what: 'bare Express, same bytes' }, goal: atLeastRatio(0.5) });
    ctx.rows.push({ item: 4, what: 'upload latency p99', value: real.p99, unit: 'ms', baseline: { value: base.p99, what: 'bare Express' } });
    ctx.rows.push({ item: 4, what: 'download throughput (real routes)', value: realGet.throughput, unit: 'docs/s', baseline: { value: baseGet.throughput, what: 'bare Express, same bytes' }, goal: atLeastRatio(0.5) });
    ctx.rows.push({ item: 4, what: 'download latency p99', value: realGet.p99, unit: 'ms', baseline: { value: baseGet.p99, what: 'bare Express' } });
    ctx.detail(SECTION, [
      `Each upload is a new document (version 1) of ${ctx.opts.vaultKiB} KiB plaintext, i.e. ${ciphertextBytes.toLocaleString('en-US')} bytes of ciphertext and a ${bodyBytes.toLocaleString('en-US')}-byte JSON body; ${uploads} per route in two turns (real, bare, real, bare; latency figures are the worse of the two turns), ${CONNECTIONS} connections. Downloads cycle over those documents for ${Math.max(6, ctx.opts.duration)} s per route, in two turns. The baseline stores and returns the same JSON bodies (one replaceOne / findOne in a collection of the same database); the real route also checks the session, the team membership, the schema, the signature and the hash chain, and writes the version twice (current + history).`,
      '',
      `- upload, real: ${describeLoad(real)}`,
      `- upload, baseline: ${describeLoad(base)}`,
      `- download, real: ${describeLoad(realGet)}`,
      `- download, baseline: ${describeLoad(baseGet)}`,
    ].join('\n'));
  } finally {
    const serverPeak = await server.stop();
    const baselinePeak = await baseline.stop();
    ctx.memory.push({ run: 'vault run (server process)', peakMiB: serverPeak, baseline: { peakMiB: baselinePeak, what: 'bare Express process' } });
    await dropCurrentDatabase();
  }
}

/** A JSON document of exactly `bytes` bytes: incompressible text, as ciphertext-sized as a real risk map would be. */
function plaintextOf(bytes: number, sodium: BenchContext['sodium']): string {
  const filler = sodium.to_base64(sodium.randombytes_buf(bytes)).slice(0, bytes - '{"notes":""}'.length);
  return JSON.stringify({ notes: filler });
}
