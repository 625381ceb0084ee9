import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import mongoose from 'mongoose';
import type { Express } from 'express';
import { createApp } from '../../src/app';
import { composeServices, type Services } from '../../src/compose';
import { loadConfig } from '../../src/config/load';
import type { Config } from '../../src/config/schema';
import { ManualClock } from '../../src/shared/clock';
import { createLogger } from '../../src/shared/logger';
import { loadSodium } from '../../src/shared/sodium';
import type { SmsSender } from '../../src/sms/sms-sender';
import { webAppHandlers } from '../../src/web/serve';
import { afterRepliesSettled } from '../../src/checkins/check-in-outcomes';
import { useFreshDatabase } from './database';

export interface TestService {
  app: Express;
  clock: ManualClock;
  config: Config;
  services: Services;
  /** http://127.0.0.1:PORT, for the client library (real HTTP, real fetch). */
  baseUrl: string;
  close(): Promise<void>;
}

export interface TestServiceOptions {
  freshDatabase?: boolean;
  /** An SMS transport (e.g. the real twilio SDK pointed at test/support/fake-twilio.ts); default: the log transport. */
  smsSender?: SmsSender;
  /** Scheduler lease owner name; give two services different ones to race them on one database. */
  instanceId?: string;
  /** Share one clock between several services. */
  clock?: ManualClock;
}

/** The same composition as server.ts, on a fresh database, with a manual clock and silent logs. */
export async function startTestService(overrides: Partial<Record<keyof Config, unknown>> = {}, options: TestServiceOptions = {}): Promise<TestService> {
  if (options.freshDatabase !== false) await useFreshDatabase();
  const config = loadConfig({}, {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SERVER_SECRET: randomBytes(32).toString('base64'),
    ...overrides,
  });
  const logger = createLogger(config.LOG_LEVEL);
  const clock = options.clock ?? new ManualClock(new Date());
  const sodium = await loadSodium();
  await Promise.all(Object.values(mongoose.models).map((model) => model.init()));
  const services = composeServices({
    config,
    logger,
    clock,
    sodium,
    serverSecret: new Uint8Array(Buffer.from(config.SERVER_SECRET, 'base64')),
    readiness: { notReadyReason: async () => null },
    smsSender: options.smsSender,
    instanceId: options.instanceId,
  });
  // A check-in's alert work runs right after its reply; a test's tick comes after it, as a real tick
  // (seconds later) would, instead of racing it.
  const tickNow = services.scheduler.tick;
  services.scheduler.tick = async () => {
    await afterRepliesSettled();
    return tickNow();
  };
  // The built web app is served too (if src/web/dist exists), so browser tests drive the real thing.
  const app = createApp({ config, logger, routes: services.routes, authenticate: services.authenticate, version: 'test', before: webAppHandlers({ config }) });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  // Node closes an idle keep-alive socket after 5 s, about when fetch (undici, 4 s) reuses it; on a loaded
  // machine the two timers cross and a request dies with ECONNRESET. The client must always close first.
  server.keepAliveTimeout = 60_000;
  const { port } = server.address() as AddressInfo;
  return {
    app,
    clock,
    config,
    services,
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
