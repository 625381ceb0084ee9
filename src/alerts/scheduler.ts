import cron from 'node-cron';
import { advanceEscalations } from './advance-escalations';
import type { SafetyDeps } from './deps';
import { deliverOutbox, type DeliveryReport } from './deliver-outbox';
import { escalateMissedCheckIns } from './escalate-missed-check-ins';
import { finishPendingWipes } from './purge';
import { recoverStrandedCheckIns } from './recover-stranded-check-ins';

export interface TickReport {
  alertsOpened: number;
  escalationsAdvanced: number;
  delivery: DeliveryReport;
}

function addUp(report: TickReport, opened: number, advanced: number, delivery: DeliveryReport): void {
  report.alertsOpened += opened;
  report.escalationsAdvanced += advanced;
  report.delivery.sent += delivery.sent;
  report.delivery.retried += delivery.retried;
  report.delivery.failed += delivery.failed;
  report.delivery.skipped += delivery.skipped;
  report.delivery.escalationsPulledForward += delivery.escalationsPulledForward;
  report.delivery.batchFull = delivery.batchFull;
}

export interface Scheduler {
  /** One pass over all due work, at the injected clock's now. The same function node-cron, the one-shot script and the tests call. */
  tick(): Promise<TickReport>;
  /** Starts node-cron every SCHEDULER_TICK_SECONDS; resolves the returned stop() once a running tick finishes. */
  start(): () => Promise<void>;
}

// A tick goes round again while batches come back full and it makes progress, so a burst of missed
// check-ins drains in this tick instead of one batch per tick. node-cron never overlaps ticks, so a
// long tick only delays the next one; this bound is a backstop against a bug that loops.
const MAX_ROUNDS_PER_TICK = 1000;

export function createScheduler(deps: SafetyDeps): Scheduler {
  const tick = async (): Promise<TickReport> => {
    const report: TickReport = { alertsOpened: 0, escalationsAdvanced: 0, delivery: { sent: 0, retried: 0, failed: 0, skipped: 0, escalationsPulledForward: 0, batchFull: false } };
    await recoverStrandedCheckIns(deps, { now: deps.clock.now() });
    for (let round = 0; round < MAX_ROUNDS_PER_TICK; round += 1) {
      // Read the clock each round: what this tick has just queued is due now, not at the tick's start.
      const now = deps.clock.now();
      // Each round carries its batch all the way to the SMS provider before taking the next one,
      // so the first alerts of a burst leave at once instead of after every alert has been opened.
      const opened = await escalateMissedCheckIns(deps, { now });
      const advanced = await advanceEscalations(deps, { now });
      const delivery = await deliverOutbox(deps, { now });
      addUp(report, opened.count, advanced.count, delivery);
      // A permanent failure alerts the next tier at once, not a tick later.
      const more = opened.batchFull || advanced.batchFull || delivery.batchFull || delivery.escalationsPulledForward > 0;
      if (!more) break;
    }
    await finishPendingWipes(deps, { now: deps.clock.now() });
    return report;
  };

  return {
    tick,
    start() {
      let running: Promise<unknown> = Promise.resolve();
      const task = cron.schedule(
        `*/${deps.config.SCHEDULER_TICK_SECONDS} * * * * *`,
        () => {
          running = tick().catch((error: unknown) => deps.logger.error({ err: error, event: 'tick_failed' }, 'scheduler tick failed; the next tick retries'));
          return running;
        },
        { name: `meshwork-scheduler-${deps.instanceId}`, noOverlap: true },
      );
      deps.logger.info({ event: 'scheduler_started', instanceId: deps.instanceId, everySeconds: deps.config.SCHEDULER_TICK_SECONDS }, 'check-in scheduler started');
      return async () => {
        await task.stop();
        await task.destroy();
        await running;
      };
    },
  };
}
