/**
 * Item 3 (timing): how close to the deadline, and to the configured tier wait, the service acts when
 * nothing else is happening at once. Against running server processes (src/server.ts, two of them,
 * with their node-cron schedulers and background population), not an in-process tick.
 *   one at a time: single check-ins miss deadlines spread over time (one every few seconds); for each,
 *                  the time from its deadline to the fake Twilio accepting its tier-1 SMS.
 *   tier wait:     defenders with a tier-1 and a tier-2 contact miss their deadline and nobody answers;
 *                  ESCALATION_TIER_WAIT_SECONDS is set, and the time from the tier-1 SMS to the tier-2 SMS
 *                  at the fake Twilio is compared with it.
 */
import type { Types } from 'mongoose';
import { percentile, type BenchContext } from '../lib/context';
import { dropCurrentDatabase, useDatabase } from '../lib/database';
import { startServer, type NodeChild } from '../lib/processes';
import { futureDeadlines, moveDeadlines, phoneFor, seedDefenders, seedKeys, TIER_2_OFFSET } from '../lib/seed';
import { atMostRatio, atMostValue, format } from '../lib/table';

const SECTION = '3b. Escalation timing: one at a time, and the tier wait';
/** Issue 14: one missed deadline's tier-1 SMS within this many seconds (p99). */
const ONE_AT_A_TIME_GOAL_SECONDS = 1;
/** Check-ins missing their deadlines one by one, and the spacing of their deadlines. */
const SINGLES = 20;
const SPACING_MS = 2_500;
/** The first deadline this long after seeding: the servers have loaded it by then, as they would a real one. */
const SINGLES_LEAD_MS = 20_000;
// Not a multiple of the tick interval (5 s by default), so an engine that acts only on ticks shows its rounding.
const TIER_WAIT_SECONDS = 22;
const TIER_DEFENDERS = 10;
const TIER_LEAD_MS = 10_000;

export async function benchTiming(ctx: BenchContext): Promise<void> {
  await oneAtATime(ctx);
  await tierWait(ctx);
}

async function startServers(ctx: BenchContext, dbName: string, env: Record<string, string>): Promise<NodeChild[]> {
  const servers: NodeChild[] = [];
  for (const name of ['timing-a', 'timing-b']) {
    servers.push(await startServer({ name, mongodbUri: ctx.db.uri, dbName, serverSecret: ctx.serverSecret, fakeTwilioUrl: ctx.fakeTwilio.url, tickSeconds: ctx.opts.tickSeconds, cpuProf: ctx.opts.cpuProf, env: { ...ctx.opts.serverEnv, ...env } }));
  }
  return servers;
}

/** First SMS per phone number at the fake Twilio (ms since the epoch), waiting until all have arrived or the time is up. */
async function firstArrivals(ctx: BenchContext, phones: string[], untilMs: number): Promise<Map<string, number>> {
  const wanted = new Set(phones);
  for (;;) {
    const log = await ctx.fakeTwilio.log();
    const first = new Map<string, number>();
    for (const m of log.messages) if (wanted.has(m.to) && !first.has(m.to)) first.set(m.to, m.at);
    if (first.size >= wanted.size || Date.now() > untilMs) return first;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function oneAtATime(ctx: BenchContext): Promise<void> {
  const dbName = 'bench_timing_single';
  await useDatabase(ctx.db.uri, dbName);
  const keys = seedKeys(ctx.sodium, ctx.serverSecret);
  if (ctx.opts.background > 0) await seedDefenders(keys, futureDeadlines(ctx.opts.background, new Date()).map((deadline) => ({ deadline, live: false })));
  const FIRST = 600_000;
  const seeded = await seedDefenders(keys, Array.from({ length: SINGLES }, () => ({ deadline: new Date(Date.now() + 3600_000), live: true })), FIRST);
  const servers = await startServers(ctx, dbName, {});
  try {
    await ctx.fakeTwilio.reset();
    const start = Date.now() + SINGLES_LEAD_MS;
    const deadlines = seeded.map((_, i) => new Date(start + i * SPACING_MS));
    for (let i = 0; i < seeded.length; i += 1) await moveDeadlines([seeded[i]!.checkInId as Types.ObjectId], deadlines[i]!);
    ctx.log(`timing: ${SINGLES} check-ins miss their deadlines one by one, every ${SPACING_MS / 1000} s from ${new Date(start).toISOString()}`);
    const last = start + (SINGLES - 1) * SPACING_MS;
    const arrivals = await firstArrivals(ctx, seeded.map((s) => s.phone), last + 60_000);
    const latencies = seeded.flatMap((s, i) => (arrivals.has(s.phone) ? [(arrivals.get(s.phone)! - deadlines[i]!.getTime()) / 1000] : []));
    const missing = SINGLES - latencies.length;
    const p99 = missing > 0 ? Infinity : percentile(latencies, 99);
    ctx.rows.push({ item: 3, what: 'deadline → tier-1 SMS, p99 (one at a time)', value: p99, unit: 's', goal: atMostValue(ONE_AT_A_TIME_GOAL_SECONDS, 's') });
    ctx.detail(SECTION, [
      `One at a time: ${SINGLES} defenders (one tier-1 contact each) among ${ctx.opts.background.toLocaleString('en-US')} others, their deadlines ${SPACING_MS / 1000} s apart starting ${SINGLES_LEAD_MS / 1000} s after seeding, while two server processes ran (SCHEDULER_TICK_SECONDS=${ctx.opts.tickSeconds}). Latency from each deadline to the fake Twilio accepting that contact's SMS.`,
      '',
      `- received ${latencies.length} of ${SINGLES}${missing > 0 ? ` (${missing} missing 60 s after the last deadline: p99 counts as ∞)` : ''}; p50 ${format(percentile(latencies, 50))} s, p99 ${format(percentile(latencies, 99))} s, max ${format(Math.max(...latencies))} s`,
      `- each latency in deadline order (s): ${latencies.map((l) => format(l)).join(', ')}`,
    ].join('\n'));
  } finally {
    for (const server of servers) ctx.memory.push({ run: `timing run, one at a time, ${server.name} (server process)`, peakMiB: await server.stop() });
    await dropCurrentDatabase();
    await ctx.fakeTwilio.reset();
  }
}

async function tierWait(ctx: BenchContext): Promise<void> {
  const dbName = 'bench_timing_tiers';
  await useDatabase(ctx.db.uri, dbName);
  const keys = seedKeys(ctx.sodium, ctx.serverSecret);
  const FIRST = 700_000;
  const seeded = await seedDefenders(keys, Array.from({ length: TIER_DEFENDERS }, () => ({ deadline: new Date(Date.now() + 3600_000), live: true, tier2: true })), FIRST);
  const servers = await startServers(ctx, dbName, { ESCALATION_TIER_WAIT_SECONDS: String(TIER_WAIT_SECONDS) });
  try {
    await ctx.fakeTwilio.reset();
    const deadline = new Date(Date.now() + TIER_LEAD_MS);
    await moveDeadlines(seeded.map((s) => s.checkInId as Types.ObjectId), deadline);
    ctx.log(`timing: ${TIER_DEFENDERS} defenders miss their deadline at ${deadline.toISOString()}; tier wait ${TIER_WAIT_SECONDS} s`);
    const tier1 = seeded.map((s) => s.phone);
    const tier2 = seeded.map((_, i) => phoneFor(FIRST + i + TIER_2_OFFSET));
    const arrivals = await firstArrivals(ctx, [...tier1, ...tier2], deadline.getTime() + TIER_WAIT_SECONDS * 1000 + 90_000);
    const waits = seeded.flatMap((_, i) => {
      const first = arrivals.get(tier1[i]!);
      const second = arrivals.get(tier2[i]!);
      return first !== undefined && second !== undefined ? [(second - first) / 1000] : [];
    });
    const missing = TIER_DEFENDERS - waits.length;
    const worst = missing > 0 ? Infinity : Math.max(...waits);
    ctx.rows.push({ item: 3, what: 'tier wait, actual vs configured', value: worst, unit: 's', baseline: { value: TIER_WAIT_SECONDS, what: 'ESCALATION_TIER_WAIT_SECONDS' }, goal: atMostRatio(1.05) });
    ctx.detail(SECTION, [
      `Tier wait: ${TIER_DEFENDERS} defenders, each with an opted-in tier-1 and tier-2 contact, miss one deadline together while two server processes ran with ESCALATION_TIER_WAIT_SECONDS=${TIER_WAIT_SECONDS} (SCHEDULER_TICK_SECONDS=${ctx.opts.tickSeconds}); nobody answers. The row is the longest time from a defender's tier-1 SMS to their tier-2 SMS at the fake Twilio, against the configured wait.`,
      '',
      `- pairs received ${waits.length} of ${TIER_DEFENDERS}${missing > 0 ? ` (${missing} missing: the row counts as ∞)` : ''}; waits (s): ${waits.map((w) => format(w)).join(', ')}`,
    ].join('\n'));
  } finally {
    for (const server of servers) ctx.memory.push({ run: `timing run, tier wait, ${server.name} (server process)`, peakMiB: await server.stop() });
    await dropCurrentDatabase();
    await ctx.fakeTwilio.reset();
  }
}
