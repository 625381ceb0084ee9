/**
 * FerretDB v1 on PostgreSQL: the Go program in src/db/ferretdb is built once (cached by the
 * hash of its sources), then run against the PostgreSQL of src/db/embedded/postgresql.ts.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import mongoose from 'mongoose';
import type { Logger } from 'pino';
import { startPostgres, stopPostgres } from './postgresql';
import { installGinTwins } from './postgresql-indexes';
import {
  execFileAsync,
  freeLoopbackPort,
  isExecutable,
  lastLines,
  liveChildren,
  projectRoot,
  runToCompletion,
  sleep,
  spawnChild,
  stopChild,
  type Child,
} from './processes';
import { EmbeddedDatabaseUnavailableError, OR_EXTERNAL, RunningDatabase, type EmbeddedDatabase } from './running-database';

const MIN_GO = [1, 22] as const;

export async function startFerretDbOnPostgres(dataDir: string, tempDir: string | undefined, persistent: boolean, log: Logger): Promise<EmbeddedDatabase> {
  const started = Date.now();
  // Building FerretDB (the first time) and starting PostgreSQL overlap.
  const binary = ferretDbBinary(log);
  binary.catch(() => undefined); // awaited below; avoids an unhandled rejection if PostgreSQL fails first
  const pg = await startPostgres(dataDir, persistent, log);
  let ferret: { child: Child; uri: string };
  try {
    // Before FerretDB runs, so that no index it creates misses its GIN twin.
    await installGinTwins(pg.connection, log);
    ferret = await startFerretDb(await binary, pg.connection.url, log);
  } catch (err) {
    await stopPostgres(pg.child);
    throw err;
  }
  const description =
    `FerretDB v1 at ${ferret.uri} on PostgreSQL 17 at 127.0.0.1:${pg.port}, ` +
    `data in ${path.join(dataDir, 'postgres')}${persistent ? '' : ' (temporary, deleted on stop)'}`;
  const stopServers = async () => {
    await stopFerretDb(ferret.child);
    await stopPostgres(pg.child);
  };
  const db = new RunningDatabase('ferretdb-postgresql', ferret.uri, dataDir, description, stopServers, tempDir, log, pg.connection);
  for (const child of [ferret.child, pg.child]) {
    void child.exited.then(() => {
      if (!child.stopping) db.reportCrash(`${child.name} exited unexpectedly (${child.exitDescription}); last output: ${lastLines(child, 1)}`);
    });
  }
  log.info({ ms: Date.now() - started }, description);
  return db;
}

/** What the binary is built from: go.mod, go.sum and every non-test .go file, by path from src/db/ferretdb. */
async function ferretDbSources(sourceDir: string): Promise<string[]> {
  const entries = await fs.readdir(sourceDir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && (e.name === 'go.mod' || e.name === 'go.sum' || (e.name.endsWith('.go') && !e.name.endsWith('_test.go'))))
    .map((e) => path.relative(sourceDir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

/** The cached binary for the current Go sources, built first if needed. */
async function ferretDbBinary(log: Logger): Promise<string> {
  const root = projectRoot();
  const source = path.join(root, 'src', 'db', 'ferretdb');
  const target = path.join(root, '.cache', 'ferretdb', await sourceHash(source), 'ferretdb');
  if (await isExecutable(target)) return target;
  await requireGo();
  log.info({ target }, 'building FerretDB once, about a minute (seconds if Go has built it before)');
  const started = Date.now();
  await buildAtomically(source, target, log);
  log.info({ ms: Date.now() - started }, 'FerretDB built');
  return target;
}

async function sourceHash(sourceDir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const name of await ferretDbSources(sourceDir)) {
    hash.update(`${name}\0`).update(await fs.readFile(path.join(sourceDir, name))).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

async function requireGo(): Promise<void> {
  const wanted = `install Go >= ${MIN_GO.join('.')} (go on PATH) to build FerretDB once, ${OR_EXTERNAL}`;
  let version: string;
  try {
    version = (await execFileAsync('go', ['env', 'GOVERSION'])).stdout.trim();
  } catch {
    throw new EmbeddedDatabaseUnavailableError(`Go was not found: ${wanted}`);
  }
  const [major = 0, minor = 0] = (/^go(\d+)\.(\d+)/.exec(version) ?? []).slice(1).map(Number);
  if (major < MIN_GO[0] || (major === MIN_GO[0] && minor < MIN_GO[1])) {
    throw new EmbeddedDatabaseUnavailableError(`found ${version || 'an unknown Go version'}: ${wanted}`);
  }
}

/**
 * Builds to a unique temporary name and renames: a rename is atomic, so a concurrent start
 * never executes a half-written binary, and two concurrent builds just both succeed.
 */
async function buildAtomically(sourceDir: string, target: string, log: Logger): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  // Pure Go (FerretDB's SQLite is modernc): no C compiler needed, a static binary.
  const env = { ...process.env, CGO_ENABLED: '0' };
  const args = ['build', '-mod=readonly', '-trimpath', '-buildvcs=false', '-o', temp, '.'];
  try {
    await runToCompletion('go build', 'go', args, { cwd: sourceDir, env }, log).catch((err: Error) => {
      throw new Error(`${err.message}\n(the first build downloads Go modules through the Go module proxy)`);
    });
    await fs.rename(temp, target);
  } finally {
    await fs.rm(temp, { force: true });
  }
}

async function startFerretDb(binary: string, postgresUrl: string, log: Logger): Promise<{ child: Child; uri: string }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freeLoopbackPort();
    const uri = `mongodb://127.0.0.1:${port}/`;
    // The URL holds the PostgreSQL password: environment, not argv (which `ps` shows everyone).
    const env = { ...process.env, FERRETDB_POSTGRESQL_URL: postgresUrl };
    const args = ['-listen', `127.0.0.1:${port}`, '-handler', 'postgresql'];
    const child = spawnChild('ferretdb', binary, args, { env }, log);
    try {
      await waitForPing(uri, child, 30_000);
      log.debug({ uri }, 'FerretDB ready');
      return { child, uri };
    } catch (err) {
      await stopFerretDb(child);
      if (attempt < 3 && /address already in use/.test(lastLines(child, 30))) continue;
      throw err;
    }
  }
}

async function stopFerretDb(child: Child): Promise<void> {
  // FerretDB waits up to 5 s for open client connections after SIGTERM (see main.go).
  await stopChild(child, [['SIGTERM', 7_000], ['SIGKILL', 5_000]]);
}

/** Ready means answering a MongoDB ping, not merely listening. */
async function waitForPing(uri: string, child: Child, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (!liveChildren.has(child)) {
      throw new Error(`${child.name} exited during start (${child.exitDescription}):\n${lastLines(child)}`);
    }
    try {
      await pingOnce(uri);
      return;
    } catch (err) {
      lastError = err;
      await sleep(100);
    }
  }
  throw new Error(`${child.name} did not answer ping within ${timeoutMs} ms: ${String(lastError)}`);
}

async function pingOnce(uri: string): Promise<void> {
  const connection = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 1000 });
  try {
    await connection.asPromise();
    await connection.db?.admin().ping();
  } finally {
    await connection.close().catch(() => undefined);
  }
}
