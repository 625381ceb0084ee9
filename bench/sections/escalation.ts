/**
 * Item 3: escalation latency and SMS throughput. --escalations check-ins (each defender with one opted-in
 * tier-1 contact) reach their deadline at the same moment D, while one server process (src/server.ts,
 * its node-cron scheduler every --tick-seconds) runs. For each contact: the time from D to the fake
 * Twilio accepting its SMS. Against: the fake Twilio's own capacity, measured alone with autocannon at
 * the service's concurrency of sends, and the real twilio SDK sender alone at that concurrency.
 */
import os from 'node:os';
import path from 'node:path';
import { SEND_CONCURRENCY } from '../../src/safety/delivery/deliver-outbox';
import { median, percentile, type BenchContext } from '../lib/context';
import { dropCurrentDatabase, useDatabase } from '../lib/database';
import { describeLoad, runLoad } from '../lib/load';
import { FAKE_TWILIO, OUT_DIR, PROXY_STATS_FILE, startServer } from '../lib/processes';
import { futureDeadlines, moveDeadlines, phoneFor, seedDefenders, seedKeys } from '../lib/seed';
import { atLeastRatio, atMostValue, format } from '../lib/table';
import { cpuDelta, cpuSecondsOf, descendantCpuByName } from '../lib/rss';
import { fakeTwilioSender } from '../lib/twilio';
import { analyzePostgres, dbSnapshot, describeDbWindow } from '../lib/db-profile';

const SECTION = '3. Escalation latency and SMS throughput';
/** The capacity is measured at the concurrency the service sends with (src/safety/delivery/deliver-outbox.ts). */
const SERVICE_SEND_CONCURRENCY = SEND_CONCURRENCY;
const LEAD_MS = 8_000;
/** Issue 14: a burst's tier-1 SMS are out within this many seconds of the deadline (p99), independent of the tick interval. */
const BURST_GOAL_SECONDS = 3;

export async function benchEscalation(ctx: BenchContext): Promise<void> {
  const count = ctx.opts.escalationCount;
  const capacity = await measureFakeCapacity(ctx);
  const sdk = await measureSdkSender(ctx);

  const dbName = 'bench_escalation';
  await useDatabase(ctx.db.uri, dbName);
  const keys = seedKeys(ctx.sodium, ctx.serverSecret);
  if (ctx.opts.background > 0) await seedDefenders(keys, futureDeadlines(ctx.opts.background, new Date()).map((deadline) => ({ deadline, live: false })));
  // Seeded with a far deadline first; all deadlines are then moved to one moment D with one update.
  const far = new Date(Date.now() + 3600_000);
  const FIRST = 500_000;
  const seeded = await seedDefenders(keys, Array.from({ length: count }, () => ({ deadline: far, live: true })), FIRST);
  // With --cpu-prof, also what the database did per alert (bench/lib/db-profile.ts).
  const commandsFile = ctx.opts.cpuProf ? path.join(OUT_DIR, 'profiles', 'escalation-server-commands.json') : undefined;
  const proxyFile = ctx.opts.cpuProf ? process.env.FERRETDB_PROXY_STATS ?? PROXY_STATS_FILE : undefined;
  const server = await startServer({ name: 'escalation-server', mongodbUri: ctx.db.uri, dbName, serverSecret: ctx.serverSecret, fakeTwilioUrl: ctx.fakeTwilio.url, tickSeconds: ctx.opts.tickSeconds, cpuProf: ctx.opts.cpuProf, env: { ...ctx.opts.serverEnv, ...(commandsFile ? { BENCH_COMMAND_STATS: commandsFile } : {}) } });
  try {
    await ctx.fakeTwilio.reset();
    const deadline = new Date(Date.now() + LEAD_MS);
    await moveDeadlines(seeded.map((s) => s.checkInId), deadline);
    if (process.env.BENCH_ANALYZE) await analyzePostgres(ctx.db.postgresqlUrl);
    if (Date.now() >= deadline.getTime()) throw new Error('moving the deadlines took longer than the lead time; raise LEAD_MS');
    ctx.log(`escalation: ${count} check-ins reach their deadline at ${deadline.toISOString()}; scheduler every ${ctx.opts.tickSeconds} s`);

    // The idle ticks before D are left out of the database profile: it covers D to the last SMS.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline.getTime() - Date.now() - 1200)));
    const dbBefore = commandsFile ? await dbSnapshot(commandsFile, proxyFile, ctx.db.postgresqlUrl) : null;
    const cpuBefore = descendantCpuByName();
    const serverCpuBefore = cpuSecondsOf(server.pid);
    const phones = new Set(seeded.map((s) => s.phone));
    const limitMs = Math.max(180_000, count * 300);
    const started = Date.now();
    let log = await ctx.fakeTwilio.log();
    let lastProgress = 0;
    for (;;) {
      const arrived = new Set(log.messages.filter((m) => phones.has(m.to)).map((m) => m.to)).size;
      if (arrived >= count || Date.now() - started > limitMs) break;
      if (Date.now() - lastProgress > 10_000) {
        ctx.log(`escalation:   ${arrived} of ${count} tier-1 SMS received`);
        lastProgress = Date.now();
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      log = await ctx.fakeTwilio.log();
    }
    const windowSeconds = (Date.now() - deadline.getTime()) / 1000;
    // The stats files are written once a second.
    if (dbBefore) await new Promise((resolve) => setTimeout(resolve, 1200));
    const dbAfter = dbBefore ? await dbSnapshot(commandsFile, proxyFile, ctx.db.postgresqlUrl) : null;
    const serverCpu = cpuSecondsOf(server.pid) - serverCpuBefore;
    const dbCpu = cpuDelta(cpuBefore, descendantCpuByName()).filter(([name]) => name !== 'node');
    const firstByPhone = new Map<string, number>();
    const perPhone = new Map<string, number>();
    for (const m of log.messages) {
      if (!phones.has(m.to)) continue;
      perPhone.set(m.to, (perPhone.get(m.to) ?? 0) + 1);
      if (!firstByPhone.has(m.to)) firstByPhone.set(m.to, m.at);
    }
    const latencies = [...firstByPhone.values()].map((at) => (at - deadline.getTime()) / 1000);
    const arrivals = [...firstByPhone.values()].sort((a, b) => a - b);
    const received = arrivals.length;
    const spanSeconds = received > 1 ? (arrivals[received - 1]! - arrivals[0]!) / 1000 : NaN;
    const rate = received > 1 ? (received - 1) / spanSeconds : NaN;
    const duplicates = [...perPhone.values()].filter((n) => n > 1).length;
    const missing = count - received;
    ctx.log(`escalation: ${received}/${count} received; p50 ${format(percentile(latencies, 50))} s, p99 ${format(percentile(latencies, 99))} s, max ${format(Math.max(...latencies))} s; ${format(rate)} SMS/s`);

    const p99 = missing > 0 ? Infinity : percentile(latencies, 99);
    ctx.rows.push({ item: 3, what: `deadline → tier-1 SMS, p50 (${count} at once)`, value: percentile(latencies, 50), unit: 's' });
    ctx.rows.push({ item: 3, what: `deadline → tier-1 SMS, p99 (${count} at once)`, value: p99, unit: 's', goal: atMostValue(BURST_GOAL_SECONDS, 's, whatever the tick interval') });
    ctx.rows.push({ item: 3, what: `deadline → tier-1 SMS, max (${count} at once)`, value: missing > 0 ? Infinity : Math.max(...latencies), unit: 's' });
    // The goal is against the real twilio SDK sender alone: what the service could reach if nothing but sending cost time.
    ctx.rows.push({ item: 3, what: 'SMS sending throughput vs the twilio SDK sender alone', value: rate, unit: 'SMS/s', baseline: { value: sdk.rate, what: `TwilioSmsSender alone, ${SERVICE_SEND_CONCURRENCY} concurrent` }, goal: atLeastRatio(0.5) });
    ctx.rows.push({ item: 3, what: 'SMS sending throughput (first to last tier-1 SMS)', value: rate, unit: 'SMS/s', baseline: { value: capacity.throughput, what: `fake Twilio alone, ${SERVICE_SEND_CONCURRENCY} connections` } });
    ctx.detail(SECTION, [
      `${count} defenders, each with one scheduled check-in and one opted-in tier-1 contact, among ${ctx.opts.background.toLocaleString('en-US')} other defenders; all ${count} deadlines moved to one moment D (${LEAD_MS / 1000} s ahead) while one server process ran with SCHEDULER_TICK_SECONDS=${ctx.opts.tickSeconds} and the other settings at their defaults (config/default.json; SCHEDULER_BATCH_SIZE is the limit per step per tick). Latency is from D to the fake Twilio accepting the contact's SMS. The goal (p99 ≤ ${BURST_GOAL_SECONDS} s) does not depend on the tick interval: an engine that waits for the next tick (up to ${ctx.opts.tickSeconds} s here) pays that wait in this figure.`,
      '',
      `- received ${received} of ${count} tier-1 SMS${missing > 0 ? ` (${missing} still missing after ${(limitMs / 1000).toFixed(0)} s: the p99 and max count as ∞)` : ''}; ${duplicates} contacts got more than one; ${log.requests} message requests reached the fake in all`,
      `- latency p50 ${format(percentile(latencies, 50))} s, p90 ${format(percentile(latencies, 90))} s, p99 ${format(percentile(latencies, 99))} s, max ${format(Math.max(...latencies))} s; first SMS ${format((arrivals[0]! - deadline.getTime()) / 1000)} s after D, last ${format((arrivals[received - 1]! - deadline.getTime()) / 1000)} s after D`,
      `- sending rate from the first to the last SMS: ${format(rate)} SMS/s over ${format(spanSeconds)} s; arrivals per 5 s after D: ${histogram(arrivals, deadline.getTime(), 5_000)}`,
      `- CPU used from D until the last SMS (${format(windowSeconds)} s of wall time, ${os.cpus().length} cores): the server process ${format(serverCpu)} s (${format((100 * serverCpu) / windowSeconds)} % of one core); ${dbCpu.map(([name, cpu]) => `${name} ${format(cpu)} s (${format((100 * cpu) / windowSeconds)} % of one core)`).join(', ') || 'database processes not visible (external database)'}`,
      `- the fake Twilio alone (autocannon, ${SERVICE_SEND_CONCURRENCY} connections, form-encoded Messages.json POSTs): ${describeLoad(capacity)}`,
      `- the real TwilioSmsSender alone (twilio SDK, ${SERVICE_SEND_CONCURRENCY} concurrent sends, in the bench process): ${format(sdk.rate)} SMS/s, median ${format(sdk.medianMs)} ms per send`,
      ...(dbBefore && dbAfter ? describeDbWindow(dbBefore, dbAfter, count, 'alert', windowSeconds) : []),
    ].join('\n'));
    if (duplicates > 0) ctx.detail(SECTION, `**${duplicates} contacts received their tier-1 alert more than once.**`);
  } finally {
    ctx.memory.push({ run: `escalation run, ${count} alerts (server process)`, peakMiB: await server.stop() });
    await dropCurrentDatabase();
    await ctx.fakeTwilio.reset();
  }
}

/** The fake server's capacity alone: POSTs shaped like the SDK's, at the service's send concurrency. */
async function measureFakeCapacity(ctx: BenchContext) {
  await ctx.fakeTwilio.reset();
  const body = new URLSearchParams({ To: phoneFor(1), From: FAKE_TWILIO.from, Body: 'ALERTA: Defender 1 no confirmó su check-in de las 18:00 (UTC-6). Mensaje: Check on defender 1', StatusCallback: 'https://meshwork.bench.invalid/v1/sms/status?outboxId=0123456789abcdef01234567' }).toString();
  const auth = `Basic ${Buffer.from(`${FAKE_TWILIO.accountSid}:${FAKE_TWILIO.authToken}`).toString('base64')}`;
  const result = await runLoad({
    urls: [ctx.fakeTwilio.url], connections: SERVICE_SEND_CONCURRENCY, duration: 5,
    requestsFor: () => [{ method: 'POST', path: `/2010-04-01/Accounts/${FAKE_TWILIO.accountSid}/Messages.json`, headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth }, body }],
  });
  ctx.log(`escalation: fake Twilio alone ${describeLoad(result)}`);
  await ctx.fakeTwilio.reset();
  return result;
}

/** The real TwilioSmsSender (SDK, its HTTP client) alone at the same concurrency, for 3 s. */
async function measureSdkSender(ctx: BenchContext): Promise<{ rate: number; medianMs: number }> {
  const sender = fakeTwilioSender(ctx.fakeTwilio.url);
  const until = Date.now() + 3_000;
  const times: number[] = [];
  let sent = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: SERVICE_SEND_CONCURRENCY }, async (_, worker) => {
      while (Date.now() < until) {
        const t = performance.now();
        await sender.send({ to: phoneFor(worker), body: 'ALERTA: benchmark message', outboxId: `bench${worker}` });
        times.push(performance.now() - t);
        sent += 1;
      }
    }),
  );
  const rate = sent / ((Date.now() - started) / 1000);
  ctx.log(`escalation: TwilioSmsSender alone ${format(rate)} SMS/s`);
  await ctx.fakeTwilio.reset();
  return { rate, medianMs: median(times) };
}

function histogram(arrivals: number[], from: number, bucketMs: number): string {
  const counts: number[] = [];
  for (const at of arrivals) {
    const bucket = Math.max(0, Math.floor((at - from) / bucketMs));
    counts[bucket] = (counts[bucket] ?? 0) + 1;
  }
  return Array.from(counts, (n) => n ?? 0).join(' ');
}
