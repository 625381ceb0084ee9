/**
 * Item 2: the scheduler tick's cost as the population grows. N scheduled check-ins are seeded in bulk
 * (with their defenders' profiles and contacts, since the tick reads those too); the tick is the one
 * node-cron calls (services.scheduler.tick(), composed as in server.ts) on a ManualClock.
 *   0 due:   nothing to do; any cost is the cost of finding that out.
 *   K due:   K check-ins passed their deadline a second ago: K alerts opened, K tier-1 SMS sent
 *            (through the real twilio SDK to the fake Twilio process).
 * Evidence: the tick's own queries, timed alone at each N.
 */
import mongoose, { Types } from 'mongoose';
import { AlertModel } from '../../src/alerts/alert.model';
import { OutboxModel, SentMessageModel } from '../../src/safety/outbox/outbox.model';
import { TimelineEventModel } from '../../src/safety/timeline.model';
import { CheckInProfileModel } from '../../src/safety/check-in-profile.model';
import { CheckInModel } from '../../src/checkins/check-in.model';
import { composeServices, type Services } from '../../src/compose';
import { loadConfig } from '../../src/config/load';
import { TrustedContactModel } from '../../src/contacts/contact.model';
import { ManualClock } from '../../src/shared/clock';
import { createLogger } from '../../src/shared/logger';
import { median, timed, type BenchContext } from '../lib/context';
import { dropCurrentDatabase, useDatabase } from '../lib/database';
import { futureDeadlines, seedDefenders, seedKeys } from '../lib/seed';
import { atMostRatio, format } from '../lib/table';
import { fakeTwilioSender } from '../lib/twilio';
import { cpuDelta, currentRssMiB, descendantCpuByName } from '../lib/rss';

const SECTION = '2. Scheduler tick cost as the population grows';
const LARGE = 50_000;

interface PopulationFigures {
  population: number;
  seedSeconds: number;
  idleTickMs: number;
  dueTickMs: number;
  dueReport: string;
  queries: Record<string, number>;
  plans: string[];
  /** CPU per idle tick, by process */
  idleCpu: string;
  /** entries in the prototype due-soon collection */
  dueSoonEntries: number;
  /** wall time after seeding (ticks, query timings, clean-up): for the next population's estimate */
  wallSeconds: number;
}

export async function benchTick(ctx: BenchContext): Promise<void> {
  const figures: PopulationFigures[] = [];
  const skipped: string[] = [];
  for (const population of ctx.opts.populations) {
    const previous = figures[figures.length - 1];
    if (previous) {
      // Seeding and the ticks grow about linearly with the population (seeding does; the old engine's ticks do).
      const scale = population / previous.population;
      const estimate = scale * (previous.seedSeconds + previous.wallSeconds);
      if (estimate > ctx.opts.tickBudgetSeconds) {
        skipped.push(`${population.toLocaleString('en-US')} scheduled was not measured: from the ${previous.population.toLocaleString('en-US')} run (seeding ${previous.seedSeconds.toFixed(0)} s, its ticks and queries ${previous.wallSeconds.toFixed(0)} s) it would take about ${estimate.toFixed(0)} s, over the budget of ${ctx.opts.tickBudgetSeconds} s (--tick-budget / BENCH_TICK_BUDGET)`);
        ctx.log(`tick: ${skipped[skipped.length - 1]}`);
        continue;
      }
    }
    figures.push(await measurePopulation(ctx, population));
  }
  if (skipped.length > 0) ctx.detail(SECTION, `Populations left out: ${skipped.join('; ')}.`);
  const smallest = figures[0]!;
  const largest = figures[figures.length - 1]!;
  for (const f of figures) {
    const isLargest = f === largest && figures.length > 1;
    ctx.rows.push({
      item: 2, what: `tick, 0 due, ${f.population.toLocaleString('en-US')} scheduled`, value: f.idleTickMs, unit: 'ms',
      baseline: f === smallest ? undefined : { value: smallest.idleTickMs, what: `${smallest.population.toLocaleString('en-US')} scheduled` },
      goal: isLargest ? atMostRatio(1.5) : undefined,
    });
  }
  for (const f of figures) {
    const isLargest = f === largest && figures.length > 1;
    ctx.rows.push({
      item: 2, what: `tick, ${ctx.opts.due} due, ${f.population.toLocaleString('en-US')} scheduled`, value: f.dueTickMs, unit: 'ms',
      baseline: f === smallest ? undefined : { value: smallest.dueTickMs, what: `${smallest.population.toLocaleString('en-US')} scheduled` },
      goal: isLargest ? atMostRatio(1.5) : undefined,
    });
  }

  const queryNames = Object.keys(smallest.queries);
  const header = `| population | seeding | tick, 0 due | tick, ${ctx.opts.due} due | ${queryNames.join(' | ')} |`;
  const lines = [header, `|${header.split('|').slice(2).map(() => '---').join('|')}|`];
  for (const f of figures) {
    lines.push(`| ${f.population.toLocaleString('en-US')} | ${f.seedSeconds.toFixed(1)} s | ${format(f.idleTickMs)} ms | ${format(f.dueTickMs)} ms | ${queryNames.map((q) => `${format(f.queries[q])} ms`).join(' | ')} |`);
  }
  ctx.detail(SECTION, `Median of ${ctx.opts.tickRepeats} ticks per case (1 from ${LARGE.toLocaleString('en-US')} up, to stay within the time budget; the first idle tick is a warm-up and not counted). Each population is a fresh database holding N defenders, each with a check-in profile, one scheduled check-in (deadlines spread over the next 7 days) and one opted-in contact, so 3·N documents. The query columns time the tick's own queries alone (after one warm-up run, same number of repeats), with nothing due:\n\n${lines.join('\n')}`);
  ctx.detail(SECTION, `The database's own account of two of those queries at ${largest.population.toLocaleString('en-US')} (explain()):\n\n${largest.plans.map((p) => `- ${p}`).join('\n')}`);
  ctx.detail(SECTION, `The two "design" columns time the queries of the due-soon design proposed for the embedded database, on prototype data in the same database (the service does not implement it): the tick would read only a small collection of the occurrences whose deadline falls within the next ${DUE_SOON_MINUTES} minutes (${figures.map((f) => `${f.dueSoonEntries.toLocaleString('en-US')} at ${f.population.toLocaleString('en-US')}`).join(', ')}, with deadlines spread over 7 days), and a promoter would move occurrences into it once per time slot with an equality query on a deadline-slot field, which FerretDB pushes down to PostgreSQL.`);
  ctx.detail(SECTION, `CPU time per idle tick, by process (who does the work of finding nothing due):\n\n${figures.map((f) => `- ${f.population.toLocaleString('en-US')}: ${f.idleCpu}`).join('\n')}`);
  ctx.detail(SECTION, `What each "due" tick did: ${figures.map((f) => `${f.population.toLocaleString('en-US')}: ${f.dueReport}`).join('; ')}.`);
}

async function measurePopulation(ctx: BenchContext, population: number): Promise<PopulationFigures> {
  await useDatabase(ctx.db.uri, `bench_tick_${population}`);
  const keys = seedKeys(ctx.sodium, ctx.serverSecret);
  const now = new Date();
  const clock = new ManualClock(now);
  ctx.log(`tick: seeding ${population.toLocaleString('en-US')} defenders (profile + check-in + contact each)`);
  const deadlines = futureDeadlines(population, now);
  const seeding = await timed(() =>
    seedDefenders(keys, deadlines.map((deadline) => ({ deadline, live: false })), 0, (done) => {
      if (done % 20_000 === 0 && done < population) ctx.log(`tick:   ${done.toLocaleString('en-US')} seeded`);
    }),
  );
  ctx.log(`tick: seeded in ${(seeding.ms / 1000).toFixed(1)} s; bench RSS ${currentRssMiB().toFixed(0)} MiB`);
  const measuring = Date.now();

  // Above 50k the embedded database needs seconds per tick: one timed tick per case keeps the run under 10 minutes.
  const repeats = population >= LARGE ? 1 : ctx.opts.tickRepeats;
  const services = composeInProcess(ctx, clock);
  // Warm-up: the first tick also pays for connection set-up and JIT.
  await services.scheduler.tick();
  const idle: number[] = [];
  const cpuBefore = descendantCpuByName();
  const selfBefore = process.cpuUsage();
  for (let i = 0; i < repeats; i += 1) {
    const { ms, result } = await timed(() => services.scheduler.tick());
    if (result.alertsOpened !== 0) throw new Error(`an idle tick opened ${result.alertsOpened} alerts`);
    idle.push(ms);
  }

  const self = process.cpuUsage(selfBefore);
  const perTick = (seconds: number) => `${format((1000 * seconds) / repeats)} ms`;
  const idleCpu = [
    `bench (node, runs the tick) ${perTick((self.user + self.system) / 1e6)}`,
    ...cpuDelta(cpuBefore, descendantCpuByName()).filter(([name]) => name !== 'node').map(([name, seconds]) => `${name} ${perTick(seconds)}`),
  ].join(', ');
  const queries = await timeQueries(now, repeats);
  const design = await timeDueSoonDesign(population, seeding.result, deadlines, now, repeats);
  Object.assign(queries, design.times);
  const plans = await explainQueries(now);

  const due: number[] = [];
  let dueReport = '';
  for (let i = 0; i < repeats; i += 1) {
    const seeded = await seedDefenders(keys, Array.from({ length: ctx.opts.due }, () => ({ deadline: new Date(now.getTime() - 1000), live: true })), population + i * ctx.opts.due);
    const { ms, result } = await timed(() => services.scheduler.tick());
    if (result.alertsOpened !== ctx.opts.due || result.delivery.sent !== ctx.opts.due) {
      throw new Error(`a tick with ${ctx.opts.due} due opened ${result.alertsOpened} alerts and sent ${result.delivery.sent} SMS: ${JSON.stringify(result)}`);
    }
    due.push(ms);
    dueReport = `${result.alertsOpened} alerts opened, ${result.escalationsAdvanced} escalations advanced, ${result.delivery.sent} SMS sent`;
    await removeDueWork(seeded.map((s) => s.ownerId));
  }
  ctx.log(`tick: ${population.toLocaleString('en-US')} scheduled: idle ${format(median(idle))} ms, ${ctx.opts.due} due ${format(median(due))} ms`);
  await dropCurrentDatabase();
  return { population, seedSeconds: seeding.ms / 1000, idleTickMs: median(idle), dueTickMs: median(due), dueReport, queries, plans, idleCpu, dueSoonEntries: design.entries, wallSeconds: (Date.now() - measuring) / 1000 };
}

function composeInProcess(ctx: BenchContext, clock: ManualClock): Services {
  const config = loadConfig({}, { NODE_ENV: 'production', LOG_LEVEL: 'silent', SERVER_SECRET: ctx.serverSecret, PUBLIC_URL: 'https://meshwork.bench.invalid', ...ctx.opts.serverEnv });
  return composeServices({
    config,
    logger: createLogger('silent'),
    clock,
    sodium: ctx.sodium,
    serverSecret: new Uint8Array(Buffer.from(ctx.serverSecret, 'base64')),
    readiness: { notReadyReason: async () => null },
    smsSender: fakeTwilioSender(ctx.fakeTwilio.url),
    instanceId: 'bench-tick',
  });
}

/** The tick's queries alone (nothing due), and a by-id and by-owner lookup for comparison. */
async function timeQueries(now: Date, repeats: number): Promise<Record<string, number>> {
  const anyCheckIn = await CheckInModel.findOne({}, { _id: 1, ownerId: 1 }).sort({ _id: -1 }).lean();
  const ownerId = anyCheckIn?.ownerId ?? new Types.ObjectId();
  const probes: Record<string, () => Promise<unknown>> = {
    'find missed check-ins (state, deadline ≤ now)': () => CheckInModel.find({ state: 'scheduled', deadline: { $lte: now } }).sort({ deadline: 1 }).limit(100).lean(),
    'find stranded (state missed)': () => CheckInModel.find({ state: 'missed' }).limit(100).lean(),
    'check-in by _id': () => CheckInModel.findOne({ _id: anyCheckIn?._id }).lean(),
    'profile by ownerId': () => CheckInProfileModel.findOne({ ownerId }).lean(),
    'contacts by ownerId': () => TrustedContactModel.find({ ownerId, state: 'opted_in' }).lean(),
  };
  const result: Record<string, number> = {};
  for (const [name, probe] of Object.entries(probes)) {
    const times: number[] = [];
    await probe(); // warm-up: the first run of a query also pays for planning and JIT
    for (let i = 0; i < repeats; i += 1) times.push((await timed(probe)).ms);
    result[name] = median(times);
  }
  return result;
}

/**
 * The queries of the design proposed for the embedded database (see RESULTS.md, section 2): a small
 * "due soon" collection holding only the occurrences whose deadline falls within the next
 * DUE_SOON_MINUTES, which the tick reads instead of the checkins collection; and, once per time slot,
 * the promoter's equality query on a deadline-slot field of checkins, which FerretDB pushes down to
 * PostgreSQL. Prototype collections in the bench's database; the service does not have them.
 */
const DUE_SOON_MINUTES = 10;
async function timeDueSoonDesign(population: number, seeded: Array<{ ownerId: Types.ObjectId; checkInId: Types.ObjectId }>, deadlines: Date[], now: Date, repeats: number): Promise<{ times: Record<string, number>; entries: number }> {
  const db = mongoose.connection.db!;
  const dueSoon = db.collection('benchduesoon');
  await dueSoon.createIndex({ deadline: 1 });
  // Deadlines are spread evenly over 7 days: this many fall in any DUE_SOON_MINUTES window.
  const inWindow = Math.max(1, Math.round((population * DUE_SOON_MINUTES) / (7 * 24 * 60)));
  await dueSoon.insertMany(seeded.slice(0, inWindow).map((s, i) => ({ _id: s.checkInId, ownerId: s.ownerId, deadline: deadlines[i]! })));
  const probes: Record<string, () => Promise<unknown>> = {
    [`design: due-soon query (deadlines of the next ${DUE_SOON_MINUTES} min)`]: () => dueSoon.find({ deadline: { $lte: now } }).sort({ deadline: 1 }).limit(100).toArray(),
    'design: promoter query per slot (equality on checkins, pushed down)': () => CheckInModel.find({ deadlineSlot: 29_455_200 }, { _id: 1, deadline: 1 }).lean(),
  };
  const result: Record<string, number> = {};
  for (const [name, probe] of Object.entries(probes)) {
    const times: number[] = [];
    await probe(); // warm-up: the first run of a query also pays for planning and JIT
    for (let i = 0; i < repeats; i += 1) times.push((await timed(probe)).ms);
    result[name] = median(times);
  }
  return { times: result, entries: inWindow };
}

/**
 * explain() of the tick's due query and of a by-owner lookup. FerretDB answers with the PostgreSQL plan
 * and whether it pushed the filter, sort and limit down to PostgreSQL; MongoDB with its winning plan.
 */
async function explainQueries(now: Date): Promise<string[]> {
  const describe = (explained: unknown): string => {
    const e = (Array.isArray(explained) ? explained[0] : explained) as {
      filterPushdown?: boolean; sortPushdown?: boolean; limitPushdown?: boolean;
      queryPlanner?: { Plan?: { 'Node Type'?: string; Filter?: string; 'Relation Name'?: string }; winningPlan?: unknown };
    };
    const pg = e.queryPlanner?.Plan;
    if (pg) {
      return `FerretDB → PostgreSQL plan "${pg['Node Type']}"${pg.Filter ? ` with filter \`${pg.Filter.slice(0, 160)}\`` : ' (no filter: every row goes to FerretDB)'}; filterPushdown ${e.filterPushdown}, sortPushdown ${e.sortPushdown}, limitPushdown ${e.limitPushdown}`;
    }
    return `MongoDB winning plan: ${JSON.stringify(e.queryPlanner?.winningPlan).slice(0, 300)}`;
  };
  const due = await CheckInModel.find({ state: 'scheduled', deadline: { $lte: now } }).sort({ deadline: 1 }).limit(100).explain();
  const byOwner = await CheckInProfileModel.findOne({ ownerId: new Types.ObjectId() }).explain();
  return [`due check-ins \`{ state: 'scheduled', deadline: { $lte: now } }\`, sort deadline, limit 100: ${describe(due)}`, `profile by owner \`{ ownerId }\`: ${describe(byOwner)}`];
}

/** Puts the database back to "N scheduled, nothing in flight" between two due ticks (not timed). */
async function removeDueWork(ownerIds: Types.ObjectId[]): Promise<void> {
  const owners = { ownerId: { $in: ownerIds } };
  await Promise.all([
    CheckInModel.deleteMany(owners),
    CheckInProfileModel.deleteMany(owners),
    TrustedContactModel.deleteMany(owners),
    AlertModel.deleteMany({}),
    OutboxModel.deleteMany({}),
    SentMessageModel.deleteMany({}),
    TimelineEventModel.deleteMany({}),
  ]);
}
