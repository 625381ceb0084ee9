import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import request from 'supertest';
import { InvitationNotAcceptedError, InvitationVerificationError, KeyChangedError, MeshworkClient, MemoryTrustStore, Teams, TeamLogVerificationError } from '../src/client';
import { generateAccountKeys, selfSignedPublicKeys } from '../src/client/crypto/account-keys';
import { sealTeamKeyFor } from '../src/client/crypto/team-keys';
import { teamAcceptanceMessage, teamLogEntryBytes } from '../src/shared/protocol';
import { startTestService, type TestService } from './support/service';
import { countAll, rawDump } from './support/raw-database';
import { rejectsWithCode, signUp, teamOf, type Person } from './support/teams';

describe('Teams and the signed membership log', function () {
  let service: TestService;
  let client: MeshworkClient;
  let alice: Person;
  let bob: Person;
  let carol: Person;
  let dan: Person;

  before(async function () {
    service = await startTestService();
    client = await MeshworkClient.connect({ baseUrl: service.baseUrl });
    [alice, bob, carol, dan] = (await Promise.all(['alice', 'bob-b', 'carol', 'dan-d'].map((h) => signUp(client, h)))) as [Person, Person, Person, Person];
  });
  after(async () => service.close());

  it('creates a team whose signed log makes the creator its only coordinator, with an encrypted name', async () => {
    const team = await alice.teams.create('Colectiva Marker-TEAMNAME-1');
    assert.equal(team.name, 'Colectiva Marker-TEAMNAME-1');
    assert.deepEqual(team.members().map((m) => [m.handle, m.role, m.status]), [['alice', 'coordinator', 'member']]);
    assert.equal(team.generation, 1);
    assert.equal(team.log.length, 1);
    const listed = await alice.teams.list();
    assert.ok(listed.some((t) => t.teamId === team.teamId && t.name === 'Colectiva Marker-TEAMNAME-1'));
    assert.ok(!(await rawDump()).includes('Marker-TEAMNAME'), 'the team name is stored only encrypted');
  });

  it('invites by handle, waits for acceptance, shows matching safety numbers on both sides, then seals the key', async () => {
    const team = await alice.teams.create('Invitations');
    await team.invite('bob-b');
    await assert.rejects(team.admit('bob-b'), InvitationNotAcceptedError);
    const [invitation] = (await bob.teams.invitations()).filter((i) => i.teamId === team.teamId);
    assert.equal(invitation?.invitedBy.handle, 'alice');
    assert.equal(invitation?.accepted, false);
    // An invitee is not a member yet: the team itself is 404 to them.
    await rejectsWithCode(bob.teams.open(team.teamId), 404, 'not_found');
    await bob.teams.accept(team.teamId);

    const seenByAlice = team.safetyNumberWith('bob-b');
    const seenByBob = await bob.teams.safetyNumberWith('alice');
    assert.match(seenByAlice, /^(\d{5} ){11}\d{5}$/);
    assert.equal(seenByAlice, seenByBob, 'both people see the same 60 digits');
    assert.notEqual(seenByAlice, await alice.teams.safetyNumberWith('carol'), 'another person, another number');

    await team.admit('bob-b');
    const bobsView = await bob.teams.open(team.teamId);
    assert.equal(bobsView.name, 'Invitations');
    assert.deepEqual(bobsView.members().map((m) => [m.handle, m.role, m.status]), [['alice', 'coordinator', 'member'], ['bob-b', 'member', 'member']]);
    assert.deepEqual(bobsView.keyFor(1), team.keyFor(1));
    assert.equal((await bob.teams.invitations()).filter((i) => i.teamId === team.teamId).length, 0);
  });

  it("admits only with the invitee's own signed acceptance: a forged acceptance or an add carrying one changes nothing", async () => {
    const fay = await signUp(client, 'fay-f');
    const team = await alice.teams.create('Signed acceptance');
    await team.invite('fay-f');
    const invitee = team.state.members.find((m) => m.accountId === fay.account.accountId)!;
    const { sodium } = client;
    const signBy = (who: Person, seq: number) => sodium.to_base64(sodium.crypto_sign_detached(teamAcceptanceMessage(team.teamId, seq, sodium.from_base64(invitee.inviteHash)), who.account.keys.sign.privateKey));
    const sealed = sealTeamKeyFor(sodium, team.teamId, 1, team.keyFor(1), invitee.boxPublicKey);
    const addWith = (acceptance: string) => ({ entry: sign(alice, team.teamId, team.state, 'add', { accountId: invitee.accountId, generation: 1, envelopes: [{ accountId: invitee.accountId, sealed }], acceptance }) });
    const before = await countAll();
    const forged: [string, string][] = [
      ['signed by the coordinator, not the invitee', signBy(alice, invitee.inviteSeq)],
      ['signed by the invitee over another invite seq', signBy(fay, invitee.inviteSeq + 1)],
      ['64 bytes that are no signature', 'A'.repeat(86)],
    ];
    for (const [name, signature] of forged) {
      const accepted = await request(service.app).post(`/v1/invitations/${team.teamId}/accept`).set('authorization', `Bearer ${fay.account.token}`).send({ signature });
      assert.equal(accepted.status, 400, `accept, ${name}: ${JSON.stringify(accepted.body)}`);
      assert.equal(accepted.body.error.code, 'invalid_signature', name);
      const added = await request(service.app).post(`/v1/teams/${team.teamId}/log`).set('authorization', `Bearer ${alice.account.token}`).send(addWith(signature));
      assert.equal(added.status, 400, `add, ${name}: ${JSON.stringify(added.body)}`);
      assert.equal(added.body.error.code, 'invalid_signature', name);
    }
    const badBodies: [string, unknown][] = [['no signature', {}], ['a short signature', { signature: 'A'.repeat(43) }], ['an unknown field', { signature: signBy(fay, invitee.inviteSeq), extra: 1 }]];
    for (const [name, body] of badBodies) {
      const res = await request(service.app).post(`/v1/invitations/${team.teamId}/accept`).set('authorization', `Bearer ${fay.account.token}`).send(body as object);
      assert.equal(res.status, 400, name);
      assert.equal(res.body.error.code, 'validation_failed', name);
    }
    assert.deepEqual(await countAll(), before, 'no acceptance stored, no entry appended');
    await assert.rejects(team.admit('fay-f'), InvitationNotAcceptedError);

    await fay.teams.accept(team.teamId);
    await team.admit('fay-f');
    assert.equal((await fay.teams.open(team.teamId)).members().find((m) => m.handle === 'fay-f')?.status, 'member');
  });

  it('lets only coordinators invite, admit, remove and change roles; a promoted member can', async () => {
    const team = await teamOf('Roles', alice, [bob]);
    const bobsView = await bob.teams.open(team.teamId);
    await rejectsWithCode(bobsView.invite('carol'), 403, 'not_allowed');
    await rejectsWithCode(bobsView.remove('alice'), 403, 'not_allowed');
    await rejectsWithCode(bobsView.setRole('bob-b', 'coordinator'), 403, 'not_allowed');
    await team.setRole('bob-b', 'coordinator');
    await bobsView.invite('carol');
    assert.equal(bobsView.members().find((m) => m.handle === 'carol')?.status, 'invited');
    await bobsView.remove('carol');
    assert.equal(bobsView.members().length, 2);
    assert.equal(bobsView.generation, 1, 'withdrawing an invitation needs no new key');
  });

  it('keeps at least one coordinator: the last one cannot leave or step down while others remain', async () => {
    const team = await teamOf('Last coordinator', alice, [bob]);
    await rejectsWithCode(team.leave(), 403, 'not_allowed');
    await rejectsWithCode(team.setRole('alice', 'member'), 403, 'not_allowed');
  });

  it('lets a member leave; the coordinator rotates the key before anything new is written', async () => {
    const team = await teamOf('Leaving', alice, [bob, carol]);
    const carolsView = await carol.teams.open(team.teamId);
    await carolsView.leave();
    await rejectsWithCode(carol.teams.open(team.teamId), 404, 'not_found');
    await team.refresh();
    assert.equal(team.state.needsRotation, true);
    await team.vault.create('incident', { occurredAt: '2025-01-02T10:00:00Z', description: 'written after carol left' });
    assert.equal(team.generation, 2, 'the write rotated the key first');
    const bobsView = await bob.teams.open(team.teamId);
    assert.equal(bobsView.generation, 2);
    assert.deepEqual(bobsView.keyFor(2), team.keyFor(2));
    assert.deepEqual(bobsView.keyFor(1), team.keyFor(1), 'older keys come through the chain of previous keys');
  });

  it('lets exactly one of two concurrent appends win; the other gets 409 and the log does not fork', async () => {
    const team = await teamOf('Race', alice, [bob]);
    await team.setRole('bob-b', 'coordinator');
    const bobsView = await bob.teams.open(team.teamId);
    await team.refresh();
    // Both sign entry N+1 against the same head, then send at the same time.
    const results = await Promise.allSettled([
      appendRaw(service, alice, team.teamId, team.state, 'invite', await invitePayload(alice, 'carol')),
      appendRaw(service, bob, team.teamId, bobsView.state, 'invite', await invitePayload(bob, 'dan-d')),
    ]);
    const statuses = results.map((r) => (r.status === 'fulfilled' ? r.value.status : 0)).sort();
    assert.deepEqual(statuses, [201, 409]);
    await team.refresh();
    assert.equal(team.members().filter((m) => m.status === 'invited').length, 1);
    const entries = await mongoose.connection.db!.collection('teamlogentries').find({ teamId: team.teamId }).toArray();
    assert.equal(new Set(entries.map((e) => e.seq)).size, entries.length);
  });

  it('refuses entries that break the chain, carry a forged signature, claim another author or break a rule, and changes nothing', async () => {
    const team = await teamOf('Bad entries', alice, [bob]);
    await team.refresh();
    const good = await invitePayload(alice, 'carol');
    const state = team.state;
    const mallory = await signUp(client, 'mallory');
    const cases: { name: string; body: () => unknown; status: number; code: string; as?: Person }[] = [
      { name: 'wrong seq', body: () => ({ entry: sign(alice, team.teamId, { ...state, headSeq: state.headSeq + 5 }, 'invite', good) }), status: 409, code: 'log_conflict' },
      { name: 'wrong previous hash', body: () => ({ entry: sign(alice, team.teamId, { ...state, headHash: 'A'.repeat(43) }, 'invite', good) }), status: 409, code: 'log_conflict' },
      { name: 'forged signature', body: () => ({ entry: { ...sign(alice, team.teamId, state, 'invite', good), signature: `${'B'.repeat(85)}A` } }), status: 400, code: 'invalid_signature' },
      { name: 'signed by someone else', body: () => ({ entry: { ...sign(mallory, team.teamId, state, 'invite', good), authorAccountId: alice.account.accountId } }), status: 400, code: 'invalid_signature' },
      { name: 'claims another author', body: () => ({ entry: sign(bob, team.teamId, state, 'invite', good) }), status: 400, code: 'invalid_entry' },
      { name: 'a member removes the coordinator', as: bob, body: () => ({ entry: sign(bob, team.teamId, state, 'remove', { accountId: alice.account.accountId }) }), status: 403, code: 'not_allowed' },
      { name: 'removing a member without a new key', body: () => ({ entry: sign(alice, team.teamId, state, 'remove', { accountId: bob.account.accountId }) }), status: 400, code: 'invalid_entry' },
      { name: 'invite with keys that are not the account\'s', body: () => ({ entry: sign(alice, team.teamId, state, 'invite', { ...good, boxPublicKey: alice.account.publicKeys.boxPublicKey }) }), status: 400, code: 'invitee_keys_mismatch' },
      { name: 'a second create', body: () => ({ entry: sign(alice, team.teamId, state, 'create', { handle: 'alice', boxPublicKey: good.boxPublicKey, signPublicKey: good.signPublicKey, generation: 1, keyCheck: `${'C'.repeat(42)}A`, envelopes: [{ accountId: alice.account.accountId, sealed: 'AAAA' }] }) }), status: 400, code: 'invalid_entry' },
      { name: 'unknown kind', body: () => ({ entry: { ...sign(alice, team.teamId, state, 'invite', good), kind: 'promote' } }), status: 400, code: 'validation_failed' },
      { name: 'unknown field', body: () => ({ entry: sign(alice, team.teamId, state, 'invite', good), extra: 1 }), status: 400, code: 'validation_failed' },
      { name: 'unknown payload field', body: () => ({ entry: sign(alice, team.teamId, state, 'invite', { ...good, role: 'coordinator' }) }), status: 400, code: 'validation_failed' },
      { name: 'wrong types', body: () => ({ entry: { ...sign(alice, team.teamId, state, 'invite', good), seq: '2' } }), status: 400, code: 'validation_failed' },
      { name: 'huge body', body: () => ({ entry: sign(alice, team.teamId, state, 'invite', good), pad: 'x'.repeat(200_000) }), status: 413, code: 'payload_too_large' },
    ];
    const before = await countAll();
    const teamBefore = await mongoose.connection.db!.collection('teams').findOne({ _id: team.teamId as never });
    for (const c of cases) {
      const who = c.as ?? alice;
      const res = await request(service.app).post(`/v1/teams/${team.teamId}/log`).set('authorization', `Bearer ${who.account.token}`).send(c.body() as object);
      assert.equal(res.status, c.status, `${c.name}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, c.code, c.name);
    }
    assert.deepEqual(await countAll(), before);
    assert.deepEqual(await mongoose.connection.db!.collection('teams').findOne({ _id: team.teamId as never }), teamBefore);
  });

  it('catches a dropped log entry, an inserted one and an altered one (tampered in the raw database)', async () => {
    const team = await teamOf('Tampered log', alice, [bob]);
    await team.invite('carol');
    const entries = mongoose.connection.db!.collection('teamlogentries');
    const all = await entries.find({ teamId: team.teamId }).sort({ seq: 1 }).toArray();
    assert.equal(all.length, 4);
    const fresh = () => new Teams(bob.account, new MemoryTrustStore());

    // Dropped: the server hides the entry that invited bob.
    const dropped = all[1]!;
    await entries.deleteOne({ _id: dropped._id });
    await assert.rejects(fresh().open(team.teamId), TeamLogVerificationError);
    await entries.insertOne(dropped);
    await fresh().open(team.teamId);

    // Inserted: a forged "invite" entry squeezed in, renumbering the rest.
    const forged = { ...all[3]!, _id: new mongoose.Types.ObjectId(), seq: 5 };
    await entries.insertOne(forged);
    await assert.rejects(fresh().open(team.teamId), TeamLogVerificationError);
    await entries.deleteOne({ _id: forged._id });

    // Altered: a role smuggled into a payload.
    const payload = JSON.parse(all[2]!.payload as string);
    await entries.updateOne({ _id: all[2]!._id }, { $set: { kind: 'role', payload: JSON.stringify({ accountId: payload.accountId, role: 'coordinator' }) } });
    await assert.rejects(fresh().open(team.teamId), TeamLogVerificationError);
    await entries.updateOne({ _id: all[2]!._id }, { $set: { kind: all[2]!.kind, payload: all[2]!.payload } });
    await fresh().open(team.teamId);
  });

  it('catches a log cut back below what this device has already seen', async () => {
    const team = await teamOf('Cut back', alice, [bob]);
    const bobsView = await bob.teams.open(team.teamId);
    await team.invite('dan-d');
    await bobsView.refresh();
    const entries = mongoose.connection.db!.collection('teamlogentries');
    const last = await entries.findOne({ teamId: team.teamId, seq: 4 });
    await entries.deleteOne({ _id: last!._id });
    const teams = mongoose.connection.db!.collection('teams');
    const saved = await teams.findOne({ _id: team.teamId as never });
    const { _id: _ignored, ...third } = (await entries.findOne({ teamId: team.teamId, seq: 3 }))!;
    await teams.updateOne({ _id: team.teamId as never }, { $set: { lastEntry: third, headSeq: 3, headHash: third.hash } });
    await assert.rejects(bobsView.refresh(), (error: unknown) => error instanceof TeamLogVerificationError && /has seen entry 4/.test(error.message));
    await teams.replaceOne({ _id: team.teamId as never }, saved!);
  });

  it('flags a key substitution by a malicious server: pinned keys, and the log naming someone with keys not theirs', async () => {
    const team = await alice.teams.create('Substitution');
    await alice.teams.lookup('dan-d');
    // The server swaps dan's keys for a pair it made itself, validly self-signed.
    const fake = generateAccountKeys(client.sodium);
    const fakePublic = selfSignedPublicKeys(client.sodium, 'dan-d', fake);
    const accounts = mongoose.connection.db!.collection('accounts');
    const real = await accounts.findOne({ handle: 'dan-d' });
    await accounts.updateOne({ handle: 'dan-d' }, { $set: { publicKeys: fakePublic } });
    try {
      await assert.rejects(alice.teams.lookup('dan-d'), KeyChangedError);
      await assert.rejects(team.invite('dan-d'), (error: unknown) => error instanceof KeyChangedError && /dan-d/.test(error.message));
      // Someone who never saw dan's keys is fooled by the server... until numbers are compared, or dan sees the invite.
      const erin = await signUp(client, 'erin');
      const erinsTeam = await erin.teams.create('Fooled');
      await erinsTeam.invite('dan-d');
      const onErinsPhone = erinsTeam.safetyNumberWith('dan-d');
      assert.notEqual(onErinsPhone, await dan.teams.safetyNumberWith('erin'), 'the safety numbers differ face to face');
      // Dan's device refuses to sign an acceptance of an invite naming keys that are not his, so nobody can add him.
      await assert.rejects(dan.teams.accept(erinsTeam.teamId), (error: unknown) => error instanceof InvitationVerificationError && /not yours/.test(error.message));
      await assert.rejects(erinsTeam.admit('dan-d'), InvitationNotAcceptedError);
    } finally {
      await accounts.updateOne({ handle: 'dan-d' }, { $set: { publicKeys: real!.publicKeys } });
    }
  });

  it('dissolves a team, its log and its documents when its only member wipes their account', async () => {
    const solo = await signUp(client, 'solo-one');
    const team = await solo.teams.create('Alone');
    await team.vault.create('incident', { occurredAt: '2025-03-01T08:00:00Z', description: 'only mine' });
    await solo.account.deleteAccount('password of solo-one');
    const db = mongoose.connection.db!;
    assert.equal(await db.collection('teams').countDocuments({ _id: team.teamId as never }), 0);
    assert.equal(await db.collection('teamlogentries').countDocuments({ teamId: team.teamId }), 0);
    assert.equal(await db.collection('vaultdocuments').countDocuments({ teamId: team.teamId }), 0);
    assert.equal(await db.collection('vaultdocumentversions').countDocuments({ teamId: team.teamId }), 0);
  });
});

async function invitePayload(who: Person, handle: string) {
  const found = await who.teams.lookup(handle);
  return { accountId: found.accountId, handle: found.handle, boxPublicKey: found.publicKeys.boxPublicKey, signPublicKey: found.publicKeys.signPublicKey };
}

function sign(who: Person, teamId: string, state: { headSeq: number; headHash: string }, kind: string, payload: unknown) {
  const { sodium } = who.account;
  const entry = { seq: state.headSeq + 1, prevHash: state.headHash, kind, payload, authorAccountId: who.account.accountId };
  const bytes = teamLogEntryBytes({ ...entry, teamId, prevHash: sodium.from_base64(entry.prevHash) });
  return { ...entry, signature: sodium.to_base64(sodium.crypto_sign_detached(bytes, who.account.keys.sign.privateKey)) };
}

function appendRaw(service: TestService, who: Person, teamId: string, state: { headSeq: number; headHash: string }, kind: string, payload: unknown) {
  return request(service.app).post(`/v1/teams/${teamId}/log`).set('authorization', `Bearer ${who.account.token}`).send({ entry: sign(who, teamId, state, kind, payload) });
}
