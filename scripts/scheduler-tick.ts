/**
 * One scheduler tick, then exit: for a system cron or a supervisor instead of (or besides) the
 * in-process node-cron timer. Safe to run beside running servers: every item is claimed with a lease.
 *   MONGODB_URI=mongodb://... npx tsx scripts/scheduler-tick.ts
 */
import mongoose from 'mongoose';
import { composeServices } from '../src/compose';
import { loadConfig } from '../src/config/load';
import { resolveServerSecret } from '../src/config/server-secret';
import { connectDatabase } from '../src/db/connect';
import { systemClock } from '../src/shared/clock';
import { createLogger } from '../src/shared/logger';
import { loadSodium } from '../src/shared/sodium';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const sodium = await loadSodium();
  const serverSecret = resolveServerSecret(config, logger);
  const database = await connectDatabase({ mongodbUri: config.MONGODB_URI || undefined, dbName: config.DB_NAME, dataDir: `${config.DATA_DIR}/embedded`, persistent: true, logger, prefer: config.EMBEDDED_DB });
  try {
    await Promise.all(Object.values(mongoose.models).map((model) => model.init()));
    const services = composeServices({ config, logger, clock: systemClock, sodium, serverSecret, readiness: { notReadyReason: async () => null } });
    const report = await services.scheduler.tick();
    console.log(JSON.stringify(report));
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  console.error('scheduler tick failed:', error);
  process.exit(1);
});
