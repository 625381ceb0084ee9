/**
 * mongodb-memory-server, used only when a mongod is already on this machine (none can be
 * downloaded here, see the team's shared DATABASE.md notes).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { findOnPath, isExecutable } from './processes';
import { RunningDatabase, type EmbeddedDatabase } from './running-database';

export async function findMongod(log: Logger): Promise<string | undefined> {
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

export async function startMongoMemoryServer(mongod: string, dataDir: string, tempDir: string | undefined, persistent: boolean, log: Logger): Promise<EmbeddedDatabase> {
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
