import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../shared/logger';
import { ConfigError } from './load';
import type { Config } from './schema';

/**
 * SERVER_SECRET from config; in production it is required. For a developer's `npm start` one is made
 * once and kept beside the embedded database (mode 0600), so encrypted fields survive restarts.
 */
export function resolveServerSecret(config: Pick<Config, 'SERVER_SECRET' | 'NODE_ENV' | 'DATA_DIR'>, logger: Logger): Uint8Array {
  if (config.SERVER_SECRET) return new Uint8Array(Buffer.from(config.SERVER_SECRET, 'base64'));
  if (config.NODE_ENV === 'production') {
    throw new ConfigError('SERVER_SECRET: required in production (32 random bytes, base64: openssl rand -base64 32)');
  }
  const file = path.join(config.DATA_DIR, 'server-secret');
  if (!existsSync(file)) {
    mkdirSync(config.DATA_DIR, { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    logger.warn({ file }, 'SERVER_SECRET not set: generated a development secret; set SERVER_SECRET in production');
  }
  const secret = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (secret.length !== 32) throw new ConfigError(`SERVER_SECRET: ${file} does not hold 32 bytes in base64`);
  return new Uint8Array(secret);
}
