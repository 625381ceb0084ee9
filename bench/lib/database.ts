import mongoose from 'mongoose';
import pino from 'pino';
import { startEmbeddedDatabase } from '../../src/db/embedded';
// Registers every model, so init() below creates every collection's indexes as the server would.
import '../../src/compose';

export interface BenchDatabase {
  uri: string;
  /** which server, where (no credentials) */
  description: string;
  embedded: boolean;
  /** The PostgreSQL under the embedded FerretDB (profiling reads its statistics); absent otherwise. */
  postgresqlUrl?: string;
  stop(): Promise<void>;
}

/** MONGODB_URI when given; otherwise the embedded database, exactly as the tests start it (temporary, not persistent). */
export async function startDatabase(mongodbUri: string): Promise<BenchDatabase> {
  if (mongodbUri) {
    return { uri: mongodbUri, description: `MongoDB at ${mongodbUri.replace(/^(mongodb(?:\+srv)?:\/\/)[^@/]*@/, '$1')}`, embedded: false, stop: async () => undefined };
  }
  const logger = pino({ level: process.env.BENCH_LOG_LEVEL ?? 'warn' }, pino.destination(2));
  const embedded = await startEmbeddedDatabase({ dataDir: '', persistent: false, logger });
  return { uri: embedded.uri, description: `embedded ${embedded.describe()}`, embedded: true, postgresqlUrl: embedded.postgresql?.url, stop: () => embedded.stop() };
}

/** Points the bench process's default mongoose connection at a fresh database and creates the models' indexes. */
export async function useDatabase(uri: string, dbName: string): Promise<void> {
  await mongoose.connection.close();
  await mongoose.connect(uri, { dbName, autoIndex: true, serverSelectionTimeoutMS: 10_000 });
  await mongoose.connection.db!.dropDatabase();
  await Promise.all(Object.values(mongoose.models).map((model) => model.init()));
}

export async function dropCurrentDatabase(): Promise<void> {
  await mongoose.connection.db?.dropDatabase().catch(() => undefined);
}
