import type { AccountRecord } from './account.model';
import type { AccountView, SessionView } from './account.schemas';
import type { SessionRecord } from './session.model';

export function toAccountView(account: AccountRecord): AccountView {
  return {
    id: account.id as string,
    handle: account.handle,
    kdf: { algorithm: 'argon2id13', opslimit: account.kdf.opslimit, memlimit: account.kdf.memlimit, salt: account.kdf.salt },
    publicKeys: { ...pick(account.publicKeys) },
    encryptedPrivateKeys: { nonce: account.encryptedPrivateKeys.nonce, ciphertext: account.encryptedPrivateKeys.ciphertext },
    createdAt: account.createdAt.toISOString(),
  };
}

function pick(keys: AccountRecord['publicKeys']) {
  return { boxPublicKey: keys.boxPublicKey, signPublicKey: keys.signPublicKey, selfSignature: keys.selfSignature };
}

export function toPublicAccountView(account: AccountRecord) {
  return { id: account.id as string, handle: account.handle, publicKeys: pick(account.publicKeys) };
}

export function toSessionView(session: SessionRecord, currentSessionId?: string): SessionView {
  const view: SessionView = {
    id: session.id as string,
    createdAt: session.createdAt.toISOString(),
    expiresAt: session.expiresAt.toISOString(),
    lastUsedAt: session.lastUsedAt.toISOString(),
    viaRecovery: session.viaRecovery,
    current: session.id === currentSessionId,
  };
  if (session.deviceLabel) view.deviceLabel = session.deviceLabel;
  return view;
}
