import { z } from 'zod';

const booleanFromEnv = z.union([z.boolean(), z.enum(['true', 'false', '1', '0'])]).transform((v) => v === true || v === 'true' || v === '1');
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

/**
 * Every setting, keyed by its environment variable. Defaults live in config/default.json;
 * the environment overrides them. Keep .env.example in step (a test checks it).
 */
export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']),
    HOST: z.string().min(1),
    PORT: port,
    PUBLIC_URL: z.url().transform((u) => u.replace(/\/+$/, '')),
    TRUST_PROXY: booleanFromEnv,
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    MONGODB_URI: z.string().refine((v) => v === '' || /^mongodb(\+srv)?:\/\//.test(v), 'must start with mongodb:// or mongodb+srv://'),
    DB_NAME: z.string().regex(/^[A-Za-z0-9_-]{1,60}$/, 'letters, digits, _ and - only'),
    EMBEDDED_DB: z.enum(['auto', 'mongodb', 'ferretdb']),
    DATA_DIR: z.string().min(1),
    // 32 random bytes, base64: encrypts phone numbers and alert texts at rest, keys HMACs.
    SERVER_SECRET: z.string().refine((v) => v === '' || Buffer.from(v, 'base64').length === 32, 'must be 32 random bytes in base64 (openssl rand -base64 32)'),
    JSON_BODY_LIMIT_BYTES: positiveInt.max(16 * 1024 * 1024),
    SESSION_TTL_SECONDS: positiveInt.min(60),
    LOGIN_FAILURES_BEFORE_DELAY: positiveInt.max(100),
    // An address may be shared (a collective's office, a carrier's NAT), so it gets more room than a handle.
    LOGIN_ADDRESS_FAILURES_BEFORE_DELAY: positiveInt.max(100000),
    LOGIN_MAX_DELAY_SECONDS: positiveInt,
    SHUTDOWN_GRACE_SECONDS: positiveInt.max(300),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type ConfigKey = keyof Config;
