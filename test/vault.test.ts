import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import mongoose from 'mongoose';
import request from 'supertest';
import {
  computeRiskSummary, documentPlaintext, DocumentVerificationError, InvalidContentError, MeshworkClient, RollbackError, Teams, MemoryTrustStore,
  type RiskMap, type SecurityPlan,
} from '../src/client';
import { encryptDocumentVersion } from '../src/client/crypto/vault-documents';
import { startTestService, type TestService } from './support/service';
import { countAll, rawDump } from './support/raw-database';
import { rejectsWithCode, signUp, teamOf, type Person } from './support/teams';

const MAX_BYTES = 16384;
const sampleRiskMap = () => JSON.parse(readFileSync('docs/examples/risk-map.json', 'utf8')) as RiskMap;
const samplePlan = () => JSON.parse(readFileSync('docs/examples/security-plan.json', 'utf8')) as SecurityPlan;

describe('The encrypted vault', function () {
  let service: TestService;
  let client: MeshworkClient;
  let alice: Person;
  let bob: Person;
  let carol: Person;
  let outsider: Person;

  before(async function () {
    service = await startTestService({ VAULT_MAX_DOCUMENT_BYTES: MAX_BYTES });
    client = await MeshworkClient.connect({ baseUrl: service.baseUrl });
    [alice, bob, carol, outsider] = (await Promise.all(['alice', 'bob-b', 'carol', 'outsider'].map((h) => signUp(client, h)))) as [Person, Person, Person, Person];
  });
  after(async () => service.close());

  it('round-trips risk maps, security plans and incidents through the client library, and computes the risk summary', async () => {
    const team = await teamOf('Round trip', alice, [bob]);
    const map = await team.vault.create('risk-map', sampleRiskMap());
    const plan = await team.vault.create('security-plan', samplePlan());
    const bobsView = await bob.teams.open(team.teamId);
    const read = await bobsView.vault.get(map.documentId);
    assert.equal(read.kind, 'risk-map');
    assert.equal(read.author.handle, 'alice');
    assert.deepEqual(read.content, map.content);
    assert.deepEqual((await bobsView.vault.get(plan.documentId)).content, plan.content);

    const edited = { ...(read.content as RiskMap), context: 'Updated after the March assembly.' };
    const v2 = await bobsView.vault.update(map.documentId, edited);
    assert.equal(v2.version, 2);
    const history = await team.vault.history(map.documentId);
    assert.deepEqual(history.map((h) => [h.version, h.author.handle]), [[2, 'bob-b'], [1, 'alice']]);

    const summary = computeRiskSummary(v2.content as RiskMap);
    assert.equal(summary.threats.length, sampleRiskMap().threats.length);
    assert.ok(summary.threats.every((t, i, all) => i === 0 || all[i - 1]!.score >= t.score), 'sorted by score, highest first');
    assert.equal(summary.highest, summary.threats[0]!.level);
    assert.ok(summary.opponents.length > 0);

    for (let day = 1; day <= 4; day += 1) {
      service.clock.advance(60_000);
      await team.vault.create('incident', { occurredAt: `2025-02-0${day}T09:00:00Z`, place: 'market', description: `incident number ${day}`, actors: ['unknown men'] });
    }
    const latest = await bobsView.vault.list('incident', { limit: 3 });
    assert.deepEqual(latest.map((d) => (d.content as { description: string }).description), ['incident number 4', 'incident number 3', 'incident number 2']);
  });

  it('restores an older version as the newest one', async () => {
    const team = await teamOf('Restore', alice, []);
    const doc = await team.vault.create('security-plan', samplePlan());
    await team.vault.update(doc.documentId, { ...samplePlan(), title: 'A worse plan' });
    const restored = await team.vault.restore(doc.documentId, 1);
    assert.equal(restored.version, 3);
    assert.equal(((await team.vault.get(doc.documentId)).content as SecurityPlan).title, samplePlan().title);
  });

  it('never stores plaintext: every collection of the raw database is free of the markers the test wrote', async () => {
    const team = await teamOf('Marker-TEAMNAME-V', alice, [bob]);
    const map = sampleRiskMap();
    map.context = 'Marker-CONTEXT-7731 land defenders in the valley';
    map.actors[0]!.name = 'Marker-ACTOR-5521';
    await team.vault.create('risk-map', map);
    await team.vault.create('security-plan', { ...samplePlan(), title: 'Marker-PLAN-0042' });
    await team.vault.create('incident', { occurredAt: '2025-01-01T00:00:00Z', description: 'Marker-INCIDENT-9911', place: 'Marker-PLACE-1200' });
    await team.remove('bob-b'); // re-encrypts everything under a new key too
    const dump = await rawDump();
    for (const marker of ['Marker-TEAMNAME', 'Marker-CONTEXT', 'Marker-ACTOR', 'Marker-PLAN', 'Marker-INCIDENT', 'Marker-PLACE', 'land defenders']) {
      assert.ok(!dump.includes(marker), `the database contains ${marker}`);
    }
    // And no team key in any form the server could read: keys appear only sealed or encrypted.
    for (const generation of [1, 2]) {
      const key = team.keyFor(generation);
      assert.ok(!dump.includes(client.sodium.to_base64(key)) && !dump.includes(Buffer.from(key).toString('hex')) && !dump.includes(Buffer.from(key).toString('base64')));
    }
  });

  it('pads plaintext to size buckets, so similar documents are the same size on the server', async () => {
    const team = await teamOf('Padding', alice, []);
    const short = await team.vault.create('incident', { occurredAt: '2025-01-01T00:00:00Z', description: 'x' });
    const longer = await team.vault.create('incident', { occurredAt: '2025-01-01T00:00:00Z', description: 'x'.repeat(500), place: 'somewhere far' });
    assert.equal(short.size, longer.size);
    assert.equal(short.size, 1024 + 16);
  });

  it('validates content before encrypting and sends nothing when it is invalid', async () => {
    const team = await teamOf('Validation', alice, []);
    const before = await countAll();
    const bad = sampleRiskMap();
    bad.threats[0]!.likelihood = 7;
    bad.threats[0]!.actorIds = ['nobody'];
    await assert.rejects(team.vault.create('risk-map', bad), (error: unknown) => error instanceof InvalidContentError && /likelihood/.test(error.message) && /nobody/.test(error.message));
    await assert.rejects(team.vault.create('security-plan', { ...samplePlan(), surprise: true }), InvalidContentError);
    assert.deepEqual(await countAll(), before);
  });

  it('answers 404 to non-members, invitees and removed members on every team route, for every id', async () => {
    const team = await teamOf('Secret team', alice, [bob]);
    const doc = await team.vault.create('risk-map', sampleRiskMap());
    await team.invite('carol');
    const other = await teamOf('Other team', outsider, []);
    const othersDoc = await other.vault.create('incident', { occurredAt: '2025-01-01T00:00:00Z', description: 'theirs' });
    await team.remove('bob-b');

    const putBody = { kind: 'incident', baseVersion: 0, generation: 1, previousVersionHash: 'A'.repeat(43), logSeq: 1, logHash: 'A'.repeat(43), nonce: 'A'.repeat(32), ciphertext: 'AAAA', signature: 'A'.repeat(86) };
    const logBody = { entry: { seq: 9, prevHash: 'A'.repeat(43), kind: 'leave', payload: {}, authorAccountId: outsider.account.accountId, signature: 'A'.repeat(86) } };
    const routes = (t: string, d: string) => [
      ['get', `/v1/teams/${t}`],
      ['get', `/v1/teams/${t}/log`],
      ['post', `/v1/teams/${t}/log`, logBody],
      ['get', `/v1/teams/${t}/documents`],
      ['get', `/v1/teams/${t}/documents?kind=incident`],
      ['get', `/v1/teams/${t}/documents/${d}`],
      ['put', `/v1/teams/${t}/documents/${d}`, putBody],
      ['get', `/v1/teams/${t}/documents/${d}/versions`],
      ['get', `/v1/teams/${t}/documents/${d}/versions/1`],
      ['post', `/v1/invitations/${t}/accept`, { signature: 'A'.repeat(86) }],
    ] as const;
    const ids: [string, string, string][] = [
      ['the team and its document', team.teamId, doc.documentId],
      ["the team and another team's document", team.teamId, othersDoc.documentId],
      ['a team that does not exist', '0123456789abcdef01234567', doc.documentId],
      ['malformed ids', 'not-an-id', 'zz..etc%2F..'],
      ['upper-case hex', team.teamId.toUpperCase(), doc.documentId.toUpperCase()],
    ];
    const before = await countAll();
    for (const [who, person] of [['an outsider', outsider], ['an invitee', carol], ['a removed member', bob]] as const) {
      for (const [idsName, t, d] of ids) {
        for (const [method, path, body] of routes(t, d)) {
          // The invitee may accept their own invitation; that is the one route that is theirs.
          if (person === carol && path.endsWith('/accept') && t === team.teamId) continue;
          const req = request(service.app)[method](path).set('authorization', `Bearer ${person.account.token}`);
          const res = body ? await req.send(body) : await req;
          assert.equal(res.status, 404, `${who}, ${idsName}: ${method.toUpperCase()} ${path} answered ${res.status} ${JSON.stringify(res.body)}`);
          assert.deepEqual(res.body, { error: { code: 'not_found', message: 'Not found.' } }, `${who}, ${idsName}: ${method} ${path}`);
        }
      }
    }
    // A member of the other team cannot reach this team's document through their own team either.
    const res = await request(service.app).get(`/v1/teams/${other.teamId}/documents/${doc.documentId}`).set('authorization', `Bearer ${outsider.account.token}`);
    assert.equal(res.status, 404);
    assert.deepEqual(await countAll(), before);
  });

  it('keeps a removed member out of everything written after the removal, even with the raw ciphertext', async () => {
    const team = await teamOf('Removal', alice, [bob, carol]);
    const plan = await team.vault.create('security-plan', samplePlan());
    const bobsView = await bob.teams.open(team.teamId);
    await bobsView.vault.get(plan.documentId);
    const reencrypted = await team.remove('bob-b');
    assert.equal(reencrypted, 1);
    assert.equal(team.generation, 2);
    await team.vault.update(plan.documentId, { ...samplePlan(), title: 'Written after bob left' });

    await rejectsWithCode(bobsView.refresh(), 404, 'not_found');
    await rejectsWithCode(bobsView.vault.get(plan.documentId), 404, 'not_found');
    await rejectsWithCode(bob.teams.open(team.teamId), 404, 'not_found');
    assert.equal((await bob.teams.list()).some((t) => t.teamId === team.teamId), false);
    // Even handed the stored ciphertext, bob's keys (generation 1) do not open generation 3's version.
    const stored = await mongoose.connection.db!.collection('vaultdocuments').findOne({ teamId: team.teamId, documentId: plan.documentId });
    assert.equal(stored!.generation, 2);
    assert.throws(() => bobsView.keyFor(2));
    // Carol, who stayed, reads it; and so does dan, who joins later, including the history from before.
    const carolsView = await carol.teams.open(team.teamId);
    assert.equal(((await carolsView.vault.get(plan.documentId)).content as SecurityPlan).title, 'Written after bob left');
    const dan = await signUp(client, 'dan-joins-later');
    await team.invite('dan-joins-later');
    await dan.teams.accept(team.teamId);
    await team.admit('dan-joins-later');
    const dansHistory = await (await dan.teams.open(team.teamId)).vault.history(plan.documentId);
    assert.deepEqual(dansHistory.map((d) => [d.version, d.generation]), [[3, 2], [2, 2], [1, 1]]);
  });

  it('detects tampering with the ciphertext, the additional data or the signature, and two swapped ciphertexts', async () => {
    const team = await teamOf('Tamper', alice, [bob]);
    const a = await team.vault.create('incident', { occurredAt: '2025-01-01T00:00:00Z', description: 'first' });
    const b = await team.vault.create('incident', { occurredAt: '2025-01-02T00:00:00Z', description: 'second' });
    const docs = mongoose.connection.db!.collection('vaultdocuments');
    const original = (await docs.findOne({ teamId: team.teamId, documentId: a.documentId }))!;
    const other = (await docs.findOne({ teamId: team.teamId, documentId: b.documentId }))!;
    const flip = (s: string) => (s[10] === 'A' ? `${s.slice(0, 10)}B${s.slice(11)}` : `${s.slice(0, 10)}A${s.slice(11)}`);
    const tampers: [string, Record<string, unknown>][] = [
      ['ciphertext', { ciphertext: flip(original.ciphertext) }],
      ['nonce', { nonce: flip(original.nonce) }],
      ['signature', { signature: flip(original.signature) }],
      ['additional data: generation', { generation: 2 }],
      ['additional data: author', { authorAccountId: bob.account.accountId }],
      ['additional data: kind', { kind: 'risk-map' }],
      ['swapped with another document', { nonce: other.nonce, ciphertext: other.ciphertext, signature: other.signature }],
    ];
    const bobsView = await bob.teams.open(team.teamId);
    for (const [what, change] of tampers) {
      await docs.updateOne({ _id: original._id }, { $set: change });
      await assert.rejects(
        new Teams(bob.account, new MemoryTrustStore()).open(team.teamId).then((t) => t.vault.get(a.documentId)),
        (error: unknown) => error instanceof DocumentVerificationError || (what.includes('generation') && /generation 2/.test(String(error))),
        what,
      );
      await docs.replaceOne({ _id: original._id }, original);
    }
    assert.equal(((await bobsView.vault.get(a.documentId)).content as { description: string }).description, 'first');
  });

  it('detects a rolled-back version, and a different history at a version already seen', async () => {
    const team = await teamOf('Rollback', alice, [bob]);
    const doc = await team.vault.create('risk-map', sampleRiskMap());
    const bobsView = await bob.teams.open(team.teamId);
    await bobsView.vault.get(doc.documentId);
    await team.vault.update(doc.documentId, { ...sampleRiskMap(), context: 'version two' });
    assert.equal((await bobsView.vault.get(doc.documentId)).version, 2);

    const docs = mongoose.connection.db!.collection('vaultdocuments');
    const versions = mongoose.connection.db!.collection('vaultdocumentversions');
    const current = (await docs.findOne({ teamId: team.teamId, documentId: doc.documentId }))!;
    const v1 = (await versions.findOne({ teamId: team.teamId, documentId: doc.documentId, version: 1 }))!;
    const { _id: _v1Id, ...v1Fields } = v1;
    await docs.updateOne({ _id: current._id }, { $set: v1Fields });
    await assert.rejects(bobsView.vault.get(doc.documentId), (error: unknown) => error instanceof RollbackError && /seen version 2/.test(error.message));
    await docs.replaceOne({ _id: current._id }, current);

    // The server drops version 2 from the history and serves a version 3 forged... by a real member, chained to version 1.
    const forked = encryptDocumentVersion(client.sodium, {
      teamId: team.teamId, documentId: doc.documentId, kind: 'risk-map', version: 2, generation: 1, authorAccountId: alice.account.accountId,
      previousVersionHash: client.sodium.from_base64(current.previousVersionHash), logSeq: current.logSeq, logHash: client.sodium.from_base64(current.logHash),
    }, documentPlaintext({ ...sampleRiskMap(), context: 'a different version two' }, new Date().toISOString()), team.keyFor(1), alice.account.keys.sign.privateKey);
    await docs.updateOne({ _id: current._id }, { $set: { nonce: forked.nonce, ciphertext: forked.ciphertext, signature: forked.signature } });
    await assert.rejects(bobsView.vault.get(doc.documentId), (error: unknown) => error instanceof RollbackError && /not the one this device saw/.test(error.message));
    await docs.replaceOne({ _id: current._id }, current);
    assert.equal((await bobsView.vault.get(doc.documentId)).version, 2);
  });

  it('lets exactly one of several concurrent writers win; the others get 409 and nothing changes for them', async () => {
    const team = await teamOf('Concurrency', alice, [bob]);
    const doc = await team.vault.create('security-plan', samplePlan());
    const bobsView = await bob.teams.open(team.teamId);
    const writers = [team, bobsView, team, bobsView, team, bobsView];
    const results = await Promise.allSettled(writers.map((t, i) => t.vault.update(doc.documentId, { ...samplePlan(), title: `writer ${i}` }, { baseVersion: 1 })));
    const won = results.filter((r) => r.status === 'fulfilled');
    assert.equal(won.length, 1);
    for (const r of results) {
      if (r.status === 'rejected') assert.equal((r.reason as { code?: string }).code, 'version_conflict');
    }
    const history = await team.vault.history(doc.documentId);
    assert.deepEqual(history.map((h) => h.version), [2, 1]);
    assert.equal(await mongoose.connection.db!.collection('vaultdocumentversions').countDocuments({ teamId: team.teamId, documentId: doc.documentId }), 2);
  });

  it('refuses writes under an old key generation once a new one exists', async () => {
    const team = await teamOf('Old generation', alice, [bob, carol]);
    const doc = await team.vault.create('incident', { occurredAt: '2025-01-01T00:00:00Z', description: 'before' });
    const carolsStaleView = await carol.teams.open(team.teamId);
    await team.remove('bob-b');
    const current = await team.vault.get(doc.documentId);
    // Carol's client still believes generation 1 is current and signs a perfectly valid version under it.
    const stale = encryptDocumentVersion(client.sodium, {
      teamId: team.teamId, documentId: doc.documentId, kind: 'incident', version: current.version + 1, generation: 1, authorAccountId: carol.account.accountId,
      previousVersionHash: client.sodium.from_base64(current.hash), logSeq: carolsStaleView.logHead().seq, logHash: client.sodium.from_base64(carolsStaleView.logHead().hash),
    }, documentPlaintext({ occurredAt: '2025-01-01T00:00:00Z', description: 'stale' }, new Date().toISOString()), carolsStaleView.keyFor(1), carol.account.keys.sign.privateKey);
    const res = await request(service.app).put(`/v1/teams/${team.teamId}/documents/${doc.documentId}`).set('authorization', `Bearer ${carol.account.token}`)
      .send({ kind: 'incident', baseVersion: current.version, generation: 1, previousVersionHash: stale.previousVersionHash, logSeq: stale.logSeq, logHash: stale.logHash, nonce: stale.nonce, ciphertext: stale.ciphertext, signature: stale.signature });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'stale_key_generation');
    // The library refreshes and writes under the new generation on its own.
    const written = await carolsStaleView.vault.update(doc.documentId, { occurredAt: '2025-01-01T00:00:00Z', description: 'after' });
    assert.equal(written.generation, 2);
  });

  it('refuses bad document writes with a 4xx and a stable code, and changes nothing', async () => {
    const team = await teamOf('Bad input', alice, []);
    const doc = await team.vault.create('incident', { occurredAt: '2025-01-01T00:00:00Z', description: 'exists' });
    const current = await team.vault.get(doc.documentId);
    const next = (overrides: Partial<{ kind: string; version: number; generation: number; previous: Uint8Array; author: string; size: number; logSeq: number; logHash: Uint8Array }> = {}) => {
      const e = encryptDocumentVersion(client.sodium, {
        teamId: team.teamId, documentId: doc.documentId, kind: overrides.kind ?? 'incident', version: overrides.version ?? 2, generation: overrides.generation ?? 1,
        authorAccountId: overrides.author ?? alice.account.accountId, previousVersionHash: overrides.previous ?? client.sodium.from_base64(current.hash),
        logSeq: overrides.logSeq ?? team.logHead().seq, logHash: overrides.logHash ?? client.sodium.from_base64(team.logHead().hash),
      }, documentPlaintext({ occurredAt: '2025-01-01T00:00:00Z', description: 'y'.repeat(overrides.size ?? 10) }, new Date().toISOString()), team.keyFor(1), alice.account.keys.sign.privateKey);
      return { kind: e.kind, baseVersion: e.version - 1, generation: e.generation, previousVersionHash: e.previousVersionHash, logSeq: e.logSeq, logHash: e.logHash, nonce: e.nonce, ciphertext: e.ciphertext, signature: e.signature };
    };
    const valid = next();
    const cases: [string, unknown, number, string][] = [
      ['unknown field', { ...valid, title: 'in clear' }, 400, 'validation_failed'],
      ['wrong type', { ...valid, baseVersion: '1' }, 400, 'validation_failed'],
      ['unknown kind', { ...valid, kind: 'diary' }, 400, 'validation_failed'],
      ['missing signature', { ...valid, signature: undefined }, 400, 'validation_failed'],
      ['not base64url', { ...valid, ciphertext: 'a+b/c=' }, 400, 'validation_failed'],
      ['negative version', { ...valid, baseVersion: -1 }, 400, 'validation_failed'],
      ['forged signature', { ...valid, signature: next({ size: 11 }).signature }, 400, 'invalid_signature'],
      ['signed for another author', next({ author: outsider.account.accountId }), 400, 'invalid_signature'],
      ['stale base version', { ...valid, baseVersion: 0 }, 409, 'broken_version_chain'],
      ['a future base version', { ...valid, baseVersion: 5 }, 409, 'version_conflict'],
      ['wrong previous hash', next({ previous: new Uint8Array(32).fill(7) }), 409, 'broken_version_chain'],
      ['another kind', next({ kind: 'risk-map' }), 400, 'kind_mismatch'],
      ['a generation that does not exist yet', next({ generation: 2 }), 409, 'stale_key_generation'],
      ['a log head that does not exist yet', next({ logSeq: 2 }), 409, 'stale_log_head'],
      ['a different log head at the current seq', next({ logHash: new Uint8Array(32).fill(9) }), 409, 'stale_log_head'],
      ['a log head that is not an integer', { ...valid, logSeq: 1.5 }, 400, 'validation_failed'],
      ['a log hash of the wrong length', { ...valid, logHash: 'AAAA' }, 400, 'validation_failed'],
      ['over the document size limit', next({ size: MAX_BYTES }), 413, 'payload_too_large'],
      ['a body far over the limit', { ...valid, ciphertext: 'A'.repeat(MAX_BYTES * 2) }, 413, 'payload_too_large'],
    ];
    const before = await countAll();
    const raw = await mongoose.connection.db!.collection('vaultdocuments').findOne({ teamId: team.teamId });
    for (const [name, body, status, code] of cases) {
      const res = await request(service.app).put(`/v1/teams/${team.teamId}/documents/${doc.documentId}`).set('authorization', `Bearer ${alice.account.token}`).send(body as object);
      assert.equal(res.status, status, `${name}: ${JSON.stringify(res.body).slice(0, 300)}`);
      assert.equal(res.body.error.code, code, name);
    }
    assert.deepEqual(await countAll(), before);
    assert.deepEqual(await mongoose.connection.db!.collection('vaultdocuments').findOne({ teamId: team.teamId }), raw);
    assert.equal((await team.vault.get(doc.documentId)).version, 1);
  });
});
