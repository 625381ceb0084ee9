import cron from 'node-cron';
import { advanceEscalations } from '../../alerts/advance-escalations';
import type { SafetyDeps } from '../deps';
import { deliverOutbox, type DeliveryReport } from '../delivery/deliver-outbox';
import { escalateMissedCheckIns } from '../../checkins/escalate-missed-check-ins';
import { finishPendingWipes } from '../wipe/purge';
import { recoverStrandedCheckIns } from '../../checkins/recover-stranded-check-ins';

export interface TickReport {
  alertsOpened: number;
  escalationsAdvanced: number;
  delivery: DeliveryReport;
}

function addUp(report: TickReport, opened: number, advanced: number, delivery: DeliveryReport | null): void {
  report.alertsOpened += opened;
  report.escalationsAdvanced += advanced;
  if (!delivery) return;
  report.delivery.sent += delivery.sent;
  report.delivery.retried += delivery.retried;
  report.delivery.failed += delivery.failed;
  report.delivery.skipped += delivery.skipped;
  report.delivery.escalationsPulledForward += delivery.escalationsPulledForward;
  report.delivery.batchFull = delivery.batchFull;
}

/** Whether a sending round leaves work for another: its batch came back full, or a failure pulled a tier forward. */
function roundAgain(delivery: DeliveryReport): boolean {
  return delivery.batchFull || delivery.escalationsPulledForward > 0;
}

export interface Scheduler {
  /** One pass over all due work, at the injected clock's now. The same function node-cron, the one-shot script and the tests call. */
  tick(): Promise<TickReport>;
  /**
   * Starts node-cron every SCHEDULER_TICK_SECONDS (the safety net) and this instance's timers;
   * resolves the returned stop() once a running pass finishes.
   */
  start(): () => Promise<void>;
  /**
   * Work falls due at `at`: once started, a timer runs a pass then (if within the next couple of
   * minutes; later work is found by the tick that reads its slot, which sets the timer then).
   */
  wake(at: Date): void;
}

/** Timers are kept for work due within this horizon; a tick reads the next slot ahead and re-arms them. */
const WAKE_HORIZON_MS = 2 * 60_000;

/**
 * "Run now, and once more when done": a pass asked for while one runs is not started in parallel
 * (two passes of one instance would only contend for the same claims) but right after it, so a
 * timer firing during a long pass is never lost. node-cron and the timers share one runner.
 */
export function createRunner(run: () => Promise<unknown>, onError: (error: unknown) => void): { run(): Promise<void>; idle(): Promise<void> } {
  let running: Promise<void> | null = null;
  let again = false;
  const loop = async () => {
    do {
      again = false;
      try {
        await run();
      } catch (error) {
        onError(error);
      }
    } while (again);
    running = null;
  };
  return {
    run() {
      if (running) {
        again = true;
        return running;
      }
      running = loop();
      return running;
    },
    idle: () => running ?? Promise.resolve(),
  };
}

// A tick goes round again while batches come back full and it makes progress, so a burst of missed
// check-ins drains in this tick instead of one batch per tick. node-cron never overlaps ticks, so a
// long tick only delays the next one; this bound is a backstop against a bug that loops.
const MAX_ROUNDS_PER_TICK = 1000;

/**
 * `sweeps`: recovery work other domains register (the check-ins' outcomes a crash left unsettled), run in
 * every tick so that any live instance, not only the crashed one once it restarts, finishes it.
 */
export function createScheduler(deps: SafetyDeps, sweeps: Array<() => Promise<unknown>> = []): Scheduler {
  const tick = async (): Promise<TickReport> => {
    const report: TickReport = { alertsOpened: 0, escalationsAdvanced: 0, delivery: { sent: 0, retried: 0, failed: 0, skipped: 0, escalationsPulledForward: 0, batchFull: false } };
    await recoverStrandedCheckIns(deps, { now: deps.clock.now() });
    for (const sweep of sweeps) await sweep();
    // Round k's sending overlaps round k+1's opening and tier planning: the SMS of one batch go out while
    // the next batch is claimed. Each step claims its own work by token, as two instances would, and one
    // instance never sends two rounds at once: round k+1's sending starts after round k's has finished.
    let sending: Promise<DeliveryReport> | null = null;
    let more = true;
    let failed = true;
    try {
      for (let round = 0; round < MAX_ROUNDS_PER_TICK && more; round += 1) {
        // Read the clock each round: what this tick has just queued is due now, not at the tick's start.
        const now = deps.clock.now();
        // Each round carries its batch all the way to the SMS provider (its sending overlapping the next
        // round's opening), so the first alerts of a burst leave at once instead of after every alert has been opened.
        // Each step hands what it just made to the next one already claimed for this instance (alerts
        // opened, messages queued), so they are not claimed and read again; a crash in between leaves
        // them under a lease that runs out, found again then (escalation-handoff.spec.ts).
        const opened = await escalateMissedCheckIns(deps, { now, handOff: true });
        const advanced = await advanceEscalations(deps, { now, handedOver: opened.handedOver, teamNetworks: opened.teamNetworks, handOff: true });
        const previous = sending ? await sending : null;
        sending = deliverOutbox(deps, { now, handedOver: advanced.handedOver });
        // Awaited below, or in `finally`; until then a failure must not count as unhandled (it would stop the process).
        sending.catch(() => undefined);
        addUp(report, opened.count, advanced.count, previous);
        // A permanent failure alerts the next tier at once, not a tick later (the previous round's sending says so).
        more = opened.batchFull || advanced.batchFull || (previous !== null && roundAgain(previous));
        if (!more) {
          // The last sending decides whether another round is worth it.
          const last = await sending;
          sending = null;
          addUp(report, 0, 0, last);
          more = roundAgain(last);
        }
      }
      failed = false;
    } finally {
      // Never leave a sending running past the tick (the next pass would send beside it). If a step failed,
      // that error is the tick's; the sending's own failure, if any, leaves its messages under a lease.
      if (sending) {
        if (failed) await sending.catch(() => undefined);
        else addUp(report, 0, 0, await sending);
      }
    }
    await finishPendingWipes(deps, { now: deps.clock.now() });
    return report;
  };

  let runner: ReturnType<typeof createRunner> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let timerAt = Infinity;

  const wake = (at: Date): void => {
    if (!runner) return; // not started (tests and scripts tick by hand)
    const atMs = at.getTime();
    const delay = atMs - deps.clock.now().getTime();
    if (delay > WAKE_HORIZON_MS || atMs >= timerAt) return; // a later tick re-arms it, or an earlier timer runs first
    if (timer) clearTimeout(timer);
    timerAt = atMs;
    // A few ms late rather than early: work found a hair before its time only re-arms the timer.
    timer = setTimeout(() => {
      timer = null;
      timerAt = Infinity;
      void runner?.run();
    }, Math.max(0, delay) + 5);
    timer.unref();
  };

  return {
    tick,
    wake,
    start() {
      const started = createRunner(tick, (error: unknown) => deps.logger.error({ err: error, event: 'tick_failed' }, 'scheduler pass failed; the next tick retries'));
      runner = started;
      const task = cron.schedule(`*/${deps.config.SCHEDULER_TICK_SECONDS} * * * * *`, () => started.run(), { name: `meshwork-scheduler-${deps.instanceId}`, noOverlap: true });
      deps.logger.info({ event: 'scheduler_started', instanceId: deps.instanceId, everySeconds: deps.config.SCHEDULER_TICK_SECONDS }, 'check-in scheduler started');
      return async () => {
        runner = null;
        if (timer) clearTimeout(timer);
        timer = null;
        timerAt = Infinity;
        await task.stop();
        await task.destroy();
        await started.idle();
      };
    },
  };
}
