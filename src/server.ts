import type { Server } from 'node:http';
import mongoose from 'mongoose';
import { createApp } from './app';
import { composeServices } from './compose';
import { ConfigError, loadConfig } from './config/load';
import type { Config } from './config/schema';
import { resolveServerSecret } from './config/server-secret';
import { connectDatabase, type DatabaseHandle } from './db/connect';
import { EmbeddedDatabaseUnavailableError } from './db/embedded';
import { systemClock } from './shared/clock';
import { createLogger, type Logger } from './shared/logger';
import { loadSodium } from './shared/sodium';
import { webAppHandlers } from './web/serve';
import { version } from '../package.json';

/** Composition root: config, database, services, HTTP, scheduler, signals. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.LOG_LEVEL);
  const sodium = await loadSodium();
  const serverSecret = resolveServerSecret(config, logger);
  const database = await connectOrExit(config, logger);
  await Promise.all(Object.values(mongoose.models).map((model) => model.init()));

  let shuttingDown = false;
  let crashedReason: string | null = null;
  const readiness = {
    async notReadyReason() {
      if (shuttingDown) return 'shutting down';
      if (crashedReason) return crashedReason;
      return (await database.ping()) ? null : 'database unreachable';
    },
  };
  const services = composeServices({ config, logger, clock: systemClock, sodium, serverSecret, readiness });
  await services.recoverInterruptedWork();
  const app = createApp({ config, logger, routes: services.routes, authenticate: services.authenticate, version, before: webAppHandlers({ config }) });
  const server = await listen(app, config);
  const stopBackgroundWork = services.startBackgroundWork();
  logger.info({ url: `http://${config.HOST}:${addressPort(server)}` }, 'Meshwork is listening');
  console.error(`Meshwork is listening on http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${addressPort(server)}`);

  const shutdown = async (signal: string, exitCode: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(exitCode || 1), config.SHUTDOWN_GRACE_SECONDS * 1000);
    force.unref();
    await stopBackgroundWork();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await database.close();
    process.exit(exitCode);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  database.onCrash((reason) => {
    crashedReason = `embedded database crashed: ${reason}`;
    logger.fatal({ reason }, 'the embedded database crashed; exiting so a supervisor restarts the service');
    void shutdown('database-crash', 1);
  });
}

function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Meshwork cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

async function connectOrExit(config: Config, logger: Logger): Promise<DatabaseHandle> {
  try {
    const database = await connectDatabase({
      mongodbUri: config.MONGODB_URI || undefined,
      dbName: config.DB_NAME,
      dataDir: `${config.DATA_DIR}/embedded`,
      persistent: true,
      logger,
      prefer: config.EMBEDDED_DB,
    });
    console.error(`Database: ${database.description}`);
    return database;
  } catch (error) {
    if (error instanceof EmbeddedDatabaseUnavailableError) {
      console.error(`Meshwork cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

function listen(app: ReturnType<typeof createApp>, config: Config): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(config.PORT, config.HOST, (error?: Error) => (error ? reject(error) : resolve(server)));
  });
}

function addressPort(server: Server): number {
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`Meshwork cannot start: ${error.message}`);
  else console.error('Meshwork failed to start:', error);
  process.exit(1);
});
