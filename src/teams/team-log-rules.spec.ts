import assert from 'node:assert/strict';
import { teamAcceptanceMessage, teamLogEntryBytes } from '../shared/protocol';
import { loadSodium, type Sodium } from '../shared/sodium';
import { applyTeamLogEntry, GENESIS_PREV_HASH, TeamLogRuleError, type TeamLogEntry, type TeamLogRuleCode, type TeamLogState } from '../shared/team-log-rules';

/**
 * The team log's rules as a pure function: real libsodium keys and signatures, no server, no database.
 * Each refusal names the rule it breaks, because the server answers with that code and every client
 * replaying the log refuses exactly the same entries.
 */
describe('Team log rules', () => {
  let sodium: Sodium;
  const teamId = 'a1'.repeat(12);

  interface Person {
    accountId: string;
    handle: string;
    sign: { publicKey: Uint8Array; privateKey: Uint8Array };
    box: { publicKey: Uint8Array };
  }
  let people: Record<'ana' | 'bea' | 'cruz' | 'dee', Person>;

  before(async () => {
    sodium = await loadSodium();
    const person = (handle: string, n: number): Person => ({ accountId: String(n).padStart(24, '0'), handle, sign: sodium.crypto_sign_keypair(), box: sodium.crypto_box_keypair() });
    people = { ana: person('ana', 1), bea: person('bea', 2), cruz: person('cruz', 3), dee: person('dee', 4) };
  });

  const b64 = (bytes: Uint8Array) => sodium.to_base64(bytes);
  const filler = (n: number) => b64(new Uint8Array(n).fill(7));
  const envelope = (who: Person) => ({ accountId: who.accountId, sealed: filler(80) });
  const keysOf = (who: Person) => ({ handle: who.handle, boxPublicKey: b64(who.box.publicKey), signPublicKey: b64(who.sign.publicKey) });

  /** An entry signed by `author`, appended right after `state` (or the genesis when state is null). */
  function signed(state: TeamLogState | null, author: Person, kind: TeamLogEntry['kind'], payload: unknown, overrides: { seq?: number; prevHash?: string } = {}): TeamLogEntry {
    const seq = overrides.seq ?? (state ? state.headSeq + 1 : 1);
    const prevHash = overrides.prevHash ?? (state ? state.headHash : b64(GENESIS_PREV_HASH));
    const bytes = teamLogEntryBytes({ teamId, seq, prevHash: sodium.from_base64(prevHash), kind, authorAccountId: author.accountId, payload });
    return { seq, prevHash, kind, authorAccountId: author.accountId, payload, signature: b64(sodium.crypto_sign_detached(bytes, author.sign.privateKey)) } as TeamLogEntry;
  }
  const apply = (state: TeamLogState | null, entry: TeamLogEntry) => applyTeamLogEntry(sodium, teamId, state, entry).state;
  const refuses = (state: TeamLogState | null, entry: TeamLogEntry, code: TeamLogRuleCode) =>
    assert.throws(() => applyTeamLogEntry(sodium, teamId, state, entry), (error: unknown) => error instanceof TeamLogRuleError && error.code === code);

  const create = (who: Person) => signed(null, who, 'create', { ...keysOf(who), generation: 1, keyCheck: filler(32), envelopes: [envelope(who)] });
  const rotation = (state: TeamLogState, to: Person[]) => ({ generation: state.generation + 1, keyCheck: filler(32), envelopes: to.map(envelope), previousKey: { nonce: filler(24), ciphertext: filler(48) } });

  /** Invites `who` and adds her with her own acceptance signature, as the client does. */
  function invitedAndAdded(state: TeamLogState, coordinator: Person, who: Person): TeamLogState {
    const invited = apply(state, signed(state, coordinator, 'invite', { accountId: who.accountId, ...keysOf(who) }));
    const acceptance = teamAcceptanceMessage(teamId, invited.headSeq, sodium.from_base64(invited.headHash));
    return apply(invited, signed(invited, coordinator, 'add', { accountId: who.accountId, generation: invited.generation, envelopes: [envelope(who)], acceptance: b64(sodium.crypto_sign_detached(acceptance, who.sign.privateKey)) }));
  }

  it('starts a team with a create entry signed by its creator, who is its first coordinator', () => {
    const state = apply(null, create(people.ana));
    assert.equal(state.headSeq, 1);
    assert.equal(state.generation, 1);
    assert.deepEqual(state.members.map((m) => [m.handle, m.role, m.status]), [['ana', 'coordinator', 'member']]);
  });

  it('refuses a genesis signed with another key, or any other first entry', () => {
    const forged = create(people.ana);
    refuses(null, { ...forged, signature: create(people.bea).signature }, 'invalid_signature');
    refuses(null, signed(null, people.ana, 'leave', {}), 'invalid_entry');
  });

  it('refuses an entry that does not follow the head: a replay, a gap or a fork', () => {
    const state = invitedAndAdded(apply(null, create(people.ana)), people.ana, people.bea);
    const next = { accountId: people.bea.accountId, role: 'coordinator' };
    refuses(state, signed(state, people.ana, 'role', next, { seq: state.headSeq }), 'log_conflict');
    refuses(state, signed(state, people.ana, 'role', next, { seq: state.headSeq + 2 }), 'log_conflict');
    refuses(state, signed(state, people.ana, 'role', next, { prevHash: filler(32) }), 'log_conflict');
  });

  it('lets only coordinators invite, and only members append at all', () => {
    const state = invitedAndAdded(apply(null, create(people.ana)), people.ana, people.bea);
    refuses(state, signed(state, people.bea, 'invite', { accountId: people.cruz.accountId, ...keysOf(people.cruz) }), 'not_allowed');
    refuses(state, signed(state, people.cruz, 'leave', {}), 'not_allowed');
  });

  it('adds an invitee only with her own acceptance of that very invitation', () => {
    const start = apply(null, create(people.ana));
    const invited = apply(start, signed(start, people.ana, 'invite', { accountId: people.bea.accountId, ...keysOf(people.bea) }));
    const addSignedBy = (signer: Person) => {
      const acceptance = teamAcceptanceMessage(teamId, invited.headSeq, sodium.from_base64(invited.headHash));
      return signed(invited, people.ana, 'add', { accountId: people.bea.accountId, generation: 1, envelopes: [envelope(people.bea)], acceptance: b64(sodium.crypto_sign_detached(acceptance, signer.sign.privateKey)) });
    };
    // A coordinator (or a server posing as one) signing the acceptance itself does not make her a member.
    refuses(invited, addSignedBy(people.ana), 'invalid_signature');
    assert.equal(apply(invited, addSignedBy(people.bea)).members.find((m) => m.handle === 'bea')?.status, 'member');
  });

  it('starts a new key generation sealed to exactly the remaining members when a member is removed', () => {
    const state = invitedAndAdded(invitedAndAdded(apply(null, create(people.ana)), people.ana, people.bea), people.ana, people.cruz);
    const remove = (payload: unknown) => signed(state, people.ana, 'remove', payload);
    refuses(state, remove({ accountId: people.cruz.accountId }), 'invalid_entry');
    // Sealed to the removed member too: she would keep reading everything written after her removal.
    refuses(state, remove({ accountId: people.cruz.accountId, rotation: rotation(state, [people.ana, people.bea, people.cruz]) }), 'invalid_entry');
    const after = apply(state, remove({ accountId: people.cruz.accountId, rotation: rotation(state, [people.ana, people.bea]) }));
    assert.equal(after.generation, 2);
    assert.deepEqual(after.members.map((m) => m.handle), ['ana', 'bea']);
  });

  it('keeps a coordinator: the last one cannot step down or leave while members remain', () => {
    const state = invitedAndAdded(apply(null, create(people.ana)), people.ana, people.bea);
    refuses(state, signed(state, people.ana, 'role', { accountId: people.ana.accountId, role: 'member' }), 'not_allowed');
    refuses(state, signed(state, people.ana, 'leave', {}), 'not_allowed');
  });

  it('lets any remaining member rotate after someone leaves, and only a coordinator otherwise', () => {
    const three = invitedAndAdded(invitedAndAdded(apply(null, create(people.ana)), people.ana, people.bea), people.ana, people.cruz);
    refuses(three, signed(three, people.bea, 'rotate', { rotation: rotation(three, [people.ana, people.bea, people.cruz]) }), 'not_allowed');
    const left = apply(three, signed(three, people.cruz, 'leave', {}));
    assert.equal(left.needsRotation, true);
    const rotated = apply(left, signed(left, people.bea, 'rotate', { rotation: rotation(left, [people.ana, people.bea]) }));
    assert.equal(rotated.generation, 2);
    assert.equal(rotated.needsRotation, false);
  });

  it('never changes the state it is given, even when it refuses the entry', () => {
    const state = invitedAndAdded(apply(null, create(people.ana)), people.ana, people.bea);
    const before = structuredClone(state);
    apply(state, signed(state, people.ana, 'role', { accountId: people.bea.accountId, role: 'coordinator' }));
    refuses(state, signed(state, people.ana, 'invite', { accountId: people.bea.accountId, ...keysOf(people.bea) }), 'invalid_entry');
    assert.deepEqual(state, before);
  });
});
