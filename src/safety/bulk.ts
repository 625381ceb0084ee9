import { randomBytes } from 'node:crypto';
import type { Model } from 'mongoose';

/**
 * The few bulk operations a burst is handled with (no transactions: each document's change stays one
 * guarded atomic update inside the bulk, so a crash between two bulk steps leaves documents that the
 * single-document recovery paths already know).
 */

/** Names one batch claim: `updateMany` writes it on every document it takes, `find({claimToken})` reads them back. */
export function newClaimToken(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * Inserts `docs` with one unordered command; returns the indexes of those refused as duplicates of a
 * unique key (a replay after a crash, or another instance first): each caller handles those per item.
 * Any other error is thrown. Documents are built and validated by the model first (defaults, casting),
 * because an unordered mongoose insertMany skips an invalid document silently.
 */
export async function insertManyKeepingDuplicates<T>(model: Model<T>, docs: Array<Record<string, unknown>>): Promise<Set<number>> {
  if (docs.length === 0) return new Set();
  const raw = docs.map((fields) => {
    const doc = new model(fields);
    const invalid = doc.validateSync();
    if (invalid) throw invalid;
    return doc.toObject({ depopulate: true, versionKey: false, virtuals: false, getters: false }) as Record<string, unknown>;
  });
  try {
    await model.collection.insertMany(raw as never[], { ordered: false });
    return new Set();
  } catch (error) {
    const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
    const list = (Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : []) as Array<{ index: number; code?: number }>;
    if (list.length === 0 || list.some((e) => e.code !== 11000)) throw error;
    return new Set(list.map((e) => e.index));
  }
}

/**
 * Statements per `update` command of a bulk: FerretDB v1 keeps a PostgreSQL connection per statement until
 * the command ends, from a pool of 50, so an update of about 50 statements waits forever for itself (48
 * answered, 50 did not); the embedded proxy budgets the connections of concurrent commands
 * (src/db/ferretdb/locks/locks.go). So a batch's bulk goes in chunks well below that.
 */
export const BULK_CHUNK = 16;

/** A bulk of guarded single-document updates, BULK_CHUNK per command; returns how many documents changed. */
export async function bulkUpdate<T>(model: Model<T>, ops: Parameters<Model<T>['bulkWrite']>[0]): Promise<number> {
  let modified = 0;
  for (const part of chunk(ops, BULK_CHUNK)) modified += (await model.bulkWrite(part)).modifiedCount;
  return modified;
}

/** Splits `items` into groups of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let i = 0; i < items.length; i += size) groups.push(items.slice(i, i + size));
  return groups;
}
