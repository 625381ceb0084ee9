/**
 * Item 1: the check-in request under concurrent load. The real route (session, validation, PIN check
 * against both keyed PIN hashes, guarded move to the next occurrence, timeline event) against a bare
 * Express route doing the same single-document update on the same collection. A second baseline adds
 * the two keyed PIN hashes to the bare route, to show how much of the gap is the PIN hashing
 * chosen on purpose (src/checkins/pin-hash.ts) and how much is everything else.
 */
import path from 'node:path';
import type { BenchContext } from '../lib/context';
import { analyzePostgres, dbSnapshot, describeDbWindow } from '../lib/db-profile';
import { baselineCheckInPath, baselineWithPinHashesPath, checkInRequests, prepareCheckIns, realCheckInPath } from '../lib/checkin-load';
import { dropCurrentDatabase, useDatabase } from '../lib/database';
import { describeLoad, runInterleaved } from '../lib/load';
import { OUT_DIR, startBaselineServer, startServer } from '../lib/processes';
import { futureDeadlines, seedDefenders, seedKeys } from '../lib/seed';
import { atLeastRatio } from '../lib/table';

const SECTION = '1. Check-in request';
const ROUNDS = 2;

export async function benchCheckIn(ctx: BenchContext): Promise<void> {
  const dbName = 'bench_checkin';
  await useDatabase(ctx.db.uri, dbName);
  if (ctx.opts.background > 0) {
    await seedDefenders(seedKeys(ctx.sodium, ctx.serverSecret), futureDeadlines(ctx.opts.background, new Date()).map((deadline) => ({ deadline, live: false })));
  }
  // With --cpu-prof, also the real route's database commands per check-in (bench/lib/db-profile.ts).
  const commandsFile = ctx.opts.cpuProf ? path.join(OUT_DIR, 'profiles', 'checkin-server-commands.json') : undefined;
  const server = await startServer({ name: 'checkin-server', mongodbUri: ctx.db.uri, dbName, serverSecret: ctx.serverSecret, fakeTwilioUrl: ctx.fakeTwilio.url, tickSeconds: ctx.opts.tickSeconds, cpuProf: ctx.opts.cpuProf, env: { ...ctx.opts.serverEnv, ...(commandsFile ? { BENCH_COMMAND_STATS: commandsFile } : {}) } });
  const baseline = await startBaselineServer(ctx.db.uri, dbName);
  try {
    const { connections, duration } = ctx.opts;
    ctx.log(`check-in: preparing ${connections} check-ins over 4 accounts through the API`);
    const targets = await prepareCheckIns(server.url, connections, 4);

    if (process.env.BENCH_ANALYZE) await analyzePostgres(ctx.db.postgresqlUrl);
    const settle = () => new Promise((resolve) => setTimeout(resolve, 1200)); // the stats files are written once a second
    if (commandsFile) await settle();
    const dbBefore = commandsFile ? await dbSnapshot(commandsFile, process.env.FERRETDB_PROXY_STATS, ctx.db.postgresqlUrl) : null;
    const loadStarted = Date.now();
    ctx.log(`check-in: ${duration} s of load per route, ${connections} connections, real / bare / bare + PIN hashes taking turns`);
    const { real, base, hashed } = await runInterleaved(
      {
        real: { urls: [server.url], connections, requestsFor: checkInRequests(targets, realCheckInPath) },
        base: { urls: [baseline.url], connections, requestsFor: checkInRequests(targets, baselineCheckInPath) },
        hashed: { urls: [baseline.url], connections, requestsFor: checkInRequests(targets, baselineWithPinHashesPath) },
      },
      duration,
      ROUNDS,
    );
    if (commandsFile) await settle();
    const dbAfter = dbBefore ? await dbSnapshot(commandsFile, process.env.FERRETDB_PROXY_STATS, ctx.db.postgresqlUrl) : null;
    ctx.log(`check-in: real ${describeLoad(real)}`);
    ctx.log(`check-in: baseline ${describeLoad(base)}`);
    ctx.log(`check-in: baseline + PIN hashes ${describeLoad(hashed)}`);

    ctx.rows.push({ item: 1, what: 'check-in throughput', value: real.throughput, unit: 'req/s', baseline: { value: base.throughput, what: 'bare Express, same update' }, goal: atLeastRatio(0.5) });
    ctx.rows.push({ item: 1, what: 'check-in latency p50', value: real.p50, unit: 'ms', baseline: { value: base.p50, what: 'bare Express' } });
    ctx.rows.push({ item: 1, what: 'check-in latency p99', value: real.p99, unit: 'ms', baseline: { value: base.p99, what: 'bare Express' } });
    // Not the goal: a diagnostic that separates the deliberate PIN hashing from the rest of the route.
    ctx.rows.push({ item: 1, what: 'check-in throughput (diagnostic: baseline also does the 2 PIN hashes)', value: real.throughput, unit: 'req/s', baseline: { value: hashed.throughput, what: 'bare Express + 2 PIN hashes + same update' }, goal: { ...atLeastRatio(0.5), text: 'diagnostic ≥ 0.5' } });
    ctx.detail(SECTION, [
      `${connections} connections, ${duration} s per run, each connection checking in to its own check-in (${targets.length} check-ins of 4 accounts made through the API) among ${ctx.opts.background.toLocaleString('en-US')} other scheduled check-ins. The three loads take turns (real, bare, bare + PIN hashes) in ${ROUNDS} rounds of ${Math.round(duration / ROUNDS)} s; answers in each round's first second are not counted.`,
      '',
      `- real route: ${describeLoad(real)}`,
      `- bare Express (one updateOne on checkins): ${describeLoad(base)}`,
      `- bare Express + two keyed PIN hashes (HMAC-SHA256, as src/checkins/pin-hash.ts) + the same update: ${describeLoad(hashed)}`,
      // Per check-in of the real route (its findAndModify on checkins); the proxy and PostgreSQL lines include the baselines' load.
      ...(dbBefore && dbAfter ? describeDbWindow(dbBefore, dbAfter, Math.max(1, (dbAfter.commands['findAndModify checkins']?.count ?? 0) - (dbBefore.commands['findAndModify checkins']?.count ?? 0)), 'check-in', (Date.now() - loadStarted) / 1000) : []),
    ].join('\n'));
  } finally {
    const serverPeak = await server.stop();
    const baselinePeak = await baseline.stop();
    ctx.memory.push({ run: 'check-in run (server process)', peakMiB: serverPeak, baseline: { peakMiB: baselinePeak, what: 'bare Express process' } });
    await dropCurrentDatabase();
  }
}
