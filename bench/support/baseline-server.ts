/**
 * The baselines: bare Express routes doing the same database work as the real routes, with nothing
 * else (no auth, no validation, no logging, no PIN check, no signature check), on the same database
 * and collections, in a process of its own like the real server.
 *
 *   POST /baseline/check-ins/:id                 the one guarded single-document update a check-in ends with
 *   POST /baseline/check-ins/:id/with-pin-hashes the same, after the two keyed PIN hashes a check-in does
 *   PUT  /baseline/blobs/:id                     stores the request body (the same JSON the vault route gets)
 *   GET  /baseline/blobs/:id                     returns it
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import mongoose, { Types } from 'mongoose';
import { CheckInModel } from '../../src/checkins/check-in.model';
import { randomBytes } from 'node:crypto';
import { hashPin, verifyPin } from '../../src/checkins/pin-hash';

async function main(): Promise<void> {
  const uri = process.env.MONGODB_URI;
  const dbName = process.env.DB_NAME;
  if (!uri || !dbName) throw new Error('MONGODB_URI and DB_NAME are required');
  await mongoose.connect(uri, { dbName, autoIndex: false });
  const blobs = mongoose.connection.db!.collection<{ _id: string; body: unknown }>('benchblobs');
  // The same PIN work a check-in does (two keyed hashes); any key will do for the baseline.
  const pinKey = new Uint8Array(randomBytes(32));
  const pinHash = hashPin(pinKey, '2468');
  const duressPinHash = hashPin(pinKey, '1357');

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: Number(process.env.BASELINE_BODY_LIMIT ?? 4 * 1024 * 1024) }));

  const moveCheckIn = async (id: string) => {
    const now = new Date();
    const result = await CheckInModel.updateOne({ _id: new Types.ObjectId(id), state: 'scheduled' }, { $set: { lastCheckedInAt: now } });
    return result.matchedCount;
  };
  app.post('/baseline/check-ins/:id', async (req, res) => {
    const matched = await moveCheckIn(req.params.id);
    res.status(matched ? 200 : 404).json({ checkInId: req.params.id, checkedInAt: new Date().toISOString() });
  });
  app.post('/baseline/check-ins/:id/with-pin-hashes', async (req, res) => {
    const pin = String((req.body as { pin?: unknown }).pin ?? '');
    const normal = verifyPin(pinKey, pin, pinHash);
    const duress = verifyPin(pinKey, pin, duressPinHash);
    if (!normal && !duress) {
      res.status(403).json({ error: { code: 'wrong_pin' } });
      return;
    }
    const matched = await moveCheckIn(req.params.id);
    res.status(matched ? 200 : 404).json({ checkInId: req.params.id, checkedInAt: new Date().toISOString() });
  });
  app.put('/baseline/blobs/:id', async (req, res) => {
    await blobs.replaceOne({ _id: req.params.id }, { body: req.body }, { upsert: true });
    res.status(201).json({ documentId: req.params.id });
  });
  app.get('/baseline/blobs/:id', async (req, res) => {
    const found = await blobs.findOne({ _id: req.params.id });
    if (!found) {
      res.status(404).json({ error: { code: 'not_found' } });
      return;
    }
    res.json(found.body);
  });

  const server = app.listen(0, '127.0.0.1', () => {
    console.error(`baseline listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
  const stop = () => server.close(() => void mongoose.disconnect().then(() => process.exit(0)));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error('baseline server failed:', error);
  process.exit(1);
});
