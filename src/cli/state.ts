import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { KdfParams, PublicKeys, SealedBlob } from '../client/crypto/account-keys';
import type { SessionInfo } from '../client/account';
import type { Mark, PinnedKeys, TrustStore } from '../client/key-pins';

/** What the CLI keeps on this device. The private keys stay wrapped under a key only the password derives. */
export interface CliState {
  server?: string;
  account?: {
    accountId: string;
    handle: string;
    token: string;
    session: SessionInfo;
    kdf: KdfParams;
    publicKeys: PublicKeys;
    encryptedPrivateKeys: SealedBlob;
  };
  /** Per signed-in handle: keys seen (trust on first use) and the newest log entries and versions seen. */
  trust: Record<string, { pins: Record<string, PinnedKeys>; marks: Record<string, Mark> }>;
}

export function defaultStatePath(): string {
  return process.env.MESHWORK_STATE || path.join(homedir(), '.meshwork', 'state.json');
}

export class StateFile {
  constructor(readonly file: string) {}

  load(): CliState {
    if (!existsSync(this.file)) return { trust: {} };
    const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as CliState;
    return { ...parsed, trust: parsed.trust ?? {} };
  }

  /** Written to a temporary file and renamed, mode 0600: a crash never leaves half a file, and other users cannot read it. */
  save(state: CliState): void {
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, this.file);
  }
}

/** The client library's TrustStore, kept in the state file under the signed-in handle. */
export class FileTrustStore implements TrustStore {
  constructor(
    private readonly stateFile: StateFile,
    private readonly handle: string,
  ) {}

  private section(state: CliState) {
    state.trust[this.handle] ??= { pins: {}, marks: {} };
    return state.trust[this.handle]!;
  }
  async getPin(handle: string) {
    return this.section(this.stateFile.load()).pins[handle];
  }
  async setPin(handle: string, keys: PinnedKeys) {
    const state = this.stateFile.load();
    this.section(state).pins[handle] = keys;
    this.stateFile.save(state);
  }
  async getMark(key: string) {
    return this.section(this.stateFile.load()).marks[key];
  }
  async setMark(key: string, mark: Mark) {
    const state = this.stateFile.load();
    this.section(state).marks[key] = mark;
    this.stateFile.save(state);
  }
}
