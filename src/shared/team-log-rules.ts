import { z } from 'zod';
import { teamAcceptanceMessage, teamLogEntryBytes } from './protocol';
import type { Sodium } from './sodium';
import { isCanonicalBase64url } from './base64url';
import { objectId } from './ids';

/**
 * The team log's rules, as one pure function shared by the server (which refuses entries that break them)
 * and every client (which replays the whole log and trusts nothing it does not back). No I/O, no Node APIs:
 * the browser client imports this file too.
 */

const handle = z.string().regex(/^[a-z0-9][a-z0-9_.-]{2,31}$/, 'must be a normalised handle');
// Canonical too: libsodium's from_base64 throws on stray trailing bits that the regex and length let through.
const b64Exact = (bytes: number) => z.string().regex(/^[A-Za-z0-9_-]*$/, 'must be base64url without padding').length(Math.ceil((bytes * 4) / 3), `must encode exactly ${bytes} bytes`).refine(isCanonicalBase64url, 'must be canonical base64url');
const b64Max = (bytes: number) => z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be base64url without padding').max(Math.ceil((bytes * 4) / 3), `must encode at most ${bytes} bytes`).refine(isCanonicalBase64url, 'must be canonical base64url');

export const MAX_TEAM_MEMBERS = 200;
export const teamRoleSchema = z.enum(['coordinator', 'member']);
export type TeamRole = z.infer<typeof teamRoleSchema>;

/** A team key sealed (crypto_box_seal) to one member's X25519 key. */
export const keyEnvelopeSchema = z.object({ accountId: objectId, sealed: b64Max(256) }).strict();
/** A new key generation: its key check, one envelope per member, and the previous generation's key under the new one. */
export const rotationSchema = z
  .object({
    generation: z.number().int().min(2),
    keyCheck: b64Exact(32),
    envelopes: z.array(keyEnvelopeSchema).min(1).max(MAX_TEAM_MEMBERS),
    previousKey: z.object({ nonce: b64Exact(24), ciphertext: b64Exact(48) }).strict(),
  })
  .strict();

const accountKeys = { handle, boxPublicKey: b64Exact(32), signPublicKey: b64Exact(32) };
const entryBase = { seq: z.number().int().min(1), prevHash: b64Exact(32), authorAccountId: objectId, signature: b64Exact(64) };

export const teamLogEntrySchema = z.discriminatedUnion('kind', [
  z.object({ ...entryBase, kind: z.literal('create'), payload: z.object({ ...accountKeys, generation: z.literal(1), keyCheck: b64Exact(32), envelopes: z.array(keyEnvelopeSchema).length(1) }).strict() }).strict(),
  z.object({ ...entryBase, kind: z.literal('invite'), payload: z.object({ accountId: objectId, ...accountKeys }).strict() }).strict(),
  // acceptance: the invitee's Ed25519 signature over teamAcceptanceMessage(team, invite seq, invite entry hash).
  z.object({ ...entryBase, kind: z.literal('add'), payload: z.object({ accountId: objectId, generation: z.number().int().min(1), envelopes: z.array(keyEnvelopeSchema).length(1), acceptance: b64Exact(64) }).strict() }).strict(),
  z.object({ ...entryBase, kind: z.literal('remove'), payload: z.object({ accountId: objectId, rotation: rotationSchema.optional() }).strict() }).strict(),
  z.object({ ...entryBase, kind: z.literal('role'), payload: z.object({ accountId: objectId, role: teamRoleSchema }).strict() }).strict(),
  z.object({ ...entryBase, kind: z.literal('leave'), payload: z.object({}).strict() }).strict(),
  z.object({ ...entryBase, kind: z.literal('rotate'), payload: z.object({ rotation: rotationSchema }).strict() }).strict(),
]);
export type TeamLogEntry = z.infer<typeof teamLogEntrySchema>;
export type Rotation = z.infer<typeof rotationSchema>;

export interface TeamMemberState {
  accountId: string;
  handle: string;
  role: TeamRole;
  status: 'invited' | 'member';
  boxPublicKey: string;
  signPublicKey: string;
  /** The seq of the invite entry; an acceptance names it, so an old acceptance cannot admit a re-invited account. */
  inviteSeq: number;
  /** base64url hash of that invite entry (of the create entry for the creator): what the invitee's acceptance signs. */
  inviteHash: string;
}

export interface TeamLogState {
  teamId: string;
  headSeq: number;
  /** base64url BLAKE2b-256 of the head entry's signed bytes. */
  headHash: string;
  generation: number;
  /** Someone left since the last key generation; a coordinator should rotate. */
  needsRotation: boolean;
  members: TeamMemberState[];
}

export type TeamLogRuleCode = 'log_conflict' | 'invalid_signature' | 'not_allowed' | 'invalid_entry';

export class TeamLogRuleError extends Error {
  constructor(
    readonly code: TeamLogRuleCode,
    message: string,
  ) {
    super(message);
    this.name = 'TeamLogRuleError';
  }
}

export const GENESIS_PREV_HASH = new Uint8Array(32);

export function teamLogEntryHash(sodium: Sodium, teamId: string, entry: Omit<TeamLogEntry, 'signature'>): Uint8Array {
  return sodium.crypto_generichash(32, teamLogEntryBytes({ ...entry, teamId, prevHash: sodium.from_base64(entry.prevHash) }), null);
}

/**
 * Applies one entry to the state (null before the genesis entry) and returns the next state and the entry's hash.
 * Throws TeamLogRuleError naming the broken rule; never mutates its input.
 */
export function applyTeamLogEntry(sodium: Sodium, teamId: string, previous: TeamLogState | null, entry: TeamLogEntry): { state: TeamLogState; hash: string } {
  const hashBytes = teamLogEntryHash(sodium, teamId, entry);
  const hash = sodium.to_base64(hashBytes);
  const signed = teamLogEntryBytes({ ...entry, teamId, prevHash: sodium.from_base64(entry.prevHash) });

  if (previous === null) {
    if (entry.kind !== 'create') throw new TeamLogRuleError('invalid_entry', 'A team log starts with a create entry.');
    if (entry.seq !== 1 || entry.prevHash !== sodium.to_base64(GENESIS_PREV_HASH)) throw new TeamLogRuleError('log_conflict', 'The create entry is seq 1 with an all-zero previous hash.');
    // The genesis entry is signed by the creator, with the keys it introduces.
    verifySignature(sodium, signed, entry.signature, entry.payload.signPublicKey);
    const envelope = entry.payload.envelopes[0];
    if (envelope?.accountId !== entry.authorAccountId) throw new TeamLogRuleError('invalid_entry', 'The creator seals the first key to themself.');
    const creator: TeamMemberState = {
      accountId: entry.authorAccountId, handle: entry.payload.handle, role: 'coordinator', status: 'member',
      boxPublicKey: entry.payload.boxPublicKey, signPublicKey: entry.payload.signPublicKey, inviteSeq: 1, inviteHash: hash,
    };
    return { state: { teamId, headSeq: 1, headHash: hash, generation: 1, needsRotation: false, members: [creator] }, hash };
  }

  if (entry.seq !== previous.headSeq + 1 || entry.prevHash !== previous.headHash) {
    throw new TeamLogRuleError('log_conflict', `Expected entry ${previous.headSeq + 1} after the current head; the log moved on or an entry is missing.`);
  }
  const author = previous.members.find((m) => m.accountId === entry.authorAccountId && m.status === 'member');
  if (!author) throw new TeamLogRuleError('not_allowed', 'Only a member of the team can append to its log.');
  verifySignature(sodium, signed, entry.signature, author.signPublicKey);

  const members = previous.members.map((m) => ({ ...m }));
  const next: TeamLogState = { ...previous, headSeq: entry.seq, headHash: hash, members };
  const find = (accountId: string) => members.find((m) => m.accountId === accountId);
  const requireCoordinator = () => {
    if (author.role !== 'coordinator') throw new TeamLogRuleError('not_allowed', 'Only a coordinator can do that.');
  };
  const activeMembers = () => members.filter((m) => m.status === 'member');

  switch (entry.kind) {
    case 'create':
      throw new TeamLogRuleError('invalid_entry', 'A team has one create entry, the first.');
    case 'invite': {
      requireCoordinator();
      if (find(entry.payload.accountId)) throw new TeamLogRuleError('invalid_entry', 'That account is already invited or a member.');
      if (members.length >= MAX_TEAM_MEMBERS) throw new TeamLogRuleError('invalid_entry', `A team has at most ${MAX_TEAM_MEMBERS} members and invitations.`);
      const { accountId, handle: invitedHandle, boxPublicKey, signPublicKey } = entry.payload;
      members.push({ accountId, handle: invitedHandle, role: 'member', status: 'invited', boxPublicKey, signPublicKey, inviteSeq: entry.seq, inviteHash: hash });
      return { state: next, hash };
    }
    case 'add': {
      requireCoordinator();
      const target = find(entry.payload.accountId);
      if (target?.status !== 'invited') throw new TeamLogRuleError('invalid_entry', 'Only an invited account can be added.');
      if (entry.payload.generation !== previous.generation) throw new TeamLogRuleError('invalid_entry', 'The new member gets the current generation key.');
      if (entry.payload.envelopes[0]?.accountId !== target.accountId) throw new TeamLogRuleError('invalid_entry', 'The key is sealed to the new member.');
      // Without the invitee's own signature a server posing as a coordinator (or a team it invented "created by" a
      // real handle) could make someone a member who never said yes, and show her team as hers.
      const acceptance = teamAcceptanceMessage(teamId, target.inviteSeq, sodium.from_base64(target.inviteHash));
      if (!verifies(sodium, acceptance, entry.payload.acceptance, target.signPublicKey)) {
        throw new TeamLogRuleError('invalid_signature', 'The add carries no acceptance signed by the invitee with the key the invite named.');
      }
      target.status = 'member';
      return { state: next, hash };
    }
    case 'remove': {
      requireCoordinator();
      const target = find(entry.payload.accountId);
      if (!target || target.accountId === author.accountId) throw new TeamLogRuleError('invalid_entry', 'Remove another member or invitee (use leave for yourself).');
      next.members = members.filter((m) => m !== target);
      if (target.status === 'member') {
        if (!entry.payload.rotation) throw new TeamLogRuleError('invalid_entry', 'Removing a member starts a new key generation.');
        applyRotation(next, entry.payload.rotation);
      } else if (entry.payload.rotation) {
        throw new TeamLogRuleError('invalid_entry', 'Withdrawing an invitation needs no new key.');
      }
      return { state: next, hash };
    }
    case 'role': {
      requireCoordinator();
      const target = find(entry.payload.accountId);
      if (target?.status !== 'member') throw new TeamLogRuleError('invalid_entry', 'Only a member can change role.');
      if (target.role === entry.payload.role) throw new TeamLogRuleError('invalid_entry', 'That member already has that role.');
      target.role = entry.payload.role;
      if (!activeMembers().some((m) => m.role === 'coordinator')) throw new TeamLogRuleError('not_allowed', 'A team keeps at least one coordinator.');
      return { state: next, hash };
    }
    case 'leave': {
      next.members = members.filter((m) => m.accountId !== author.accountId);
      const remaining = next.members.filter((m) => m.status === 'member');
      if (author.role === 'coordinator' && remaining.length > 0 && !remaining.some((m) => m.role === 'coordinator')) {
        throw new TeamLogRuleError('not_allowed', 'The last coordinator must name another coordinator before leaving.');
      }
      next.needsRotation = remaining.length > 0;
      return { state: next, hash };
    }
    case 'rotate':
      // After a leave any remaining member may rotate: waiting for a coordinator would leave new documents
      // under a key the leaver holds. Otherwise rotating is a coordinator's decision.
      if (!previous.needsRotation) requireCoordinator();
      applyRotation(next, entry.payload.rotation);
      return { state: next, hash };
  }
}

function applyRotation(state: TeamLogState, rotation: Rotation): void {
  if (rotation.generation !== state.generation + 1) throw new TeamLogRuleError('invalid_entry', `The next key generation is ${state.generation + 1}.`);
  const expected = state.members.filter((m) => m.status === 'member').map((m) => m.accountId).sort();
  const sealedTo = rotation.envelopes.map((e) => e.accountId).sort();
  if (expected.join(',') !== sealedTo.join(',')) throw new TeamLogRuleError('invalid_entry', 'A new key is sealed to every remaining member, once each, and to no one else.');
  state.generation = rotation.generation;
  state.needsRotation = false;
}

function verifySignature(sodium: Sodium, message: Uint8Array, signature: string, signPublicKey: string): void {
  if (!verifies(sodium, message, signature, signPublicKey)) throw new TeamLogRuleError('invalid_signature', "The entry's signature does not verify with its author's key.");
}

export function verifies(sodium: Sodium, message: Uint8Array, signature: string, signPublicKey: string): boolean {
  try {
    return sodium.crypto_sign_verify_detached(sodium.from_base64(signature), message, sodium.from_base64(signPublicKey));
  } catch {
    return false;
  }
}
