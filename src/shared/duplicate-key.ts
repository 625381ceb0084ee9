/**
 * Mongo's duplicate-key error (on MongoDB and FerretDB alike): a unique index refused the write, so another
 * writer or instance got there first. Callers decide whether that is a conflict, a replay or a no-op.
 */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: number }).code === 11000;
}
