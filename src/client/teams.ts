import { isObjectId } from '../shared/ids';
import { teamAcceptanceMessage, teamLogEntryBytes } from '../shared/protocol';
import type { Sodium } from '../shared/sodium';
import {
  applyTeamLogEntry, GENESIS_PREV_HASH, teamLogEntryHash, teamLogEntrySchema, TeamLogRuleError, verifies,
  type Rotation, type TeamLogEntry, type TeamLogState, type TeamMemberState, type TeamRole,
} from '../shared/team-log-rules';
import type { UnlockedAccount } from './account';
import { verifySelfSigned, type PublicKeys } from './crypto/account-keys';
import {
  decryptPreviousKey, decryptTeamName, encryptPreviousKey, encryptTeamName, newTeamKey, openTeamKey, safetyNumber, sealTeamKeyFor, teamKeyCheck,
} from './crypto/team-keys';
import { checkPinnedKeys, MemoryTrustStore, recordCompared, wasCompared, type TrustStore } from './key-pins';
import { TeamVault } from './vault';

/** The team log the server returned does not verify: an entry was dropped, inserted, altered or rolled back. */
export class TeamLogVerificationError extends Error {
  constructor(
    readonly teamId: string,
    reason: string,
  ) {
    super(`The membership log of team ${teamId} does not verify: ${reason}. The server (or someone with access to it) may be tampering with your team.`);
    this.name = 'TeamLogVerificationError';
  }
}

/** The invitee has not accepted (signed) the invitation yet, so there is nothing to carry into an add entry. */
export class InvitationNotAcceptedError extends Error {
  constructor(readonly handle: string) {
    super(`"${handle}" has not accepted the invitation yet.`);
    this.name = 'InvitationNotAcceptedError';
  }
}

/** The invitation the server lists is not a valid invite entry, signed by the inviter, naming this account's own keys. */
export class InvitationVerificationError extends Error {
  constructor(
    readonly teamId: string,
    reason: string,
  ) {
    super(`The invitation to team ${teamId} does not verify: ${reason}. It was not accepted.`);
    this.name = 'InvitationVerificationError';
  }
}

interface SealedName {
  generation: number;
  nonce: string;
  ciphertext: string;
}

interface TeamView {
  teamId: string;
  headSeq: number;
  generation: number;
  sealedName: SealedName;
  members?: { accountId: string; acceptance?: string }[];
}

type WireEntry = TeamLogEntry & { createdAt?: string };

/** Someone whose keys the log introduced. */
export interface KnownAccount {
  accountId: string;
  handle: string;
  boxPublicKey: string;
  signPublicKey: string;
}

/** The log as it stood after one entry: what a document naming that entry as its head was written under. */
export interface LogPosition {
  seq: number;
  hash: string;
  generation: number;
  needsRotation: boolean;
  /** Accounts with status member at that point. */
  members: ReadonlySet<string>;
}

/**
 * What one log entry did, as data (handles, roles, key generations from the verified log) so that each screen can
 * word it in its reader's language; `summary` is the English wording the CLI prints.
 */
export type LogEvent =
  | { kind: 'create'; handle: string }
  | { kind: 'invite'; handle: string }
  | { kind: 'add'; handle: string; generation: number }
  /** Without a new key generation: an invitation withdrawn before any key was given. */
  | { kind: 'remove'; handle: string; newGeneration?: number }
  | { kind: 'role'; handle: string; role: TeamRole }
  | { kind: 'leave' }
  | { kind: 'rotate'; generation: number };

/** The CLI's English line for an entry. */
export function englishLogSummary(event: LogEvent): string {
  switch (event.kind) {
    case 'create': return `${event.handle} created the team`;
    case 'invite': return `invited ${event.handle}`;
    case 'add': return `added ${event.handle} (key generation ${event.generation})`;
    case 'remove': return `removed ${event.handle}${event.newGeneration !== undefined ? `; new key generation ${event.newGeneration}` : ' (invitation withdrawn)'}`;
    case 'role': return `made ${event.handle} ${event.role}`;
    case 'leave': return 'left the team';
    case 'rotate': return `new key generation ${event.generation}`;
  }
}

export interface VerifiedLogEntry {
  seq: number;
  kind: TeamLogEntry['kind'];
  author: string;
  event: LogEvent;
  summary: string;
  hash: string;
  createdAt?: string;
}

export interface TeamMember {
  accountId: string;
  handle: string;
  role: TeamRole;
  status: 'invited' | 'member';
}

/** A team whose whole log this client has replayed and verified; holds the team keys it could open. */
export class Team {
  readonly vault: TeamVault;
  private verified!: { state: TeamLogState; keys: Map<number, Uint8Array>; known: Map<string, KnownAccount>; entries: VerifiedLogEntry[]; positions: LogPosition[] };
  name = '';

  constructor(
    readonly account: UnlockedAccount,
    readonly trust: TrustStore,
    readonly teamId: string,
    /** This device's clock: the time an author claims (and signs) for what she writes. */
    readonly now: () => Date,
  ) {
    this.vault = new TeamVault(this);
  }

  get sodium(): Sodium {
    return this.account.sodium;
  }
  get state(): TeamLogState {
    return this.verified.state;
  }
  get generation(): number {
    return this.verified.state.generation;
  }
  get log(): VerifiedLogEntry[] {
    return this.verified.entries;
  }
  get myRole(): TeamRole {
    return this.verified.state.members.find((m) => m.accountId === this.account.accountId)?.role ?? 'member';
  }

  members(): TeamMember[] {
    return this.verified.state.members.map((m) => ({ accountId: m.accountId, handle: m.handle, role: m.role, status: m.status }));
  }

  /** Downloads the log again and replays it from the genesis entry; throws TeamLogVerificationError if it does not verify. */
  async refresh(): Promise<void> {
    const view = await this.account.api.get<TeamView>(`/v1/teams/${this.teamId}`);
    const entries = await fetchWholeLog(this.account, this.teamId);
    this.verified = await replayTeamLog(this.account, this.trust, this.teamId, entries, this.now());
    const nameKey = this.verified.keys.get(view.sealedName.generation);
    const name = nameKey && decryptTeamName(this.sodium, this.teamId, view.sealedName, nameKey);
    if (name === null || name === undefined) throw new TeamLogVerificationError(this.teamId, 'the team name does not decrypt under any key the log gave you');
    this.name = name;
  }

  /** The team key of a generation, if the log gave it to this account (directly or through the chain of previous keys). */
  keyFor(generation: number): Uint8Array {
    const key = this.verified.keys.get(generation);
    if (!key) throw new TeamLogVerificationError(this.teamId, `no key for generation ${generation} is available to you`);
    return key;
  }

  /** The log as it stood after entry seq, if this device's verified log has that entry. */
  positionAt(seq: number): LogPosition | undefined {
    return this.verified.positions[seq - 1];
  }

  /** The signing key of an author, if the verified log made them a member at that log position. */
  authorAt(accountId: string, seq: number): KnownAccount | undefined {
    return this.positionAt(seq)?.members.has(accountId) ? this.verified.known.get(accountId) : undefined;
  }

  /**
   * Handles of people who hold a generation's key and are no longer members: everyone who was a member while that
   * generation or a later one was current (later members get older keys through the chain of previous keys), minus
   * today's members. Whoever left or was removed since can read what was encrypted under it.
   */
  formerHoldersOf(generation: number): string[] {
    const current = new Set(this.verified.state.members.filter((m) => m.status === 'member').map((m) => m.accountId));
    const holders = new Set<string>();
    for (const position of this.verified.positions) if (position.generation >= generation) for (const id of position.members) holders.add(id);
    return [...holders].filter((id) => !current.has(id)).map((id) => this.handleOf(id));
  }

  /**
   * The head of the verified log, to compare beside the safety number: two members shown the same seq and short hash
   * are looking at the same log (a server freezing or forking it per member shows them different heads).
   */
  logHead(): { seq: number; hash: string; short: string } {
    const { headSeq, headHash } = this.verified.state;
    return { seq: headSeq, hash: headHash, short: headHash.slice(0, 10) };
  }

  handleOf(accountId: string): string {
    return this.verified.known.get(accountId)?.handle ?? accountId;
  }

  /** The 60-digit number to compare face to face with a member or invitee, from the keys the signed log holds for them. */
  safetyNumberWith(handle: string): string {
    const them = this.verified.state.members.find((m) => m.handle === handle);
    if (!them) throw new Error(`"${handle}" is neither a member of nor invited to this team.`);
    return safetyNumber(this.sodium, ownKeys(this.account), them);
  }

  /** Invites an account by handle; its keys are checked against this device's pins (trust on first use). */
  async invite(handle: string): Promise<void> {
    const found = await lookupAccount(this.account, this.trust, handle, this.now());
    await this.refresh();
    await this.append('invite', { accountId: found.accountId, handle: found.handle, boxPublicKey: found.publicKeys.boxPublicKey, signPublicKey: found.publicKeys.signPublicKey });
  }

  /**
   * Seals the current team key to an invitee who has accepted. Compare safetyNumberWith(handle) face to face
   * first: the key is sealed to the keys the invite entry recorded.
   */
  async admit(handle: string): Promise<void> {
    const view = await this.account.api.get<TeamView>(`/v1/teams/${this.teamId}`);
    await this.refresh();
    const target = this.findMember(handle, 'invited');
    // The invitee's signed acceptance travels in the add entry; every reader checks it against the invited key.
    const acceptance = view.members?.find((m) => m.accountId === target.accountId)?.acceptance;
    if (!acceptance) throw new InvitationNotAcceptedError(target.handle);
    const generation = this.generation;
    const sealed = sealTeamKeyFor(this.sodium, this.teamId, generation, this.keyFor(generation), target.boxPublicKey);
    await this.append('add', { accountId: target.accountId, generation, envelopes: [{ accountId: target.accountId, sealed }], acceptance });
    await recordCompared(this.trust, target.handle, target);
  }

  /**
   * Coordinators whose keys nobody compared on this device (no admit by me, no accepted invitation from them). A
   * server can invent a team "created by" a real handle with keys of its own, and a device that never saw that
   * handle pins them on first sight: show these, so the person compares safety numbers before trusting the team.
   */
  async uncomparedCoordinators(): Promise<string[]> {
    const coordinators = this.verified.state.members.filter((m) => m.role === 'coordinator' && m.status === 'member' && m.accountId !== this.account.accountId);
    const unchecked: string[] = [];
    for (const c of coordinators) if (!(await wasCompared(this.trust, c.handle, c))) unchecked.push(c.handle);
    return unchecked;
  }

  /** After comparing safety numbers in person with a member (the CLI's and web app's confirmation). */
  async confirmCompared(handle: string): Promise<void> {
    const them = this.findMember(handle, 'member');
    await recordCompared(this.trust, them.handle, them);
  }

  /**
   * Removes a member (or withdraws an invitation). A member's removal starts a new key generation sealed to everyone
   * else, then re-encrypts the team's current documents under it. Returns how many documents were re-encrypted.
   */
  async remove(handle: string): Promise<number> {
    await this.refresh();
    const target = this.verified.state.members.find((m) => m.handle === handle);
    if (!target) throw new Error(`"${handle}" is neither a member of nor invited to this team.`);
    if (target.status === 'invited') {
      await this.append('remove', { accountId: target.accountId });
      return 0;
    }
    const remaining = this.verified.state.members.filter((m) => m.status === 'member' && m.accountId !== target.accountId);
    const { rotation, sealedName } = this.newGeneration(remaining);
    await this.append('remove', { accountId: target.accountId, rotation }, sealedName);
    return this.vault.reencryptAll();
  }

  /** A new key generation for the current members (after someone left), then re-encrypts current documents. */
  async rotateKey(): Promise<number> {
    await this.refresh();
    const { rotation, sealedName } = this.newGeneration(this.verified.state.members.filter((m) => m.status === 'member'));
    await this.append('rotate', { rotation }, sealedName);
    return this.vault.reencryptAll();
  }

  async setRole(handle: string, role: TeamRole): Promise<void> {
    await this.refresh();
    await this.append('role', { accountId: this.findMember(handle, 'member').accountId, role });
  }

  /** Leaves the team; a coordinator then rotates the key. The last coordinator must name another first. */
  async leave(): Promise<void> {
    await this.refresh();
    await this.append('leave', {}, undefined, false);
  }

  private findMember(handle: string, status: 'invited' | 'member'): TeamMemberState {
    const member = this.verified.state.members.find((m) => m.handle === handle && m.status === status);
    if (!member) throw new Error(status === 'invited' ? `"${handle}" has no pending invitation to this team.` : `"${handle}" is not a member of this team.`);
    return member;
  }

  private newGeneration(members: TeamMemberState[]): { rotation: Rotation; sealedName: SealedName } {
    const { sodium } = this;
    const generation = this.generation + 1;
    const key = newTeamKey(sodium);
    const rotation: Rotation = {
      generation,
      keyCheck: teamKeyCheck(sodium, this.teamId, generation, key),
      envelopes: members.map((m) => ({ accountId: m.accountId, sealed: sealTeamKeyFor(sodium, this.teamId, generation, key, m.boxPublicKey) })),
      previousKey: encryptPreviousKey(sodium, this.teamId, generation, this.keyFor(this.generation), key),
    };
    return { rotation, sealedName: encryptTeamName(sodium, this.teamId, generation, this.name, key) };
  }

  private async append(kind: TeamLogEntry['kind'], payload: unknown, sealedName?: SealedName, refreshAfter = true): Promise<void> {
    const entry = signEntry(this.account, this.teamId, { seq: this.state.headSeq + 1, prevHash: this.state.headHash, kind, payload });
    await this.account.api.post(`/v1/teams/${this.teamId}/log`, { entry, sealedName });
    if (refreshAfter) await this.refresh();
  }
}

function ownKeys(account: UnlockedAccount) {
  return { handle: account.handle, signPublicKey: account.publicKeys.signPublicKey, boxPublicKey: account.publicKeys.boxPublicKey };
}

function signEntry(account: UnlockedAccount, teamId: string, unsigned: { seq: number; prevHash: string; kind: string; payload: unknown }) {
  const { sodium } = account;
  const entry = { ...unsigned, authorAccountId: account.accountId };
  const bytes = teamLogEntryBytes({ ...entry, teamId, prevHash: sodium.from_base64(entry.prevHash) });
  return { ...entry, signature: sodium.to_base64(sodium.crypto_sign_detached(bytes, account.keys.sign.privateKey)) };
}

async function fetchWholeLog(account: UnlockedAccount, teamId: string): Promise<unknown[]> {
  const all: unknown[] = [];
  for (;;) {
    const { entries } = await account.api.get<{ entries: unknown[] }>(`/v1/teams/${teamId}/log?afterSeq=${all.length}&limit=1000`);
    all.push(...entries);
    if (entries.length < 1000) return all;
  }
}

/**
 * Replays the whole log from the genesis entry with the same rules the server applies, and trusts nothing else:
 * members, roles, keys and envelopes come only from signed entries. Also checks keys against this device's
 * pins, that the log has not been cut back below what this device saw before, and opens the team keys.
 */
export async function replayTeamLog(account: UnlockedAccount, trust: TrustStore, teamId: string, rawEntries: unknown[], now: Date) {
  const { sodium } = account;
  const fail = (reason: string): never => {
    throw new TeamLogVerificationError(teamId, reason);
  };
  let state: TeamLogState | null = null;
  const hashes: string[] = [];
  const known = new Map<string, KnownAccount>();
  const keyChecks = new Map<number, string>();
  const envelopes = new Map<number, string>();
  const previousKeys = new Map<number, { nonce: string; ciphertext: string }>();
  const entries: VerifiedLogEntry[] = [];
  const positions: LogPosition[] = [];

  for (const raw of rawEntries) {
    const { createdAt, ...rest } = raw as WireEntry;
    const parsed = teamLogEntrySchema.safeParse(rest);
    if (!parsed.success) fail(`entry ${hashes.length + 1} is malformed`);
    const entry = parsed.data!;
    let applied: { state: TeamLogState; hash: string };
    try {
      applied = applyTeamLogEntry(sodium, teamId, state, entry);
    } catch (error) {
      if (error instanceof TeamLogRuleError) fail(`entry ${entry.seq} (${entry.kind}): ${error.message}`);
      throw error;
    }
    state = applied.state;
    hashes.push(applied.hash);

    const introduce = async (accountId: string, keys: { handle: string; boxPublicKey: string; signPublicKey: string }) => {
      if (keys.handle === account.handle || accountId === account.accountId) {
        if (accountId !== account.accountId || keys.boxPublicKey !== account.publicKeys.boxPublicKey || keys.signPublicKey !== account.publicKeys.signPublicKey) {
          fail(`entry ${entry.seq} binds your handle or account to keys that are not yours`);
        }
      } else {
        await checkPinnedKeys(trust, keys.handle, { accountId, boxPublicKey: keys.boxPublicKey, signPublicKey: keys.signPublicKey }, now);
      }
      known.set(accountId, { accountId, handle: keys.handle, boxPublicKey: keys.boxPublicKey, signPublicKey: keys.signPublicKey });
    };
    const recordRotation = (rotation: Rotation) => {
      keyChecks.set(rotation.generation, rotation.keyCheck);
      previousKeys.set(rotation.generation, rotation.previousKey);
      const mine = rotation.envelopes.find((e) => e.accountId === account.accountId);
      if (mine) envelopes.set(rotation.generation, mine.sealed);
    };

    let event: LogEvent;
    switch (entry.kind) {
      case 'create':
        await introduce(entry.authorAccountId, entry.payload);
        keyChecks.set(1, entry.payload.keyCheck);
        if (entry.authorAccountId === account.accountId) envelopes.set(1, entry.payload.envelopes[0]!.sealed);
        event = { kind: 'create', handle: entry.payload.handle };
        break;
      case 'invite':
        await introduce(entry.payload.accountId, entry.payload);
        event = { kind: 'invite', handle: entry.payload.handle };
        break;
      case 'add': {
        const target = known.get(entry.payload.accountId);
        if (entry.payload.accountId === account.accountId) envelopes.set(entry.payload.generation, entry.payload.envelopes[0]!.sealed);
        event = { kind: 'add', handle: target?.handle ?? entry.payload.accountId, generation: entry.payload.generation };
        break;
      }
      case 'remove':
        if (entry.payload.rotation) recordRotation(entry.payload.rotation);
        event = { kind: 'remove', handle: known.get(entry.payload.accountId)?.handle ?? entry.payload.accountId, ...(entry.payload.rotation ? { newGeneration: entry.payload.rotation.generation } : {}) };
        break;
      case 'role':
        event = { kind: 'role', handle: known.get(entry.payload.accountId)?.handle ?? entry.payload.accountId, role: entry.payload.role };
        break;
      case 'leave':
        event = { kind: 'leave' };
        break;
      case 'rotate':
        recordRotation(entry.payload.rotation);
        event = { kind: 'rotate', generation: entry.payload.rotation.generation };
        break;
    }
    positions.push({
      seq: state.headSeq, hash: state.headHash, generation: state.generation, needsRotation: state.needsRotation,
      members: new Set(state.members.filter((m) => m.status === 'member').map((m) => m.accountId)),
    });
    entries.push({ seq: entry.seq, kind: entry.kind, author: known.get(entry.authorAccountId)?.handle ?? entry.authorAccountId, event, summary: englishLogSummary(event), hash: applied.hash, createdAt });
  }

  if (!state) return fail('the log is empty');
  if (!state.members.some((m) => m.accountId === account.accountId && m.status === 'member')) fail('the signed log does not make you a member of this team');

  // A server that cuts the log back (to before a removal, say) is caught by what this device saw before.
  const markKey = `log:${teamId}`;
  const mark = await trust.getMark(markKey);
  if (mark) {
    if (mark.position > state.headSeq) fail(`this device has seen entry ${mark.position}, but the log now ends at ${state.headSeq}`);
    if (hashes[mark.position - 1] !== mark.hash) fail(`entry ${mark.position} is not the one this device saw`);
  }
  await trust.setMark(markKey, { position: state.headSeq, hash: state.headHash });

  const keys = new Map<number, Uint8Array>();
  for (const [generation, sealed] of envelopes) {
    const key = openTeamKey(sodium, teamId, generation, sealed, account.keys.box);
    if (!key || teamKeyCheck(sodium, teamId, generation, key) !== keyChecks.get(generation)) fail(`the key for generation ${generation} sealed to you does not match the log's key check`);
    keys.set(generation, key!);
  }
  for (let generation = state.generation; generation > 1; generation -= 1) {
    const newer = keys.get(generation);
    const sealedPrevious = previousKeys.get(generation);
    if (!newer || !sealedPrevious || keys.has(generation - 1)) continue;
    const older = decryptPreviousKey(sodium, teamId, generation, sealedPrevious, newer);
    if (!older || teamKeyCheck(sodium, teamId, generation - 1, older) !== keyChecks.get(generation - 1)) fail(`the previous key stored with generation ${generation} does not match the log`);
    keys.set(generation - 1, older!);
  }
  if (!keys.has(state.generation)) fail(`no key for the current generation ${state.generation} was sealed to you`);
  return { state, keys, known, entries, positions };
}

/** Public keys by handle, checked for their self-signature and against this device's pins. */
export async function lookupAccount(account: UnlockedAccount, trust: TrustStore, handle: string, now: Date): Promise<{ accountId: string; handle: string; publicKeys: PublicKeys }> {
  const normalised = handle.trim().toLowerCase();
  const found = await account.api.get<{ id: string; handle: string; publicKeys: PublicKeys }>(`/v1/accounts/${encodeURIComponent(normalised)}/public-keys`);
  if (found.handle !== normalised || !verifySelfSigned(account.sodium, found.handle, found.publicKeys)) {
    throw new Error(`The server returned keys for "${normalised}" that are not self-signed by that handle.`);
  }
  await checkPinnedKeys(trust, found.handle, { accountId: found.id, boxPublicKey: found.publicKeys.boxPublicKey, signPublicKey: found.publicKeys.signPublicKey }, now);
  return { accountId: found.id, handle: found.handle, publicKeys: found.publicKeys };
}

/**
 * Checks what an acceptance will sign: an invite entry of this team, at the seq named, signed by the inviter's looked-up
 * key, naming this account with its own keys. Returns the entry's hash. (Whether the inviter may invite is for the
 * log rules to say once the invitee is a member and replays the whole log.)
 */
function verifyInviteEntry(account: UnlockedAccount, teamId: string, invitation: Invitation, inviter: { accountId: string; publicKeys: PublicKeys }): Uint8Array {
  const fail = (reason: string): never => {
    throw new InvitationVerificationError(teamId, reason);
  };
  const { createdAt: _createdAt, ...rest } = (invitation.inviteEntry ?? {}) as WireEntry;
  const parsed = teamLogEntrySchema.safeParse(rest);
  if (!parsed.success || parsed.data.kind !== 'invite') return fail('the invite entry is malformed');
  const entry = parsed.data;
  if (entry.seq !== invitation.inviteSeq || entry.authorAccountId !== inviter.accountId || entry.authorAccountId !== invitation.invitedBy.accountId) fail('the invite entry is not the one listed');
  const mine = account.publicKeys;
  if (entry.payload.accountId !== account.accountId || entry.payload.handle !== account.handle || entry.payload.boxPublicKey !== mine.boxPublicKey || entry.payload.signPublicKey !== mine.signPublicKey) {
    fail('the invite entry names keys that are not yours');
  }
  const { sodium } = account;
  const bytes = teamLogEntryBytes({ ...entry, teamId, prevHash: sodium.from_base64(entry.prevHash) });
  if (!verifies(sodium, bytes, entry.signature, inviter.publicKeys.signPublicKey)) fail("the invite entry is not signed by the inviter's key");
  return teamLogEntryHash(sodium, teamId, entry);
}

export interface Invitation {
  teamId: string;
  inviteSeq: number;
  invitedBy: { accountId: string; handle: string };
  accepted: boolean;
  createdAt: string;
  inviteEntry: unknown;
}

/** Teams for one signed-in account: create, list, open (verified), invitations. */
export class Teams {
  constructor(
    readonly account: UnlockedAccount,
    readonly trust: TrustStore = new MemoryTrustStore(),
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(name: string): Promise<Team> {
    const { sodium } = this.account;
    const trimmed = name.trim();
    if (trimmed.length === 0 || trimmed.length > 200) throw new Error('A team name is 1-200 characters.');
    // The server mints the id (so a taken id cannot be probed); it is then bound into the signed entry.
    const { teamId } = await this.account.api.post<{ teamId: string }>('/v1/team-ids', {});
    const key = newTeamKey(sodium);
    const payload = {
      handle: this.account.handle, boxPublicKey: this.account.publicKeys.boxPublicKey, signPublicKey: this.account.publicKeys.signPublicKey,
      generation: 1, keyCheck: teamKeyCheck(sodium, teamId, 1, key),
      envelopes: [{ accountId: this.account.accountId, sealed: sealTeamKeyFor(sodium, teamId, 1, key, this.account.publicKeys.boxPublicKey) }],
    };
    const entry = signEntry(this.account, teamId, { seq: 1, prevHash: sodium.to_base64(GENESIS_PREV_HASH), kind: 'create', payload });
    await this.account.api.post('/v1/teams', { teamId, entry, sealedName: encryptTeamName(sodium, teamId, 1, trimmed, key) });
    return this.open(teamId);
  }

  async open(teamId: string): Promise<Team> {
    const team = new Team(this.account, this.trust, teamId, this.now);
    await team.refresh();
    return team;
  }

  /** Every team I belong to, each verified. */
  async list(): Promise<Team[]> {
    const { teams } = await this.account.api.get<{ teams: TeamView[] }>('/v1/teams');
    const opened: Team[] = [];
    for (const view of teams) opened.push(await this.open(view.teamId));
    return opened;
  }

  /**
   * Every team I belong to, each opened and verified on its own: a team accepted but whose key is not sealed
   * to me yet, or one whose keys or log do not verify, comes back with its error and hides none of the others.
   * The caller tells the two apart: a failed verification may be an attack and must be shown as one.
   */
  async openEach(): Promise<{ opened: Team[]; failed: Array<{ teamId: string; error: unknown }> }> {
    const { teams } = await this.account.api.get<{ teams: TeamView[] }>('/v1/teams');
    const opened: Team[] = [];
    const failed: Array<{ teamId: string; error: unknown }> = [];
    for (const { teamId } of teams) {
      try {
        opened.push(await this.open(teamId));
      } catch (error) {
        failed.push({ teamId, error });
      }
    }
    return { opened, failed };
  }

  /** A team by id, or by its (decrypted) name. */
  async find(idOrName: string): Promise<Team> {
    if (isObjectId(idOrName)) return this.open(idOrName);
    const matches = (await this.list()).filter((t) => t.name === idOrName);
    if (matches.length !== 1) throw new Error(matches.length === 0 ? `You are in no team named "${idOrName}".` : `Several teams are named "${idOrName}"; use the id.`);
    return matches[0]!;
  }

  async invitations(): Promise<Invitation[]> {
    return (await this.account.api.get<{ invitations: Invitation[] }>('/v1/invitations')).invitations;
  }

  /**
   * Accepts an invitation: to be done after comparing the safety number with the inviter (shown beside it), so the
   * inviter's current keys are recorded as compared on this device.
   */
  async accept(teamId: string): Promise<void> {
    const invitation = (await this.invitations()).find((i) => i.teamId === teamId);
    if (!invitation) throw new InvitationVerificationError(teamId, 'the server lists no invitation to it');
    // Looked up (and checked against the pins) first: a changed key stops the acceptance.
    const inviter = await this.lookup(invitation.invitedBy.handle);
    const inviteHash = verifyInviteEntry(this.account, teamId, invitation, inviter);
    const { sodium } = this.account;
    const signature = sodium.crypto_sign_detached(teamAcceptanceMessage(teamId, invitation.inviteSeq, inviteHash), this.account.keys.sign.privateKey);
    await this.account.api.post(`/v1/invitations/${teamId}/accept`, { signature: sodium.to_base64(signature) });
    await recordCompared(this.trust, inviter.handle, inviter.publicKeys);
  }

  /** Looks up (and pins) an account's keys by handle. */
  lookup(handle: string) {
    return lookupAccount(this.account, this.trust, handle, this.now());
  }

  /** The safety number between me and an account, from the keys the server returns now (pinned on first use). */
  async safetyNumberWith(handle: string): Promise<string> {
    const found = await this.lookup(handle);
    return safetyNumber(this.account.sodium, ownKeys(this.account), { handle: found.handle, ...found.publicKeys });
  }
}

