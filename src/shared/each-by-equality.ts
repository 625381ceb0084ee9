import type { Model, SortOrder } from 'mongoose';
import { forEachConcurrently } from './concurrency';

/**
 * Reads and guarded updates over a list of keys, one equality query per key. FerretDB v1 pushes only a top-level
 * `{field: value}` down to PostgreSQL (where a GIN index serves it); `{field: {$in: [...]}}` is filtered in Go
 * after reading every row of the collection. So on a collection that grows with the defenders, a few equality
 * queries cost what the keys select, where one `$in` costs the whole collection. On MongoDB both are indexed.
 */

/** In flight at once: a handful of keys is the usual case, and a burst should not take every connection. */
const DEFAULT_CONCURRENCY = 8;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyModel = Model<any>;

export interface EachOptions {
  /** Further conditions of every query (not pushed down unless they are top-level equalities themselves). */
  where?: Record<string, unknown>;
  projection?: Record<string, 0 | 1>;
  /** Per query: e.g. the newest 50 of each owner, for a caller that merges them and keeps the newest 50 overall. */
  sort?: Record<string, SortOrder>;
  limit?: number;
  concurrency?: number;
}

/** The values once each (compared as strings, so an ObjectId and its hex string are one key), in first-seen order. */
export function distinctKeys<V>(values: readonly V[]): V[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = String(value);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** fn for each item, at most `limit` at once, the results in the items' order. */
async function mapConcurrently<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  await forEachConcurrently(items.map((_item, at) => at), limit, async (at) => {
    results[at] = await fn(items[at]!);
  });
  return results;
}

/**
 * The documents whose `field` equals one of `values`, read with one `{field: value, ...where}` query per distinct
 * value. Results come grouped in the order the values were first given, each group in its query's order; no
 * query runs for an empty list.
 */
export async function findEachEqual<T>(model: AnyModel, field: string, values: readonly unknown[], options: EachOptions = {}): Promise<T[]> {
  const { where = {}, projection, sort, limit, concurrency = DEFAULT_CONCURRENCY } = options;
  const groups = await mapConcurrently(distinctKeys(values), concurrency, async (value) => {
    let query = model.find({ ...where, [field]: value }, projection);
    if (sort) query = query.sort(sort);
    if (limit !== undefined) query = query.limit(limit);
    return query.lean<T[]>().exec();
  });
  return groups.flat();
}

/** findEachEqual on `_id`: at most one document per id, in the order of the ids, missing ones left out. */
export function findEachById<T>(model: AnyModel, ids: readonly unknown[], options: Omit<EachOptions, 'sort' | 'limit'> = {}): Promise<T[]> {
  return findEachEqual<T>(model, '_id', ids, options);
}

/**
 * One guarded `updateOne({_id, ...guard})` per distinct id, so each document moves in its own atomic, guarded
 * transition (the guard is in every filter). Returns how many documents changed, as updateMany's modifiedCount.
 */
export async function updateEachById(model: AnyModel, ids: readonly unknown[], guard: Record<string, unknown>, update: Record<string, unknown>, concurrency = DEFAULT_CONCURRENCY): Promise<number> {
  const results = await mapConcurrently(distinctKeys(ids), concurrency, (_id) => model.updateOne({ ...guard, _id }, update).exec());
  return results.reduce((sum, result) => sum + result.modifiedCount, 0);
}
