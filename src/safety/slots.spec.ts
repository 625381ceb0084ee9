import assert from 'node:assert/strict';
import mongoose, { Schema } from 'mongoose';
import { useFreshDatabase } from '../../test/support/database';
import { minuteSlot, SLOT_MS } from '../shared/time-slots';
import { MAX_SLOTS_PER_PASS, readSlots, SchedulerWatermarkModel, SKEW_MARGIN_SLOTS } from './slots';

interface Work {
  slot: number;
  at: Date;
}
const WorkModel = mongoose.model<Work>('SlotSpecWork', new Schema<Work>({ slot: Number, at: Date }), 'slotspecwork');

/** Reads the spec's work the way the scheduler reads check-ins: equality per slot, exact time filtered. */
function pass(now: Date, limit = 100, woken: Date[] = []) {
  return readSlots<Work>({
    kind: 'checkins',
    now,
    limit,
    read: (slot, room) => WorkModel.find({ slot }).limit(room).lean<Work[]>(),
    actionAt: (work) => work.at,
    earliestPending: async (fromSlot) => (await WorkModel.findOne({ slot: { $gte: fromSlot } }).sort({ slot: 1 }).lean<Work>())?.slot ?? null,
    notYetDue: (_work, at) => woken.push(at),
  });
}

async function add(at: Date): Promise<void> {
  await WorkModel.create({ slot: minuteSlot(at), at });
}

const watermark = async () => (await SchedulerWatermarkModel.findOne({ _id: 'checkins' }).lean())?.slot;

describe('Reading due work slot by slot from a watermark', function () {
  beforeEach(async () => {
    await useFreshDatabase();
  });

  it('returns what is due in the current slot and hands what is not yet due to a timer', async () => {
    const now = new Date('2030-05-01T10:00:30Z');
    await add(new Date('2030-05-01T10:00:10Z'));
    await add(new Date('2030-05-01T10:00:50Z'));
    const woken: Date[] = [];
    const found = await pass(now, 100, woken);
    assert.deepEqual(found.due.map((w) => w.at.toISOString()), ['2030-05-01T10:00:10.000Z']);
    assert.deepEqual(woken.map((d) => d.toISOString()), ['2030-05-01T10:00:50.000Z']);
  });

  it('passes a slot only once drained and ended more than the skew margin ago', async () => {
    const now = new Date('2030-05-01T10:00:30Z');
    await pass(now).then((p) => p.commit());
    const start = (await watermark())!;
    assert.equal(start, minuteSlot(now) - SKEW_MARGIN_SLOTS - 1);
    const later = new Date(now.getTime() + 5 * SLOT_MS);
    await add(new Date(later.getTime() + 10_000)); // waits in the current slot
    const found = await pass(later);
    assert.equal(found.due.length, 0);
    await found.commit();
    assert.equal(await watermark(), minuteSlot(later) - SKEW_MARGIN_SLOTS - 1, 'the last margin slots stay readable');
  });

  it('keeps reading a slot whose work did not fit in the batch, and says more is waiting', async () => {
    const now = new Date('2030-05-01T10:05:30Z');
    await pass(new Date('2030-05-01T10:00:30Z')).then((p) => p.commit());
    for (let i = 0; i < 3; i += 1) await add(new Date('2030-05-01T10:02:10Z'));
    const before = await watermark();
    const first = await pass(now, 2);
    assert.equal(first.due.length, 2);
    assert.equal(first.more, true);
    await first.commit();
    assert.ok((await watermark())! < minuteSlot(new Date('2030-05-01T10:02:10Z')), 'the full slot is not passed');
    assert.ok((await watermark())! >= before!);
  });

  it('still reads work written for now after the clock went back behind the watermark', async () => {
    await pass(new Date('2030-05-01T12:00:30Z')).then((p) => p.commit());
    const back = new Date('2030-05-01T11:00:30Z');
    await add(new Date(back.getTime() - 5_000));
    const found = await pass(back);
    assert.equal(found.due.length, 1);
  });

  it('jumps a gap longer than a pass can read one slot at a time to the earliest pending work', async () => {
    await pass(new Date('2030-05-01T10:00:30Z')).then((p) => p.commit());
    const pending = new Date('2030-05-03T08:00:00Z');
    await add(pending);
    const now = new Date(pending.getTime() + 5 * SLOT_MS);
    assert.ok(minuteSlot(now) - (await watermark())! > MAX_SLOTS_PER_PASS, 'a gap of more than a pass');
    const found = await pass(now);
    assert.deepEqual(found.due.map((w) => w.at.toISOString()), [pending.toISOString()]);
    await found.commit();
    assert.ok((await watermark())! >= minuteSlot(pending));
  });
});
