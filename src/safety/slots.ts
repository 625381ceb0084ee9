import { Schema, model } from 'mongoose';
import { minuteSlot } from '../shared/time-slots';
import { isDuplicateKeyError } from '../shared/duplicate-key';

/**
 * A slot is only passed by the watermark once it ended more than this many slots ago: another
 * instance whose clock runs behind ours (up to a minute) may still write work into a slot we think is
 * over, and it must still be read.
 */
export const SKEW_MARGIN_SLOTS = 1;

/**
 * A tick reads at most this many slots one by one (a day of minutes, a few seconds of small queries);
 * past that (a longer outage, or a clock set far ahead) it first seeks the earliest pending slot with
 * one range query, which reads the whole collection on FerretDB but only once per catch-up.
 */
export const MAX_SLOTS_PER_PASS = 24 * 60;

/**
 * The kinds of due work, each with its own watermark: check-in deadlines (`checkins.deadlineSlot`),
 * escalating alerts' next actions (`alerts.actionSlot`), resolved alerts whose check-in may be left
 * behind (`alerts.recoverySlot`), outbox attempts and lease expiries (`outbox.attemptSlot`).
 */
export type SlotKind = 'checkins' | 'alerts' | 'recoveries' | 'outbox';

interface Watermark {
  _id: SlotKind;
  /** Every slot up to and including this one has been read and drained. */
  slot: number;
}

/** The scheduler's durable read position per kind (collection `schedulerwatermarks`, one document per kind). */
const watermarkSchema = new Schema<Watermark>({ _id: { type: String, required: true }, slot: { type: Number, required: true } }, { versionKey: false });

export const SchedulerWatermarkModel = model<Watermark>('SchedulerWatermark', watermarkSchema, 'schedulerwatermarks');

/**
 * The watermark of one kind, created on first use. `earliestPending` is asked only then (a range query,
 * once per deployment): work written before this version existed, or before the first tick, is read.
 */
export async function readWatermark(kind: SlotKind, now: Date, earliestPending: () => Promise<number | null>, backfill?: () => Promise<void>): Promise<number> {
  const found = await SchedulerWatermarkModel.findOne({ _id: kind }).lean();
  if (found) return found.slot;
  // Documents written before slots existed have none and would never be read: give them theirs first.
  await backfill?.();
  const floor = minuteSlot(now) - SKEW_MARGIN_SLOTS - 1;
  const earliest = await earliestPending();
  const slot = earliest === null ? floor : Math.min(floor, earliest - 1);
  try {
    await SchedulerWatermarkModel.updateOne({ _id: kind }, { $setOnInsert: { slot } }, { upsert: true });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error; // another instance created it first
  }
  const created = await SchedulerWatermarkModel.findOne({ _id: kind }).lean();
  return created?.slot ?? slot;
}

/**
 * Moves the watermark from `from` to `to` with one guarded update. Only slots that ended more than
 * SKEW_MARGIN_SLOTS ago may be passed. A lost race (another instance moved it) changes nothing.
 */
export async function advanceWatermark(kind: SlotKind, from: number, to: number, now: Date): Promise<boolean> {
  const highest = minuteSlot(now) - SKEW_MARGIN_SLOTS - 1;
  const target = Math.min(to, highest);
  if (target <= from) return false;
  const result = await SchedulerWatermarkModel.updateOne({ _id: kind, slot: from }, { $set: { slot: target } });
  return result.modifiedCount > 0;
}

export interface SlotPass<T> {
  /** Due documents found, across the slots read, at most `limit`. */
  due: T[];
  /** More may be due than this pass returned (a slot was full, or slots were left unread). */
  more: boolean;
  /** Call once the due documents have been handled: moves the watermark over the slots drained. */
  commit(): Promise<void>;
}

/**
 * Reads one kind's due work slot by slot, from the watermark (or from SKEW_MARGIN_SLOTS back, if the
 * clock went backwards) up to the current slot. `read(slot, limit)` is one equality query;
 * `actionAt(doc)` says when the document needs work (null: it needs none, e.g. an alert acknowledged
 * since it was given the slot), so the exact time within the slot is filtered here.
 */
export async function readSlots<T>(options: {
  kind: SlotKind;
  now: Date;
  limit: number;
  read: (slot: number, limit: number) => Promise<T[]>;
  actionAt: (doc: T) => Date | null;
  /** The earliest slot at or after `fromSlot` holding pending work (a range query: only for long gaps). */
  earliestPending: (fromSlot: number) => Promise<number | null>;
  /** Called with each document read whose time has not come yet (a timer can wait for it). */
  notYetDue?: (doc: T, at: Date) => void;
  /** Gives pending documents written before slots existed their slot; run once, when the watermark is created. */
  backfill?: () => Promise<void>;
  /** Slots after the current one read only to hand their documents to `notYetDue` (timers), never drained. */
  lookahead?: number;
}): Promise<SlotPass<T>> {
  const { kind, now, limit } = options;
  const current = minuteSlot(now);
  const watermark = await readWatermark(kind, now, () => options.earliestPending(Number.MIN_SAFE_INTEGER), options.backfill);
  let from = Math.min(watermark + 1, current - SKEW_MARGIN_SLOTS);
  let drainedThrough = watermark;
  if (current - from > MAX_SLOTS_PER_PASS) {
    // A long gap (an outage, a clock set ahead): jump over empty slots instead of reading them one by one.
    const earliest = await options.earliestPending(from);
    const jumpTo = earliest === null ? current - SKEW_MARGIN_SLOTS : Math.min(earliest, current - SKEW_MARGIN_SLOTS);
    if (jumpTo > from) {
      drainedThrough = Math.max(drainedThrough, jumpTo - 1);
      from = jumpTo;
    }
  }
  const last = Math.min(current, from + MAX_SLOTS_PER_PASS);
  const due: T[] = [];
  let contiguous = true;
  let slot = from;
  for (; slot <= last && due.length < limit; slot += 1) {
    const room = limit - due.length;
    const docs = await options.read(slot, room);
    let waiting = false;
    for (const doc of docs) {
      const at = options.actionAt(doc);
      if (at === null) continue;
      if (at.getTime() <= now.getTime()) due.push(doc);
      else {
        waiting = true;
        options.notYetDue?.(doc, at);
      }
    }
    const full = docs.length >= room;
    // A slot is drained when all of it was read (not cut by the limit) and nothing in it waits.
    if (full || waiting) contiguous = false;
    if (contiguous) drainedThrough = Math.max(drainedThrough, slot);
    if (full) {
      slot += 1;
      return pass(due, true);
    }
  }
  if (options.notYetDue) {
    for (let ahead = current + 1; ahead <= current + (options.lookahead ?? 0); ahead += 1) {
      for (const doc of await options.read(ahead, limit)) {
        const at = options.actionAt(doc);
        if (at) options.notYetDue(doc, at);
      }
    }
  }
  return pass(due, slot <= last || last < current);

  function pass(found: T[], more: boolean): SlotPass<T> {
    return {
      due: found,
      more,
      async commit() {
        if (drainedThrough > watermark) await advanceWatermark(kind, watermark, drainedThrough, now);
      },
    };
  }
}
