import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DocumentVerificationError, documentPlaintext, MeshworkClient, MemoryTrustStore, RollbackError, TeamLogVerificationError, Teams } from '../src/client';
import { generateAccountKeys, type AccountKeyPairs } from '../src/client/crypto/account-keys';
import { encryptTeamName, newTeamKey, sealTeamKeyFor, teamKeyCheck } from '../src/client/crypto/team-keys';
import { encryptDocumentVersion, versionHashOf } from '../src/client/crypto/vault-documents';
import { teamAcceptanceMessage, teamLogEntryBytes } from '../src/shared/protocol';
import { GENESIS_PREV_HASH, teamLogEntryHash } from '../src/shared/team-log-rules';
import type { FetchLike } from '../src/client/http';
import { CurrentDocumentModel, DocumentVersionModel } from '../src/vault/document.model';
import { flushToHistory } from '../src/vault/document-store';
import { startTestService, type TestService } from './support/service';
import { rejectsWithCode, signUp, teamOf, type Person } from './support/teams';
import type { PutDocumentInput } from '../src/vault/document.schemas';

/**
 * The real server behind a fetch wrapper that plays a malicious one, per person: it can answer any request itself,
 * rewrite the real answer, or store what it likes straight in the database (the real models) without any check.
 */
type Reply = { status: number; body: unknown };
type Hook = (method: string, path: string, body: unknown, real: () => Promise<Reply>) => Promise<Reply | undefined>;

class MaliciousServer {
  hooks: Hook[] = [];
  constructor(private readonly baseUrl: string) {}

  readonly fetch: FetchLike = async (input, init) => {
    const method = init?.method ?? 'GET';
    const path = input.slice(this.baseUrl.length);
    const body = init?.body === undefined ? undefined : (JSON.parse(init.body) as unknown);
    const real = async (): Promise<Reply> => {
      const response = await globalThis.fetch(input, init);
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    };
    let reply: Reply | undefined;
    for (const hook of this.hooks) {
      reply = await hook(method, path, body, real);
      if (reply) break;
    }
    reply ??= await real();
    const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
    return { status: reply.status, ok: reply.status < 400, text: async () => text, headers: { get: (name: string) => (name.toLowerCase() === 'content-type' ? 'application/json' : null) } };
  };
}

// The write's shape, from the route's own schema (a changed field cannot drift from the test).
type PutBody = PutDocumentInput;

/** What a malicious server does with a write it should refuse: stores it as the current version, unchecked. */
async function storeUnchecked(teamId: string, documentId: string, authorAccountId: string, body: PutBody): Promise<Reply> {
  const now = new Date();
  const version = {
    teamId, documentId, kind: body.kind, version: body.baseVersion + 1, generation: body.generation, authorAccountId,
    previousVersionHash: body.previousVersionHash, logSeq: body.logSeq, logHash: body.logHash, nonce: body.nonce, ciphertext: body.ciphertext,
    signature: body.signature, size: Math.floor((body.ciphertext.length * 3) / 4), writtenAt: now,
  };
  const current = await CurrentDocumentModel.findOne({ teamId, documentId }).lean();
  if (current) await CurrentDocumentModel.updateOne({ teamId, documentId }, { $set: version });
  else await CurrentDocumentModel.create({ ...version, createdAt: now });
  await flushToHistory(version);
  return { status: 201, body: { documentId, version: version.version, writtenAt: now.toISOString() } };
}

const documentPath = /^\/v1\/teams\/([a-f0-9]{24})\/documents\/([a-f0-9]{24})$/;

describe('The vault against a malicious server (a fetch wrapper over the real server)', function () {
  let service: TestService;
  let client: MeshworkClient;
  let alice: Person;
  let mallory: Person;

  before(async function () {
    service = await startTestService();
    client = await MeshworkClient.connect({ baseUrl: service.baseUrl });
    [alice, mallory] = (await Promise.all(['alice', 'mallory'].map((h) => signUp(client, h)))) as [Person, Person];
  });
  after(async () => service.close());

  /** Signs up someone whose every request goes through their own malicious server. */
  async function victim(handle: string): Promise<Person & { server: MaliciousServer }> {
    const server = new MaliciousServer(service.baseUrl);
    const own = await MeshworkClient.connect({ baseUrl: service.baseUrl, fetch: server.fetch });
    return { ...(await signUp(own, handle)), server };
  }

  /** Shows this person the team's log (and team view) as it stood at seq, and stores their writes unchecked. */
  function freezeLogAt(person: Person & { server: MaliciousServer }, teamId: string, seq: number, view: unknown) {
    person.server.hooks.push(async (method, path, body, real) => {
      if (method === 'GET' && path === `/v1/teams/${teamId}`) return { status: 200, body: view };
      if (method === 'GET' && path.startsWith(`/v1/teams/${teamId}/log`)) {
        const reply = await real();
        const entries = (reply.body as { entries: { seq: number }[] }).entries.filter((e) => e.seq <= seq);
        return { status: 200, body: { entries } };
      }
      const match = method === 'PUT' ? documentPath.exec(path) : null;
      if (match) return storeUnchecked(match[1]!, match[2]!, person.account.accountId, body as PutBody);
      return undefined;
    });
  }

  it('shows the members a document written by someone shown a log frozen before a removal as readable by the removed member', async () => {
    const bob = await victim('bob-frozen');
    const team = await teamOf('Frozen log', alice, [bob, mallory]);
    const frozenView = await alice.account.api.get(`/v1/teams/${team.teamId}`);
    const frozenSeq = team.logHead().seq;
    await team.remove('mallory');
    freezeLogAt(bob, team.teamId, frozenSeq, frozenView);

    // Bob's device verifies the cut-back log (it never saw the removal) and writes at its head, under generation 1.
    const bobsView = await bob.teams.open(team.teamId);
    assert.equal(bobsView.generation, 1);
    assert.deepEqual(bobsView.logHead(), { ...bobsView.logHead(), seq: frozenSeq });
    assert.notEqual(bobsView.logHead().short, team.logHead().short, 'the heads shown beside the safety number differ');
    const incident = await bobsView.vault.create('incident', { occurredAt: '2025-05-01T10:00:00Z', description: 'written on a frozen log' });
    assert.equal(incident.generation, 1);

    // Alice's device, which saw the removal, flags who else can read it.
    const [listed] = (await team.vault.list('incident')).filter((d) => d.documentId === incident.documentId);
    assert.ok(listed, 'the incident is listed');
    assert.equal(listed.logSeq, frozenSeq);
    assert.deepEqual(listed.readableByFormerMembers, ['mallory']);
    assert.deepEqual((await team.vault.get(incident.documentId)).readableByFormerMembers, ['mallory']);
    // A document written on the true log is readable by no former member.
    const honest = await team.vault.create('incident', { occurredAt: '2025-05-01T11:00:00Z', description: 'written on the real log' });
    assert.deepEqual((await team.vault.get(honest.documentId)).readableByFormerMembers, []);
  });

  it('counts as holders of an old key the members who joined later (they get it through the chain) and were removed since', async () => {
    const bob = await signUp(client, 'bob-holder');
    const dave = await signUp(client, 'dave-holder');
    const team = await teamOf('Holders', alice, [bob]);
    await team.remove('bob-holder'); // generation 2
    await team.invite('dave-holder');
    await dave.teams.accept(team.teamId);
    await team.admit('dave-holder');
    assert.ok((await dave.teams.open(team.teamId)).keyFor(1), 'dave holds generation 1 through the chain of previous keys');
    await team.remove('dave-holder'); // generation 3
    assert.deepEqual(team.formerHoldersOf(1).sort(), ['bob-holder', 'dave-holder']);
    assert.deepEqual(team.formerHoldersOf(2), ['dave-holder']);
    assert.deepEqual(team.formerHoldersOf(3), []);
  });

  it('refuses, on the device of everyone it names, a team the server invented "created by" a real handle and added them to without their signed acceptance', async () => {
    const bea = await victim('bea-forged');
    const cai = await victim('cai-forged');
    await signUp(client, 'amaru-real');
    const sodium = client.sodium;
    const fake: AccountKeyPairs = generateAccountKeys(sodium);
    const [fakeBox, fakeSign] = [sodium.to_base64(fake.box.publicKey), sodium.to_base64(fake.sign.publicKey)];
    const fakeId = 'f'.repeat(24);
    /** The server makes a team "created by" amaru-real with keys of its own, invites the person and adds her. */
    const invent = (teamId: string, person: Person & { server: MaliciousServer }, acceptance: 'none' | 'signed by the server') => {
      const key = newTeamKey(sodium);
      const entries: Record<string, unknown>[] = [];
      let prevHash = sodium.to_base64(GENESIS_PREV_HASH);
      const append = (kind: string, payload: unknown) => {
        const unsigned = { seq: entries.length + 1, prevHash, kind, authorAccountId: fakeId, payload };
        const signature = sodium.to_base64(sodium.crypto_sign_detached(teamLogEntryBytes({ ...unsigned, teamId, prevHash: sodium.from_base64(prevHash) }), fake.sign.privateKey));
        entries.push({ ...unsigned, signature });
        prevHash = sodium.to_base64(teamLogEntryHash(sodium, teamId, unsigned as never));
        return sodium.from_base64(prevHash);
      };
      append('create', { handle: 'amaru-real', boxPublicKey: fakeBox, signPublicKey: fakeSign, generation: 1, keyCheck: teamKeyCheck(sodium, teamId, 1, key), envelopes: [{ accountId: fakeId, sealed: sealTeamKeyFor(sodium, teamId, 1, key, fakeBox) }] });
      const { accountId, handle, publicKeys } = person.account;
      const inviteHash = append('invite', { accountId, handle, boxPublicKey: publicKeys.boxPublicKey, signPublicKey: publicKeys.signPublicKey });
      const add = { accountId, generation: 1, envelopes: [{ accountId, sealed: sealTeamKeyFor(sodium, teamId, 1, key, publicKeys.boxPublicKey) }] };
      // Without the person's private key the best the server can do is leave the acceptance out, or sign one itself.
      if (acceptance === 'none') append('add', add);
      else append('add', { ...add, acceptance: sodium.to_base64(sodium.crypto_sign_detached(teamAcceptanceMessage(teamId, 2, inviteHash), fake.sign.privateKey)) });
      const view = { teamId, headSeq: entries.length, generation: 1, sealedName: encryptTeamName(sodium, teamId, 1, 'Valley collective', key) };
      person.server.hooks.push(async (method, path) => {
        if (method === 'GET' && path === '/v1/teams') return { status: 200, body: { teams: [view] } };
        if (method === 'GET' && path === `/v1/teams/${teamId}`) return { status: 200, body: view };
        if (method === 'GET' && path.startsWith(`/v1/teams/${teamId}/log`)) return { status: 200, body: { entries } };
        return undefined;
      });
    };
    invent('e'.repeat(24), bea, 'none');
    invent('d'.repeat(24), cai, 'signed by the server');

    for (const [person, teamId, why] of [[bea, 'e'.repeat(24), /malformed/], [cai, 'd'.repeat(24), /acceptance signed by the invitee/]] as const) {
      const refused = (error: unknown) => error instanceof TeamLogVerificationError && /entry 3\b/.test(error.message) && why.test(error.message);
      await assert.rejects(person.teams.open(teamId), refused, `${person.account.handle} refuses the invented team`);
      await assert.rejects(person.teams.list(), refused, `${person.account.handle}'s team list does not show it as hers`);
    }

    // A real team whose invitation Bea accepted (after comparing the safety number shown beside it) verifies, and its
    // coordinator is not marked as uncompared.
    const real = await teamOf('Real team', alice, [bea]);
    assert.deepEqual(await (await bea.teams.open(real.teamId)).uncomparedCoordinators(), []);
    assert.deepEqual(await real.uncomparedCoordinators(), [], 'alice is the only coordinator');
  });

  it('refuses a document written at a head the reader does not have, even after reading the log again', async () => {
    const bob = await victim('bob-ahead');
    const carol = await victim('carol-ahead');
    const team = await teamOf('Head ahead', alice, [bob, carol]);
    const seq = team.logHead().seq;
    const carolsView = await carol.teams.open(team.teamId);
    const written = await carolsView.vault.create('incident', { occurredAt: '2025-05-02T10:00:00Z', description: 'at the real head' });
    // The server shows Bob the log without its last entry: carol's document names an entry his log lacks.
    freezeLogAt(bob, team.teamId, seq - 1, await alice.account.api.get(`/v1/teams/${team.teamId}`));
    const bobsView = await bob.teams.open(team.teamId);
    await assert.rejects(bobsView.vault.get(written.documentId), (error: unknown) => error instanceof DocumentVerificationError && /does not have yet/.test(error.message));
  });

  it('refuses a document written on a forked log: another entry at the same seq', async () => {
    const bob = await victim('bob-fork');
    const carol = await victim('carol-fork');
    await signUp(client, 'dave-fork');
    const erin = await signUp(client, 'erin-fork');
    const team = await teamOf('Forked log', alice, [bob, carol]);
    await team.setRole('carol-fork', 'coordinator');
    const forkAt = team.logHead().seq + 1;
    await team.invite('dave-fork'); // the real entry forkAt, which the server hides from Carol

    // Carol's server hides it, and accepts (without the real server) her own entry at the same seq: a fork.
    const fork: unknown[] = [];
    carol.server.hooks.push(async (method, path, body, real) => {
      if (method === 'POST' && path === `/v1/teams/${team.teamId}/log`) {
        fork.push((body as { entry: unknown }).entry);
        return { status: 201, body: {} };
      }
      if (method === 'GET' && path.startsWith(`/v1/teams/${team.teamId}/log`)) {
        const reply = await real();
        const entries = (reply.body as { entries: { seq: number }[] }).entries.filter((e) => e.seq < forkAt);
        return { status: 200, body: { entries: [...entries, ...fork] } };
      }
      const match = method === 'PUT' ? documentPath.exec(path) : null;
      if (match) return storeUnchecked(match[1]!, match[2]!, carol.account.accountId, body as PutBody);
      return undefined;
    });
    const carolsView = await carol.teams.open(team.teamId);
    await carolsView.invite(erin.account.handle);
    assert.equal(carolsView.logHead().seq, forkAt);
    const forked = await carolsView.vault.create('incident', { occurredAt: '2025-05-03T10:00:00Z', description: 'written on a fork' });

    const bobsView = await bob.teams.open(team.teamId);
    assert.equal(bobsView.logHead().seq, forkAt);
    assert.notEqual(bobsView.logHead().hash, carolsView.logHead().hash);
    await assert.rejects(bobsView.vault.get(forked.documentId), (error: unknown) => error instanceof DocumentVerificationError && /different entry/.test(error.message));
    await assert.rejects(bobsView.vault.list('incident'), DocumentVerificationError);
  });

  it('refuses a document answered in place of another, from get and from history', async () => {
    const bob = await victim('bob-swap');
    const team = await teamOf('Swapped', alice, [bob]);
    const asked = await team.vault.create('security-plan', JSON.parse(readFileSync('docs/examples/security-plan.json', 'utf8')) as unknown);
    const other = await team.vault.create('incident', { occurredAt: '2025-05-04T10:00:00Z', description: 'another document' });
    const bobsView = await bob.teams.open(team.teamId);
    bob.server.hooks.push(async (method, path) => {
      if (method !== 'GET' || !path.startsWith(`/v1/teams/${team.teamId}/documents/${asked.documentId}`)) return undefined;
      const swapped = path.replace(asked.documentId, other.documentId);
      return { status: 200, body: await bob.account.api.get(swapped) };
    });
    await assert.rejects(bobsView.vault.get(asked.documentId), DocumentVerificationError);
    await assert.rejects(bobsView.vault.history(asked.documentId), DocumentVerificationError);
  });

  it('shows the time the author signed, not one the server changed, and flags the change', async () => {
    const bob = await victim('bob-time');
    const team = await teamOf('Signed times', alice, [bob]);
    const incident = await team.vault.create('incident', { occurredAt: '2025-05-04T09:00:00Z', description: 'when was this written?' });
    const edited = await team.vault.update(incident.documentId, { occurredAt: '2025-05-04T09:00:00Z', description: 'edited' });
    const bobsView = await bob.teams.open(team.teamId);
    const honest = await bobsView.vault.get(incident.documentId);
    assert.equal(honest.writtenAt, edited.writtenAt);
    assert.equal(honest.createdAt, incident.writtenAt, 'version 2 carries on the signed creation time');
    assert.equal(honest.timeDiffers, false);

    // The server (or someone with its database) moves the document three days back, in the current copy and the history.
    const earlier = new Date(Date.parse(edited.writtenAt) - 3 * 24 * 3600 * 1000);
    await CurrentDocumentModel.updateOne({ teamId: team.teamId, documentId: incident.documentId }, { $set: { writtenAt: earlier, createdAt: earlier } });
    await DocumentVersionModel.updateMany({ teamId: team.teamId, documentId: incident.documentId }, { $set: { writtenAt: earlier } });

    const moved = await bobsView.vault.get(incident.documentId);
    assert.equal(moved.writtenAt, edited.writtenAt, 'the signed time is shown');
    assert.equal(moved.createdAt, incident.writtenAt);
    assert.equal(moved.server.writtenAt, earlier.toISOString());
    assert.equal(moved.timeDiffers, true);
    const [listed] = (await bobsView.vault.list('incident')).filter((d) => d.documentId === incident.documentId);
    assert.equal(listed?.timeDiffers, true);
    const versions = await bobsView.vault.history(incident.documentId);
    assert.deepEqual(versions.map((v) => [v.writtenAt, v.timeDiffers]), [[edited.writtenAt, true], [incident.writtenAt, true]]);
  });

  it('refuses a version signed by a removed member under her old key, chained to the real newer version', async () => {
    const bob = await victim('bob-oldgen');
    const team = await teamOf('Old generation author', alice, [bob, mallory]);
    const doc = await team.vault.create('incident', { occurredAt: '2025-05-05T10:00:00Z', description: 'before the removal' });
    const malloryView = await mallory.teams.open(team.teamId);
    const malloryHead = malloryView.logHead();
    await team.remove('mallory'); // re-encrypts: version 2 under generation 2
    const v2 = await CurrentDocumentModel.findOne({ teamId: team.teamId, documentId: doc.documentId }).lean();
    assert.equal(v2?.generation, 2);

    // Mallory, with the server's help, signs version 3 under generation 1 at her last head, chained to version 2.
    const sodium = client.sodium;
    const forged = encryptDocumentVersion(sodium, {
      teamId: team.teamId, documentId: doc.documentId, kind: 'incident', version: 3, generation: 1, authorAccountId: mallory.account.accountId,
      previousVersionHash: sodium.from_base64(versionHashOf(sodium, team.teamId, v2!)), logSeq: malloryHead.seq, logHash: sodium.from_base64(malloryHead.hash),
    }, documentPlaintext({ occurredAt: '2025-05-05T10:00:00Z', description: 'forged by the removed member' }, new Date().toISOString()), malloryView.keyFor(1), mallory.account.keys.sign.privateKey);
    await storeUnchecked(team.teamId, doc.documentId, mallory.account.accountId, {
      kind: 'incident', baseVersion: 2, generation: 1, previousVersionHash: forged.previousVersionHash, logSeq: forged.logSeq, logHash: forged.logHash,
      nonce: forged.nonce, ciphertext: forged.ciphertext, signature: forged.signature,
    });

    // The coordinator's own device (which saw version 2), and a device that never saw the document, both refuse it.
    await assert.rejects(team.vault.get(doc.documentId), RollbackError);
    const freshDevice = await new Teams(bob.account, new MemoryTrustStore()).open(team.teamId);
    await assert.rejects(freshDevice.vault.get(doc.documentId), RollbackError);
    await assert.rejects(freshDevice.vault.history(doc.documentId), RollbackError);
  });

  it('rotates the key before a member (not a coordinator) writes after someone left, and the server refuses writes until then', async () => {
    const bob = await victim('bob-leave');
    const leaver = await signUp(client, 'leaver');
    const team = await teamOf('Leave', alice, [bob, leaver]);
    const leaversView = await leaver.teams.open(team.teamId);
    const bobsView = await bob.teams.open(team.teamId);
    const stale = bobsView.logHead();
    await leaversView.leave();

    // A write at the head after the leave, still under generation 1, is refused by the (honest) server.
    await bobsView.refresh();
    assert.equal(bobsView.state.needsRotation, true);
    const sodium = client.sodium;
    const head = bobsView.logHead();
    const attempt = encryptDocumentVersion(sodium, {
      teamId: team.teamId, documentId: 'a'.repeat(24), kind: 'incident', version: 1, generation: 1, authorAccountId: bob.account.accountId,
      previousVersionHash: new Uint8Array(32), logSeq: head.seq, logHash: sodium.from_base64(head.hash),
    }, documentPlaintext({ occurredAt: '2025-05-06T10:00:00Z', description: 'under the leaver key' }, new Date().toISOString()), bobsView.keyFor(1), bob.account.keys.sign.privateKey);
    await rejectsWithCode(bob.account.api.put(`/v1/teams/${team.teamId}/documents/${'a'.repeat(24)}`, {
      kind: 'incident', baseVersion: 0, generation: 1, previousVersionHash: attempt.previousVersionHash, logSeq: attempt.logSeq, logHash: attempt.logHash,
      nonce: attempt.nonce, ciphertext: attempt.ciphertext, signature: attempt.signature,
    }), 409, 'key_rotation_needed');
    assert.equal(await CurrentDocumentModel.countDocuments({ teamId: team.teamId }), 0);

    const written = await bobsView.vault.create('incident', { occurredAt: '2025-05-06T10:00:00Z', description: 'after the leave' });
    assert.equal(written.generation, 2, 'bob rotated first');
    assert.deepEqual(written.readableByFormerMembers, []);
    assert.ok(stale.seq < written.logSeq);
    const rotation = bobsView.log.find((e) => e.kind === 'rotate');
    assert.equal(rotation?.author, 'bob-leave');
    const stored = await CurrentDocumentModel.findOne({ teamId: team.teamId, documentId: written.documentId }).lean();
    assert.equal(stored?.generation, 2);
    await assert.rejects(leaversView.vault.get(written.documentId));
  });

  it('rotates too when the member\'s view predates the leave: the server refuses, the client verifies the log again, rotates and writes', async () => {
    const leaver = await signUp(client, 'leaver-two');
    const bob = await signUp(client, 'bob-stale-leave');
    const team = await teamOf('Leave, stale view', alice, [bob, leaver]);
    const bobsView = await bob.teams.open(team.teamId);
    await (await leaver.teams.open(team.teamId)).leave();
    assert.equal(bobsView.state.needsRotation, false, "bob's view was opened before the leave");

    const written = await bobsView.vault.create('incident', { occurredAt: '2025-05-07T10:00:00Z', description: 'after a leave bob did not see' });
    assert.equal(written.generation, 2);
    assert.equal(bobsView.log.find((e) => e.kind === 'rotate')?.author, 'bob-stale-leave');
    assert.equal((await CurrentDocumentModel.findOne({ teamId: team.teamId, documentId: written.documentId }).lean())?.generation, 2);
  });
});
