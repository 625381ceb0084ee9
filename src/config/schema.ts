import { z } from 'zod';

const booleanFromEnv = z.union([z.boolean(), z.enum(['true', 'false', '1', '0'])]).transform((v) => v === true || v === 'true' || v === '1');
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

function isHttpsOrLoopback(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return url.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

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
    // Names this process in scheduler leases; empty: hostname, pid and a random suffix.
    INSTANCE_ID: z.string().regex(/^[A-Za-z0-9_.:-]{0,80}$/, 'letters, digits and _ . : - only'),
    // node-cron fires on second marks, so the interval must divide a minute.
    SCHEDULER_TICK_SECONDS: positiveInt.max(60).refine((n) => 60 % n === 0, 'must divide 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60)'),
    // A claimed item is another instance's to take over after this long; must outlast one Twilio request.
    SCHEDULER_LEASE_SECONDS: positiveInt.min(30).max(3600),
    SCHEDULER_BATCH_SIZE: positiveInt.max(10000),
    // Items each step works on at once: they mostly wait on the database, so a few in parallel drain a burst far faster.
    SCHEDULER_CONCURRENCY: positiveInt.max(64),
    ESCALATION_TIER_WAIT_SECONDS: positiveInt.max(86400),
    // How many more rounds through every tier after the last, while nobody has acknowledged.
    ESCALATION_REPEATS: z.coerce.number().int().min(0).max(10),
    OUTBOX_MAX_ATTEMPTS: positiveInt.max(50),
    OUTBOX_BACKOFF_BASE_SECONDS: positiveInt.max(3600),
    OUTBOX_BACKOFF_MAX_SECONDS: positiveInt.max(86400),
    // auto: twilio when TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are set, else log (prints masked messages, sends nothing).
    SMS_TRANSPORT: z.enum(['auto', 'twilio', 'log']),
    TWILIO_ACCOUNT_SID: z.string().regex(/^(AC[0-9a-fA-F]{32})?$/, 'must look like AC followed by 32 hex digits'),
    TWILIO_AUTH_TOKEN: z.string(),
    TWILIO_FROM_NUMBER: z.string().regex(/^(\+[1-9][0-9]{6,14})?$/, 'must be an E.164 number like +15005550006'),
    TWILIO_MESSAGING_SERVICE_SID: z.string().regex(/^(MG[0-9a-fA-F]{32})?$/, 'must look like MG followed by 32 hex digits'),
    // The REST API the twilio SDK talks to: Twilio's, a Twilio-compatible provider, or a local test double.
    // It receives the account SID and auth token, so plain http is allowed only to this machine.
    TWILIO_API_BASE_URL: z
      .url({ protocol: /^https?$/ })
      .refine(isHttpsOrLoopback, 'must be https (plain http only to localhost, 127.0.0.1 or [::1])')
      .transform((u) => u.replace(/\/+$/, '')),
    JSON_BODY_LIMIT_BYTES: positiveInt.max(16 * 1024 * 1024),
    VAULT_MAX_DOCUMENT_BYTES: positiveInt.min(4096).max(8 * 1024 * 1024),
    SESSION_TTL_SECONDS: positiveInt.min(60),
    LOGIN_FAILURES_BEFORE_DELAY: positiveInt.max(100000),
    // An address may be shared (a collective's office, a carrier's NAT), so it gets more room than a handle.
    LOGIN_ADDRESS_FAILURES_BEFORE_DELAY: positiveInt.max(100000),
    LOGIN_MAX_DELAY_SECONDS: positiveInt,
    // Room for a workshop registering together behind one address; stops scripted mass registration.
    REGISTRATIONS_PER_ADDRESS_PER_HOUR: positiveInt.max(100000),
    SHUTDOWN_GRACE_SECONDS: positiveInt.max(300),
    // Where the web app's quick exit sends the page: a neutral, common site (it replaces the page, no back entry).
    WEB_QUICK_EXIT_URL: z.url({ protocol: /^https?$/ }),
    // The web app wipes keys from memory after this much inactivity; a person may choose a shorter delay.
    WEB_AUTO_LOCK_MINUTES: positiveInt.max(240),
    // Optional disguise: the name the web app shows (tab title, top bar) with a neutral icon; empty: "Meshwork".
    // Letters, digits, spaces and . ' - only: it is written into the page, and must read as an ordinary app.
    WEB_DISGUISE_NAME: z.string().max(40).regex(/^[\p{L}\p{N} .'-]*$/u, "letters, digits, spaces and . ' - only"),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
