/**
 * The embedded FerretDB's proxy locks each read-modify-write command on the documents it names by
 * `_id`, or on its whole collection (src/db/ferretdb/locks/locks.go). These races go through the
 * real proxy, FerretDB and PostgreSQL (or a MongoDB, where they must hold as well): a lock too
 * narrow lets two claims of one document both win. The same 20-claim and $inc races on one `_id`
 * are in test/db.test.ts; the lock rules themselves are unit-tested in Go, run here.
 * FerretDB v1 also keeps a PostgreSQL connection per statement until a command ends (a pool of 50), so
 * the proxy bounds the connections concurrent writes may hold: the bulk test hangs without that.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import mongoose, { Types } from 'mongoose';
import { useFreshDatabase } from './support/database';

const Claim = mongoose.model('ProxyLockClaim', new mongoose.Schema({ state: String, by: String, batch: Number, count: Number }));

const ROUNDS = 5;
const DOCS = 12;

async function seed(): Promise<Types.ObjectId[]> {
  await Claim.deleteMany({});
  const docs = await Claim.insertMany(Array.from({ length: DOCS }, () => ({ state: 'pending', count: 0 })));
  return docs.map((d) => d._id);
}

describe('The embedded database proxy locking each write on its documents or its collection', () => {
  before(async () => {
    await useFreshDatabase();
  });

  it('passes the Go unit tests of its lock rules (which command locks what, no lost increment)', async function () {
    this.timeout(240_000);
    const cwd = path.resolve(__dirname, '..', 'src', 'db', 'ferretdb');
    const { stdout } = await promisify(execFile)('go', ['test', '-count=1', './locks'], { cwd, env: { ...process.env, CGO_ENABLED: '0' } });
    assert.match(stdout, /^ok\s+meshwork\/ferretdb\/locks/m);
  });

  it('lets each document be claimed once when claims by _id race batch claims by state', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const ids = await seed();
      const byId = ids.map((_id) => Claim.findOneAndUpdate({ _id, state: 'pending' }, { $set: { state: 'claimed', by: 'id' } }, { new: true }).lean());
      const batches = [1, 2, 3].map((batch) => Claim.updateMany({ state: 'pending' }, { $set: { state: 'claimed', by: 'batch', batch } }));
      const [won, swept] = await Promise.all([Promise.all(byId), Promise.all(batches)]);

      const claims = won.filter(Boolean).length + swept.reduce((n, r) => n + r.modifiedCount, 0);
      assert.equal(claims, DOCS, `round ${round}: every document claimed exactly once`);
      const stored = await Claim.find({}).lean();
      assert.equal(stored.filter((d) => d.by === 'id').length, won.filter(Boolean).length, `round ${round}: a claim by _id that won was not overwritten by a batch`);
    }
  });

  it('keeps every increment when single-document, bulk and collection-wide updates race', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const ids = await seed();
      const writes: Promise<unknown>[] = [];
      for (let i = 0; i < 8; i += 1) {
        for (const _id of ids) writes.push(Claim.updateOne({ _id }, { $inc: { count: 1 } }));
        // One bulk naming two documents by _id, and one mixing an _id statement with a filter on state.
        writes.push(Claim.bulkWrite([{ updateOne: { filter: { _id: ids[0] }, update: { $inc: { count: 1 } } } }, { updateOne: { filter: { _id: ids[1] }, update: { $inc: { count: 1 } } } }]));
        writes.push(Claim.bulkWrite([{ updateOne: { filter: { _id: ids[2] }, update: { $inc: { count: 1 } } } }, { updateMany: { filter: { state: 'pending' }, update: { $inc: { count: 1 } } } }]));
        writes.push(Claim.updateMany({ state: 'pending' }, { $inc: { count: 1 } }));
      }
      await Promise.all(writes);

      const counts = new Map((await Claim.find({}).lean()).map((d) => [String(d._id), d.count]));
      ids.forEach((id, i) => {
        const expected = 8 * (1 + 1 + 1) + (i <= 2 ? 8 : 0); // own $inc, two collection-wide, the bulks' _id statements
        assert.equal(counts.get(String(id)), expected, `round ${round}: document ${i} kept every increment`);
      });
    }
  });

  it('lets exactly one of racing guarded deletes and claims of one document act', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const [_id] = await seed();
      const deletes = Array.from({ length: 6 }, () => Claim.deleteOne({ _id, state: 'pending' }));
      const claims = Array.from({ length: 6 }, () => Claim.findOneAndUpdate({ _id, state: 'pending' }, { $set: { state: 'claimed' } }, { new: true }).lean());
      const [deleted, claimed] = await Promise.all([Promise.all(deletes), Promise.all(claims)]);

      const acted = deleted.reduce((n, r) => n + r.deletedCount, 0) + claimed.filter(Boolean).length;
      assert.equal(acted, 1, `round ${round}: one delete or one claim acted`);
    }
  });

  it('answers six 16-statement bulks on distinct documents sent at once (without a connection budget FerretDB waits forever)', async function () {
    this.timeout(60_000);
    const docs = await Claim.insertMany(Array.from({ length: 6 * 16 }, () => ({ state: 'pending', count: 0 })));
    const bulks = Array.from({ length: 6 }, (_, g) => docs.slice(g * 16, g * 16 + 16));
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('the bulks got no answer in 20 s')), 20_000)));
    try {
      const results = await Promise.race([Promise.all(bulks.map((g) => Claim.bulkWrite(g.map((d) => ({ updateOne: { filter: { _id: d._id, state: 'pending' }, update: { $set: { state: 'claimed' } } } }))))), hung]);
      assert.equal(results.reduce((n, r) => n + r.modifiedCount, 0), 6 * 16);
    } finally {
      clearTimeout(timer);
    }
  });
});
