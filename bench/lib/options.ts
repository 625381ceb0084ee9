import { Command, Option } from 'commander';

export const SECTIONS = ['vault', 'checkin', 'tick', 'escalation', 'timing', 'scaleout'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchOptions {
  /** An existing MongoDB (or FerretDB); empty: start the embedded database. */
  mongodbUri: string;
  sections: Section[];
  /** Scheduled check-ins seeded for the tick benchmark, smallest first. */
  populations: number[];
  /** Seconds a tick population may take (seeding + ticks), estimated from the previous one; larger ones are skipped and said so. */
  tickBudgetSeconds: number;
  /** Check-ins due in the "some due" tick measurement. */
  due: number;
  /** Ticks timed per population and case (median reported). */
  tickRepeats: number;
  /** Check-ins that miss their deadline at once in the escalation benchmark. */
  escalationCount: number;
  /** SCHEDULER_TICK_SECONDS of the server processes (must divide 60). */
  tickSeconds: number;
  /** Seconds of load per autocannon run. */
  duration: number;
  connections: number;
  /** Check-ins in the collection besides the ones under load (the check-in and scale-out runs). */
  background: number;
  /** Uploads per vault run (each a distinct, freshly signed document). */
  vaultUploads: number;
  vaultKiB: number;
  /** Start the server processes with --cpu-prof (profiles go to bench/out/profiles). */
  cpuProf: boolean;
  /** Where the results go; '' skips writing. */
  resultsFile: string;
  /** which sizes were given (flag or environment) rather than defaulted */
  explicit: { populations: boolean; escalations: boolean };
  /** Extra settings for the server processes (experiments, e.g. SCHEDULER_BATCH_SIZE=1000). */
  serverEnv: Record<string, string>;
}

const list = (value: string) => value.split(',').map((s) => s.trim()).filter(Boolean);
const numbers = (value: string) => list(value).map((s) => Number(s.replace(/_/g, '').replace(/k$/i, '000').replace(/m$/i, '000000')));
const integer = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`not a positive integer: ${value}`);
  return n;
};

/** Flags override environment variables (BENCH_*), which override defaults sized to finish in under 10 minutes on 2 cores. */
export function parseOptions(argv: string[]): BenchOptions {
  const program = new Command('bench')
    .description('Meshwork benchmarks: every figure against a baseline measured in the same run')
    .addOption(new Option('--mongodb-uri <uri>', 'MongoDB to run against (default: start the embedded database)').env('MONGODB_URI').default(''))
    .addOption(new Option('--only <sections>', `comma-separated subset of ${SECTIONS.join(',')}`).env('BENCH_ONLY').default(SECTIONS.join(',')))
    .addOption(new Option('--populations <list>', 'scheduled check-ins for the tick benchmark (default 1k,10k,100k,1m; 1m runs only if it fits --tick-budget)').env('BENCH_POPULATIONS'))
    .addOption(new Option('--tick-budget <seconds>', 'longest a tick population may take, estimated from the previous one (seeding and ticks); a larger one is skipped').env('BENCH_TICK_BUDGET').default('480'))
    .addOption(new Option('--due <n>', 'check-ins due in the "100 due" tick case').env('BENCH_DUE').default('100'))
    .addOption(new Option('--tick-repeats <n>', 'ticks timed per population and case').env('BENCH_TICK_REPEATS').default('3'))
    .addOption(new Option('--escalations <n>', 'check-ins missing their deadline at once (default 1000; 10000 on a real MongoDB)').env('BENCH_ESCALATIONS'))
    .addOption(new Option('--tick-seconds <n>', 'scheduler interval of the server processes').env('BENCH_TICK_SECONDS').default('5'))
    .addOption(new Option('--duration <seconds>', 'seconds of load per autocannon run').env('BENCH_DURATION').default('10'))
    .addOption(new Option('--connections <n>', 'concurrent connections of the load generator').env('BENCH_CONNECTIONS').default('16'))
    .addOption(new Option('--background <n>', 'other check-ins in the collection during the check-in load').env('BENCH_BACKGROUND').default('1000'))
    .addOption(new Option('--vault-uploads <n>', 'uploads per vault run').env('BENCH_VAULT_UPLOADS').default('60'))
    .addOption(new Option('--vault-kib <n>', 'plaintext size of a vault document').env('BENCH_VAULT_KIB').default('100'))
    .addOption(new Option('--cpu-prof', 'run the server processes with --cpu-prof (written to bench/out/profiles/SERVER/; summarise with bench/profile-summary.ts), and report the database commands per alert and per check-in, the FerretDB proxy\'s lock wait and PostgreSQL\'s statistics (bench/PROFILE.md)').env('BENCH_CPU_PROF'))
    .addOption(new Option('--server-env <list>', 'extra settings for the server processes, e.g. SCHEDULER_BATCH_SIZE=1000,ESCALATION_REPEATS=0').env('BENCH_SERVER_ENV').default(''))
    .addOption(new Option('--results <file>', "where to write the results ('' to skip)").env('BENCH_RESULTS').default('bench/RESULTS.md'))
    .parse(argv);
  const o = program.opts<Record<string, string | boolean | undefined>>();
  const sections = list(String(o.only)) as Section[];
  for (const s of sections) if (!SECTIONS.includes(s)) throw new Error(`unknown section ${s}; choose from ${SECTIONS.join(',')}`);
  return {
    mongodbUri: String(o.mongodbUri ?? ''),
    sections,
    populations: numbers(String(o.populations ?? '1k,10k,100k,1m')).sort((a, b) => a - b),
    tickBudgetSeconds: integer(String(o.tickBudget)),
    due: integer(String(o.due)),
    tickRepeats: integer(String(o.tickRepeats)),
    escalationCount: integer(String(o.escalations ?? 1_000)),
    tickSeconds: integer(String(o.tickSeconds)),
    duration: integer(String(o.duration)),
    connections: integer(String(o.connections)),
    background: Number(o.background),
    vaultUploads: integer(String(o.vaultUploads)),
    vaultKiB: integer(String(o.vaultKib)),
    cpuProf: Boolean(o.cpuProf),
    resultsFile: String(o.results ?? ''),
    explicit: { populations: o.populations !== undefined, escalations: o.escalations !== undefined },
    serverEnv: Object.fromEntries(
      list(String(o.serverEnv ?? '')).map((pair) => {
        const [key, ...value] = pair.split('=');
        if (!key || value.length === 0) throw new Error(`--server-env wants KEY=VALUE pairs, got ${pair}`);
        return [key, value.join('=')];
      }),
    ),
  };
}
