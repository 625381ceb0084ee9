/**
 * Due work is found by equality on a minute slot (`Math.floor(ms / 60000)`), never by a range over a
 * collection that grows with the number of defenders: FerretDB v1 pushes a top-level equality down to
 * PostgreSQL (where a GIN index on the field serves it) but filters ranges, `$in` and `$or` itself,
 * reading every document. See src/safety/slots.ts for how the scheduler reads them.
 */
export const SLOT_MS = 60_000;

/** The slot a moment falls in. */
export function minuteSlot(at: Date): number {
  return Math.floor(at.getTime() / SLOT_MS);
}

/**
 * The slot to store for work due at `at`: never behind the current slot, so work written for "now"
 * or the past lands where the next read looks, not behind a watermark that has already moved on.
 */
export function slotFor(at: Date, now: Date): number {
  return Math.max(minuteSlot(at), minuteSlot(now));
}
