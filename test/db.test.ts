import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import net from 'node:net';
import mongoose from 'mongoose';
import { connectDatabase } from '../src/db/connect';
import { EmbeddedDatabaseUnavailableError, startEmbeddedDatabase, type EmbeddedDatabase } from '../src/db/embedded';
import { testLogger, useFreshDatabase } from './support/database';

const Note = mongoose.model('DbTestNote', new mongoose.Schema({ title: String, tags: [String], count: Number }));
const Handle = mongoose.model('DbTestHandle', new mongoose.Schema({ handle: { type: String, unique: true } }));
const Job = mongoose.model('DbTestJob', new mongoose.Schema({ state: String, worker: Number }));

describe('The database', () => {
  let connection: mongoose.Connection;

  before(async () => {
    ({ connection } = await useFreshDatabase());
  });

  it('answers ping and stores and reads back a document through mongoose', async () => {
    assert.deepEqual(await connection.db!.admin().ping(), { ok: 1 });
    const created = await Note.create({ title: 'first', tags: ['a', 'b'], count: 2 });

    const read = await Note.findById(created._id).lean();

    assert.equal(read?.title, 'first');
    assert.deepEqual(read?.tags, ['a', 'b']);
    assert.equal(read?.count, 2);
  });

  it('rejects a duplicate under a unique index with E11000 and keeps one document', async () => {
    await Handle.init();
    await Handle.create({ handle: 'ana' });

    await assert.rejects(Handle.create({ handle: 'ana' }), (err: { code?: number }) => err.code === 11000);

    assert.equal(await Handle.countDocuments({ handle: 'ana' }), 1);
  });

  it('lets exactly one of 20 concurrent guarded claims win', async () => {
    const job = await Job.create({ state: 'pending' });

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, worker) =>
        Job.findOneAndUpdate({ _id: job._id, state: 'pending' }, { $set: { state: 'claimed', worker } }, { new: true }).lean(),
      ),
    );

    const winners = results.filter((r) => r !== null);
    assert.equal(winners.length, 1);
    const stored = await Job.findById(job._id).lean();
    assert.equal(stored?.state, 'claimed');
    assert.equal(stored?.worker, winners[0]?.worker);
  });

  it('keeps every one of 20 concurrent $inc updates', async () => {
    const job = await Job.create({ state: 'counting', worker: 0 });

    await Promise.all(Array.from({ length: 20 }, () => Job.updateOne({ _id: job._id }, { $inc: { worker: 1 } })));

    assert.equal((await Job.findById(job._id).lean())?.worker, 20);
  });
});

describe('An embedded database server of its own', function () {
  before(function () {
    // The tests find the server's processes through /proc.
    if (!existsSync('/proc/self/stat')) this.skip();
  });

  it('reports a killed FerretDB through onCrash, and ping() then answers false', async function () {
    const handle = await connectOwnDatabase(this);
    try {
      assert.equal(await handle.ping(), true);
      const crashed = new Promise<string>((resolve) => handle.onCrash(resolve));
      const ferretdb = childrenOf(process.pid).find((pid) => commandLine(pid).includes(`127.0.0.1:${handle.connection.port}`));
      assert.ok(ferretdb, 'the FerretDB child process was found');

      process.kill(ferretdb, 'SIGKILL');

      assert.match(await withTimeout(crashed, 10_000), /ferretdb exited unexpectedly \(killed by SIGKILL\)/);
      assert.equal(await handle.ping(), false);
    } finally {
      await handle.close();
    }
  });

  it('stop() leaves no child process running and deletes its temporary data', async function () {
    const db = await startOwnEmbedded(this);
    const ours = childrenOf(process.pid).filter((pid) => {
      const cmd = commandLine(pid);
      return cmd.includes(db.dataDir) || cmd.includes(new URL(db.uri).host);
    });
    const processes = ours.flatMap((pid) => [pid, ...descendantsOf(pid)]);
    assert.equal(ours.length, 2, 'FerretDB and PostgreSQL are children of this process');

    await db.stop();
    await db.stop(); // idempotent

    assert.deepEqual(processes.filter(isRunning), []);
    assert.equal(existsSync(db.dataDir), false);
    assert.equal(await acceptsConnections(db.uri), false);
  });
});

// --- helpers ---

/** Its own FerretDB, so that killing it does not break the shared one; skipped without Go. */
async function startOwnEmbedded(ctx: Mocha.Context): Promise<EmbeddedDatabase> {
  try {
    return await startEmbeddedDatabase({ dataDir: '', persistent: false, logger: testLogger(), prefer: 'ferretdb' });
  } catch (err) {
    if (err instanceof EmbeddedDatabaseUnavailableError) ctx.skip();
    throw err;
  }
}

async function connectOwnDatabase(ctx: Mocha.Context) {
  // connectDatabase takes over the default connection; the harness reconnects it per file.
  await mongoose.connection.close();
  try {
    // The crash is expected: its error line would only clutter the test output.
    const logger = testLogger().child({}, { level: 'fatal' });
    return await connectDatabase({ dbName: 'crash_test', dataDir: '', persistent: false, logger, prefer: 'ferretdb' });
  } catch (err) {
    if (err instanceof EmbeddedDatabaseUnavailableError) ctx.skip();
    throw err;
  }
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function childrenOf(parent: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => parentOf(pid) === parent && isRunning(pid));
}

function descendantsOf(pid: number): number[] {
  return childrenOf(pid).flatMap((child) => [child, ...descendantsOf(child)]);
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** Running means present and not a zombie (exited, waiting to be reaped). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function acceptsConnections(uri: string): Promise<boolean> {
  const { hostname, port } = new URL(uri);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
