import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..');
const builtPage = path.join(repoRoot, 'src/web/dist/index.html');

/** What the browser bundle is made of; a change to any of these makes the built app stale. */
const INPUTS = ['src/web/app', 'src/web/i18n', 'src/client', 'src/shared', 'src/accounts/account.schemas.ts', 'src/http/zod.ts', 'vite.config.mts', 'package-lock.json'];

function newestModification(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stats = statSync(entry);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(entry).reduce((newest, name) => Math.max(newest, newestModification(path.join(entry, name))), stats.mtimeMs);
}

export function webBuildIsStale(): boolean {
  if (!existsSync(builtPage)) return true;
  const builtAt = statSync(builtPage).mtimeMs;
  return INPUTS.some((input) => newestModification(path.join(repoRoot, input)) > builtAt);
}

/** Runs `vite build` when src/web/dist is missing or older than its sources; quick no-op otherwise. */
export function buildWebAppIfStale(options: { quiet?: boolean } = {}): boolean {
  if (!webBuildIsStale()) return false;
  const vite = path.join(repoRoot, 'node_modules/vite/bin/vite.js');
  execFileSync(process.execPath, [vite, 'build', '--config', path.join(repoRoot, 'vite.config.mts'), ...(options.quiet ? ['--logLevel', 'warn'] : [])], {
    cwd: repoRoot,
    stdio: options.quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
    env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
  });
  return true;
}

if (require.main === module) {
  if (!buildWebAppIfStale()) console.error('Web app is up to date (src/web/dist).');
}
