import { loadSodium, type Sodium } from '../shared/sodium';
import {
  type AccountKeyPairs, type KdfParams, type PublicKeys, type SealedBlob,
  deriveFromPassword, deriveFromRecoveryKey, generateAccountKeys, newKdfParams, selfSignedPublicKeys, unwrapPrivateKeys, verifySelfSigned, wrapPrivateKeys,
} from './crypto/account-keys';
import { ApiClient, type ApiOptions } from './http';
import { recoveryKeyToWords, wordsToRecoveryKey, type RecoveryWordsLanguage } from './recovery-words';

interface AccountView {
  id: string;
  handle: string;
  kdf: KdfParams;
  publicKeys: PublicKeys;
  encryptedPrivateKeys: SealedBlob;
  createdAt: string;
}

export interface SessionInfo {
  id: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string;
  viaRecovery: boolean;
  deviceLabel?: string;
  current: boolean;
}

interface SignInReply {
  token: string;
  session: SessionInfo;
  account: AccountView;
}

/** A signed-in account with its private keys unlocked in memory. Call lock() to wipe them. */
export class UnlockedAccount {
  constructor(
    readonly sodium: Sodium,
    readonly api: ApiClient,
    readonly accountId: string,
    readonly handle: string,
    readonly keys: AccountKeyPairs,
    readonly publicKeys: PublicKeys,
    readonly session: SessionInfo,
    /** the salt and parameters the current password was derived with, when this object knows them (a device pins them) */
    readonly kdf?: KdfParams,
  ) {}

  get token(): string {
    return this.api.token ?? '';
  }

  listSessions(): Promise<{ sessions: SessionInfo[] }> {
    return this.api.get('/v1/sessions');
  }

  revokeSession(sessionId: string): Promise<void> {
    return this.api.delete(`/v1/sessions/${encodeURIComponent(sessionId)}`);
  }

  async signOut(): Promise<void> {
    await this.api.delete('/v1/sessions/current');
    this.lock();
  }

  async signOutEverywhere(): Promise<number> {
    const { revoked } = await this.api.delete<{ revoked: number }>('/v1/sessions');
    this.lock();
    return revoked;
  }

  /** Re-wraps the private keys under a key from the new password; every other session is closed. */
  async changePassword(currentPassword: string, newPassword: string): Promise<UnlockedAccount> {
    const { kdf } = await this.api.get<{ kdf: KdfParams }>(`/v1/accounts/prelogin?handle=${encodeURIComponent(this.handle)}`);
    const current = deriveFromPassword(this.sodium, currentPassword, kdf);
    return this.setPassword(newPassword, this.sodium.to_base64(current.authKey));
  }

  async setPassword(newPassword: string, currentAuthKey?: string, recovery?: { recoveryAuthKey: string; recoveryEncryptedPrivateKeys: SealedBlob }): Promise<UnlockedAccount> {
    const kdf = newKdfParams(this.sodium);
    const derived = deriveFromPassword(this.sodium, newPassword, kdf);
    const body = {
      currentAuthKey,
      kdf,
      authKey: this.sodium.to_base64(derived.authKey),
      encryptedPrivateKeys: wrapPrivateKeys(this.sodium, this.keys, derived.keyEncryptionKey, this.handle, 'password'),
      recovery,
    };
    const reply = await this.api.put<SignInReply>('/v1/account/password', body);
    return new UnlockedAccount(this.sodium, this.api.withToken(reply.token), reply.account.id, this.handle, this.keys, this.publicKeys, reply.session, kdf);
  }

  /** Panic wipe: the server deletes the account and everything it owns. */
  async deleteAccount(password: string): Promise<void> {
    const { kdf } = await this.api.get<{ kdf: KdfParams }>(`/v1/accounts/prelogin?handle=${encodeURIComponent(this.handle)}`);
    const derived = deriveFromPassword(this.sodium, password, kdf);
    await this.api.delete('/v1/account', { authKey: this.sodium.to_base64(derived.authKey) });
    this.lock();
  }

  /** Wipes private keys from memory; the object is unusable for crypto afterwards. */
  lock(): void {
    this.sodium.memzero(this.keys.box.privateKey);
    this.sodium.memzero(this.keys.sign.privateKey);
  }
}

export interface Registration {
  accountId: string;
  handle: string;
  /** 24 words; show once, never store. */
  recoveryWords: string;
}

export interface Recovered {
  account: UnlockedAccount;
  /** The new 24 words (the ones just used no longer work); show once, never store. */
  recoveryWords: string;
}

/** The reference client for accounts: all key derivation and wrapping happens here, never on the server. */
export class MeshworkClient {
  readonly api: ApiClient;
  private constructor(readonly sodium: Sodium, options: ApiOptions) {
    this.api = new ApiClient(options);
  }

  static async connect(options: ApiOptions): Promise<MeshworkClient> {
    return new MeshworkClient(await loadSodium(), options);
  }

  /** wordsLanguage: the BIP-39 list the recovery words are shown in (any list is accepted on recovery). */
  async register(handle: string, password: string, options: { wordsLanguage?: RecoveryWordsLanguage } = {}): Promise<Registration> {
    const { sodium } = this;
    const kdf = newKdfParams(sodium);
    const fromPassword = deriveFromPassword(sodium, password, kdf);
    const recoveryKey = sodium.randombytes_buf(32);
    const fromRecovery = deriveFromRecoveryKey(sodium, recoveryKey);
    const normalisedHandle = handle.trim().toLowerCase();
    const keys = generateAccountKeys(sodium);
    const body = {
      handle: normalisedHandle,
      kdf,
      authKey: sodium.to_base64(fromPassword.authKey),
      recoveryAuthKey: sodium.to_base64(fromRecovery.authKey),
      publicKeys: selfSignedPublicKeys(sodium, normalisedHandle, keys),
      encryptedPrivateKeys: wrapPrivateKeys(sodium, keys, fromPassword.keyEncryptionKey, normalisedHandle, 'password'),
      recoveryEncryptedPrivateKeys: wrapPrivateKeys(sodium, keys, fromRecovery.keyEncryptionKey, normalisedHandle, 'recovery'),
    };
    const reply = await this.api.post<{ id: string; handle: string }>('/v1/accounts', body);
    const recoveryWords = recoveryKeyToWords(recoveryKey, options.wordsLanguage);
    sodium.memzero(recoveryKey);
    return { accountId: reply.id, handle: reply.handle, recoveryWords };
  }

  /** The salt and argon2id parameters the server gives for a handle (not secret; a device compares them with its pin). */
  async prelogin(handle: string): Promise<KdfParams> {
    const { kdf } = await this.api.get<{ kdf: KdfParams }>(`/v1/accounts/prelogin?handle=${encodeURIComponent(handle.trim().toLowerCase())}`);
    return kdf;
  }

  /**
   * options.kdf: parameters the caller already fetched with prelogin() and checked against its pin, so the password is
   * derived with exactly what was checked (a second prelogin could answer differently).
   */
  async signIn(handle: string, password: string, deviceLabel?: string, options: { kdf?: KdfParams } = {}): Promise<UnlockedAccount> {
    const normalisedHandle = handle.trim().toLowerCase();
    const kdf = options.kdf ?? (await this.prelogin(normalisedHandle));
    const derived = deriveFromPassword(this.sodium, password, kdf);
    const reply = await this.api.post<SignInReply>('/v1/sessions', { handle: normalisedHandle, authKey: this.sodium.to_base64(derived.authKey), deviceLabel });
    return this.unlock(reply, derived.keyEncryptionKey, kdf);
  }

  /**
   * Lost password: the recovery words open a short session in which a new password is set, together with a new
   * recovery key (new words, to show once): words that were typed somewhere to recover may have been seen, so they
   * stop working as soon as they are used.
   */
  async recoverAccount(handle: string, recoveryWords: string, newPassword: string, options: { wordsLanguage?: RecoveryWordsLanguage } = {}): Promise<Recovered> {
    const { sodium } = this;
    const normalisedHandle = handle.trim().toLowerCase();
    const derived = deriveFromRecoveryKey(sodium, wordsToRecoveryKey(recoveryWords));
    const reply = await this.api.post<{ token: string; session: SessionInfo; handle: string; publicKeys: PublicKeys; recoveryEncryptedPrivateKeys: SealedBlob }>(
      '/v1/sessions/recovery',
      { handle: normalisedHandle, recoveryAuthKey: sodium.to_base64(derived.authKey) },
    );
    this.assertKeysVouchedFor(reply.handle, reply.publicKeys);
    const keys = unwrapPrivateKeys(sodium, reply.recoveryEncryptedPrivateKeys, derived.keyEncryptionKey, reply.handle, 'recovery', reply.publicKeys);
    const recovering = new UnlockedAccount(sodium, this.api.withToken(reply.token), '', reply.handle, keys, reply.publicKeys, reply.session);
    const recoveryKey = sodium.randombytes_buf(32);
    const fromRecovery = deriveFromRecoveryKey(sodium, recoveryKey);
    const recovery = { recoveryAuthKey: sodium.to_base64(fromRecovery.authKey), recoveryEncryptedPrivateKeys: wrapPrivateKeys(sodium, keys, fromRecovery.keyEncryptionKey, reply.handle, 'recovery') };
    sodium.memzero(fromRecovery.keyEncryptionKey);
    const account = await recovering.setPassword(newPassword, undefined, recovery);
    const words = recoveryKeyToWords(recoveryKey, options.wordsLanguage);
    sodium.memzero(recoveryKey);
    return { account, recoveryWords: words };
  }

  private unlock(reply: SignInReply, keyEncryptionKey: Uint8Array, kdf: KdfParams): UnlockedAccount {
    const { account } = reply;
    this.assertKeysVouchedFor(account.handle, account.publicKeys);
    const keys = unwrapPrivateKeys(this.sodium, account.encryptedPrivateKeys, keyEncryptionKey, account.handle, 'password', account.publicKeys);
    this.sodium.memzero(keyEncryptionKey);
    return new UnlockedAccount(this.sodium, this.api.withToken(reply.token), account.id, account.handle, keys, account.publicKeys, reply.session, kdf);
  }

  private assertKeysVouchedFor(handle: string, publicKeys: PublicKeys): void {
    if (!verifySelfSigned(this.sodium, handle, publicKeys)) throw new Error('The server returned public keys that are not self-signed for this handle.');
  }
}
