import type { TrustRecords } from '../../../client';

/**
 * The browser's persistent trust store: opaque records in IndexedDB (ids are keyed hashes, values ciphertext, see
 * EncryptedTrustStore), so key pins and log/version marks survive auto-lock and page loads. Without them every unlock
 * was a fresh device, and the server could substitute keys or roll a log back unseen. "Sign out on this device"
 * deletes the database with the rest of the site's storage (Clear-Site-Data).
 */
const DATABASE = 'meshwork-trust';
const STORE = 'records';

let opening: Promise<IDBDatabase> | null = null;

function database(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB could not be opened'));
  }).catch((error: unknown) => {
    opening = null;
    throw error;
  });
  return opening;
}

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

export const indexedDbTrustRecords: TrustRecords = {
  async get(id) {
    const db = await database();
    const value = await done(db.transaction(STORE, 'readonly').objectStore(STORE).get(id));
    return typeof value === 'string' ? value : undefined;
  },
  async put(id, value) {
    const db = await database();
    const transaction = db.transaction(STORE, 'readwrite');
    transaction.objectStore(STORE).put(value, id);
    await new Promise<void>((resolve, reject) => {
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB write failed'));
    });
  },
};
