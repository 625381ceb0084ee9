import { randomBytes } from 'node:crypto';
import type { Sodium } from '../../src/shared/sodium';
import type { BenchDatabase } from './database';
import type { BenchOptions } from './options';
import type { FakeTwilioProcess } from './processes';
import type { Row } from './table';

export interface BenchContext {
  opts: BenchOptions;
  db: BenchDatabase;
  sodium: Sodium;
  fakeTwilio: FakeTwilioProcess;
  /** one SERVER_SECRET for the whole run: the bench encrypts seeded fields with the key the servers derive from it */
  serverSecret: string;
  rows: Row[];
  /** markdown paragraphs for RESULTS.md under the section's heading */
  details: Map<string, string[]>;
  /** memory rows, gathered from every run (item 5) */
  memory: Array<{ run: string; peakMiB: number; baseline?: { peakMiB: number; what: string } }>;
  log(message: string): void;
  detail(section: string, text: string): void;
}

export function createContext(opts: BenchOptions, db: BenchDatabase, sodium: Sodium, fakeTwilio: FakeTwilioProcess, startedAt: number): BenchContext {
  const details = new Map<string, string[]>();
  return {
    opts,
    db,
    sodium,
    fakeTwilio,
    serverSecret: randomBytes(32).toString('base64'),
    rows: [],
    details,
    memory: [],
    log(message) {
      console.log(`[${((Date.now() - startedAt) / 1000).toFixed(1).padStart(6)} s] ${message}`);
    },
    detail(section, text) {
      const list = details.get(section) ?? [];
      list.push(text);
      details.set(section, list);
    },
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = process.hrtime.bigint();
  const result = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}
