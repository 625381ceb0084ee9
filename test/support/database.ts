/**
 * One database server per mocha run, started on first use (FerretDB's first build takes about
 * a minute), and a fresh, uniquely named database for each test file.
 *
 * MONGODB_URI=mongodb://... runs the tests against that server instead of an embedded one;
 * TEST_DB=mongodb|ferretdb picks the embedded kind (default: auto).
 */
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import pino from 'pino';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db/embedded';

export interface FreshDatabase {
  uri: string;
  dbName: string;
  connection: mongoose.Connection;
}

interface SharedServer {
  uri: string;
  embedded: EmbeddedDatabase | undefined;
  /** a connection of the harness's own, to drop databases whatever the default connection does */
  admin: mongoose.Connection;
}

let shared: Promise<SharedServer> | undefined;
const createdDatabases = new Set<string>();

/** The launcher's progress (info) shows, so a first FerretDB build is not a silent minute. */
export function testLogger(): pino.Logger {
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'warn' }, pino.destination(2));
  return logger.child({}, { level: process.env.TEST_LOG_LEVEL ?? 'info' });
}

export function sharedDatabaseServer(): Promise<SharedServer> {
  shared ??= startSharedServer();
  return shared;
}

async function startSharedServer(): Promise<SharedServer> {
  const external = process.env.MONGODB_URI;
  const embedded = external
    ? undefined
    : await startEmbeddedDatabase({
        dataDir: '',
        persistent: false,
        logger: testLogger(),
        prefer: (process.env.TEST_DB as 'mongodb' | 'ferretdb' | undefined) ?? 'auto',
      });
  const uri = external ?? embedded!.uri;
  const admin = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5_000 }).asPromise();
  return { uri, embedded, admin };
}

/** Connects the default mongoose connection to a new, empty database; drops the previous one. */
export async function useFreshDatabase(): Promise<FreshDatabase> {
  const server = await sharedDatabaseServer();
  await mongoose.connection.close();
  await dropCreatedDatabases(server);
  const dbName = `test_${process.pid}_${randomBytes(4).toString('hex')}`;
  createdDatabases.add(dbName);
  await mongoose.connect(server.uri, { dbName, autoIndex: true, serverSelectionTimeoutMS: 5_000 });
  return { uri: server.uri, dbName, connection: mongoose.connection };
}

async function dropCreatedDatabases(server: SharedServer): Promise<void> {
  for (const name of createdDatabases) {
    await server.admin.getClient().db(name).dropDatabase();
    createdDatabases.delete(name);
  }
}

/** Root hooks: after the whole run, drop what we created and stop the server we started. */
export const mochaHooks = {
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(60_000);
    await mongoose.connection.close();
    if (!shared) return;
    const server = await shared;
    await dropCreatedDatabases(server).catch(() => undefined);
    await server.admin.close();
    await server.embedded?.stop();
  },
};
