/**
 * Connects the default mongoose connection (so models from `mongoose.model` work) either to
 * MONGODB_URI or to an embedded server started for this process.
 */
import mongoose from 'mongoose';
import type { Logger } from 'pino';
import { startEmbeddedDatabase, type EmbeddedDatabase, type EmbeddedKind, type EmbeddedOptions } from './embedded';

export interface DatabaseHandle {
  connection: mongoose.Connection;
  kind: EmbeddedKind | 'external';
  /** one human line: which server, where (credentials removed) */
  description: string;
  /** disconnects, then stops the embedded server if one was started; idempotent */
  close(): Promise<void>;
  /** called if the embedded server dies; never for an external MongoDB, whose driver reconnects */
  onCrash(listener: (reason: string) => void): void;
  /** true if the server answers a ping within PING_TIMEOUT_MS; never throws (for /readyz) */
  ping(): Promise<boolean>;
}

export interface ConnectOptions {
  /** an existing MongoDB; when absent an embedded server is started */
  mongodbUri?: string;
  dbName: string;
  /** data folder of the embedded server (used when persistent) */
  dataDir: string;
  persistent: boolean;
  logger: Logger;
  prefer?: EmbeddedOptions['prefer'];
}

const PING_TIMEOUT_MS = 2_000;
// A replica set may need a while to elect a primary; a local embedded server answers at once.
const EXTERNAL_SELECTION_TIMEOUT_MS = 15_000;
const EMBEDDED_SELECTION_TIMEOUT_MS = 3_000;

export async function connectDatabase(opts: ConnectOptions): Promise<DatabaseHandle> {
  if (opts.mongodbUri) return connectExternal(opts.mongodbUri, opts);
  const embedded = await startEmbeddedDatabase({
    dataDir: opts.dataDir,
    persistent: opts.persistent,
    logger: opts.logger,
    prefer: opts.prefer,
  });
  try {
    await connectDefault(embedded.uri, opts.dbName, EMBEDDED_SELECTION_TIMEOUT_MS);
  } catch (err) {
    await embedded.stop();
    throw err;
  }
  return handleFor(embedded.kind, `${embedded.describe()}, database ${opts.dbName}`, embedded);
}

async function connectExternal(uri: string, opts: ConnectOptions): Promise<DatabaseHandle> {
  const description = `MongoDB at ${withoutCredentials(uri)}, database ${opts.dbName}`;
  opts.logger.info({ database: description }, 'connecting to MongoDB');
  await connectDefault(uri, opts.dbName, EXTERNAL_SELECTION_TIMEOUT_MS);
  return handleFor('external', description, undefined);
}

async function connectDefault(uri: string, dbName: string, serverSelectionTimeoutMS: number): Promise<void> {
  await mongoose.connect(uri, { dbName, autoIndex: true, serverSelectionTimeoutMS });
}

function handleFor(kind: DatabaseHandle['kind'], description: string, embedded: EmbeddedDatabase | undefined): DatabaseHandle {
  let closing: Promise<void> | undefined;
  const close = async () => {
    try {
      // Only the default connection: mongoose.disconnect() would close every connection.
      await mongoose.connection.close();
    } finally {
      await embedded?.stop();
    }
  };
  return {
    connection: mongoose.connection,
    kind,
    description,
    close: () => (closing ??= close()),
    onCrash: (listener) => embedded?.onCrash(listener),
    ping: () => pingWithin(mongoose.connection, PING_TIMEOUT_MS),
  };
}

export async function pingWithin(connection: mongoose.Connection, timeoutMs: number): Promise<boolean> {
  const db = connection.db;
  if (!db || connection.readyState !== mongoose.ConnectionStates.connected) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const ping = db.admin().ping({ maxTimeMS: timeoutMs }).then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Log lines and /readyz must not show a password from MONGODB_URI. */
function withoutCredentials(uri: string): string {
  return uri.replace(/^(mongodb(?:\+srv)?:\/\/)[^@/]*@/, '$1');
}
