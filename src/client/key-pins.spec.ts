import assert from 'node:assert/strict';
import { loadSodium, type Sodium } from '../shared/sodium';
import { checkPinnedKeys, EncryptedTrustStore, KeyChangedError, TrustStoreTamperedError, type TrustRecords } from './key-pins';

/** What IndexedDB holds for the web app, as a plain map the test can read and tamper with. */
function recordsInMemory(): TrustRecords & { all: Map<string, string> } {
  const all = new Map<string, string>();
  return { all, get: async (id) => all.get(id), put: async (id, value) => void all.set(id, value) };
}

describe("The browser's encrypted trust store", () => {
  let sodium: Sodium;
  const seen = { accountId: 'a'.repeat(24), boxPublicKey: 'box-key-of-cora', signPublicKey: 'sign-key-of-cora' };

  before(async () => {
    sodium = await loadSodium();
  });

  it('remembers pins and marks across instances (a page load, an unlock) and flags a key change', async () => {
    const records = recordsInMemory();
    const privateKey = sodium.crypto_box_keypair().privateKey;
    const first = new EncryptedTrustStore(sodium, privateKey, records);
    await checkPinnedKeys(first, 'team-cora', seen, new Date('2026-12-01T10:00:00Z'));
    await first.setMark('log:team-1', { position: 7, hash: 'head-hash' });

    const afterUnlock = new EncryptedTrustStore(sodium, Uint8Array.from(privateKey), records);
    assert.deepEqual(await afterUnlock.getMark('log:team-1'), { position: 7, hash: 'head-hash' });
    await assert.rejects(checkPinnedKeys(afterUnlock, 'team-cora', { ...seen, signPublicKey: 'substituted' }, new Date()), KeyChangedError);
  });

  it('stores neither handles, team ids nor keys in clear', async () => {
    const records = recordsInMemory();
    const store = new EncryptedTrustStore(sodium, sodium.crypto_box_keypair().privateKey, records);
    await checkPinnedKeys(store, 'team-cora', seen, new Date());
    await store.setMark('log:0123456789abcdef01234567', { position: 3, hash: 'head-hash' });
    const dump = JSON.stringify([...records.all]);
    for (const secret of ['team-cora', 'box-key-of-cora', '0123456789abcdef01234567', 'head-hash']) assert.ok(!dump.includes(secret), secret);
    assert.equal(records.all.size, 2);
  });

  it('refuses a record moved to another name or altered, and reads nothing under another account', async () => {
    const records = recordsInMemory();
    const privateKey = sodium.crypto_box_keypair().privateKey;
    const store = new EncryptedTrustStore(sodium, privateKey, records);
    await store.setMark('doc:t:old', { position: 1, hash: 'old' });
    await store.setMark('doc:t:new', { position: 9, hash: 'new' });
    const [[oldId, oldValue], [newId]] = [...records.all] as [[string, string], [string, string]];
    records.all.set(newId, oldValue);
    await assert.rejects(store.getMark('doc:t:new'), TrustStoreTamperedError);
    records.all.set(oldId, `${oldValue.slice(0, -2)}AA`);
    await assert.rejects(store.getMark('doc:t:old'), TrustStoreTamperedError);

    const someoneElse = new EncryptedTrustStore(sodium, sodium.crypto_box_keypair().privateKey, records);
    assert.equal(await someoneElse.getMark('doc:t:new'), undefined, 'another account looks under other record ids');
  });

  it('refuses to read or write once the account is locked (its private key zeroed)', async () => {
    const privateKey = sodium.crypto_box_keypair().privateKey;
    const store = new EncryptedTrustStore(sodium, privateKey, recordsInMemory());
    sodium.memzero(privateKey);
    await assert.rejects(store.setMark('log:t', { position: 1, hash: 'h' }), /locked/);
    await assert.rejects(store.getPin('team-cora'), /locked/);
  });
});
