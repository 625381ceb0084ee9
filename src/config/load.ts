import { readFileSync } from 'node:fs';
import path from 'node:path';
import { configSchema, type Config } from './schema';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export const projectRoot = path.resolve(__dirname, '..', '..');

function readDefaults(): Record<string, unknown> {
  const file = path.join(projectRoot, 'config', 'default.json');
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** The only place that reads process.env. Unknown MESHWORK_ keys are ignored; bad values stop start-up naming the key. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Record<string, unknown>> = {}): Config {
  const defaults = readDefaults();
  const merged: Record<string, unknown> = { ...defaults };
  for (const key of Object.keys(defaults)) {
    const value = env[key];
    if (value !== undefined) merged[key] = value;
  }
  Object.assign(merged, overrides);
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(config)'}: ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  return resolvePaths(parsed.data);
}

function resolvePaths(config: Config): Config {
  return { ...config, DATA_DIR: path.resolve(projectRoot, config.DATA_DIR) };
}

