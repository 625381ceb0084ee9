import assert from 'node:assert/strict';
import mongoose, { Schema, Types } from 'mongoose';
import { recordCommands } from '../../test/support/commands';
import { useFreshDatabase } from '../../test/support/database';
import { findEachById, findEachEqual, updateEachById } from './each-by-equality';

interface Item {
  _id: Types.ObjectId;
  ownerId: Types.ObjectId;
  state: string;
  rank: number;
}

const ItemModel = mongoose.model<Item>('EachByEqualityItem', new Schema<Item>({ ownerId: Schema.Types.ObjectId, state: String, rank: Number }, { versionKey: false }));

/** The filters the helper sent, as JSON, and a check that none of them holds an `$in`. */
async function filtersOf<T>(work: () => Promise<T>): Promise<{ result: T; filters: string[] }> {
  const { result, commands } = await recordCommands(work, (c) => c.collection === ItemModel.collection.collectionName);
  const filters = commands.map((c) => JSON.stringify(c.filter));
  for (const filter of filters) assert.doesNotMatch(filter, /\$in/, `an $in reached the database: ${filter}`);
  return { result, filters };
}

describe('Reading and updating by a list of keys, one equality per key', () => {
  const owners = [new Types.ObjectId(), new Types.ObjectId()];
  let items: Item[];

  beforeEach(async () => {
    await useFreshDatabase();
    items = Array.from({ length: 6 }, (_, n) => ({ _id: new Types.ObjectId(), ownerId: owners[n % 2]!, state: n === 4 ? 'closed' : 'open', rank: n }));
    await ItemModel.insertMany(items);
  });

  it('reads by id in the order the ids are given, each id once, leaving out missing ids, with one _id equality per distinct id', async () => {
    const missing = new Types.ObjectId();
    const ids = [items[3]!._id, String(items[0]!._id), missing, items[3]!._id, items[5]!._id];
    const { result, filters } = await filtersOf(() => findEachById<Item>(ItemModel, ids));
    assert.deepEqual(result.map((i) => i.rank), [3, 0, 5]);
    assert.equal(filters.length, 4, 'one query per distinct id, the repeated one (ObjectId and string alike) read once');
    assert.deepEqual(filters.map((f) => Object.keys(JSON.parse(f) as object)), [['_id'], ['_id'], ['_id'], ['_id']]);
  });

  it('keeps the condition in every query, so a document that fails it is left out', async () => {
    const { result, filters } = await filtersOf(() => findEachById<Item>(ItemModel, items.map((i) => i._id), { where: { state: 'open' } }));
    assert.deepEqual(result.map((i) => i.rank), [0, 1, 2, 3, 5]);
    for (const filter of filters) assert.equal((JSON.parse(filter) as Item).state, 'open');
  });

  it('sends no query for an empty list', async () => {
    const { result, filters } = await filtersOf(() => findEachEqual<Item>(ItemModel, 'ownerId', []));
    assert.deepEqual(result, []);
    assert.deepEqual(filters, []);
  });

  it('sorts and limits each value on its own and groups the results by value, in the order the values are given', async () => {
    const { result, filters } = await filtersOf(() => findEachEqual<Item>(ItemModel, 'ownerId', [owners[1], owners[0]], { sort: { rank: -1 }, limit: 2, concurrency: 1 }));
    assert.deepEqual(result.map((i) => i.rank), [5, 3, 4, 2]);
    assert.equal(filters.length, 2);
  });

  it('updates each id with its own guarded updateOne and counts the documents that changed', async () => {
    const ids = [items[4]!._id, items[0]!._id, items[0]!._id, new Types.ObjectId(), items[1]!._id];
    const { result, commands } = await recordCommands(() => updateEachById(ItemModel, ids, { state: { $ne: 'closed' } }, { $set: { state: 'stopped' } }));
    assert.equal(result, 2, 'the closed one is guarded out, the repeated id changes once, the missing one not at all');
    const updates = commands.filter((c) => c.collection === ItemModel.collection.collectionName);
    assert.deepEqual(updates.map((c) => c.method), ['updateOne', 'updateOne', 'updateOne', 'updateOne']);
    for (const { filter } of updates) assert.deepEqual((filter as { state: unknown }).state, { $ne: 'closed' });
    const states = await ItemModel.find({}).sort({ rank: 1 }).lean();
    assert.deepEqual(states.map((i) => i.state), ['stopped', 'stopped', 'open', 'open', 'closed', 'open']);
  });
});
