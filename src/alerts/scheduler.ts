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

// A tick may go round again while batches come back full, for at most this share of the interval,
// so a burst of missed check-ins drains in this tick instead of 100 per tick.
const TICK_BUDGET_SHARE = 0.8;
const MAX_ROUNDS_PER_TICK = 1000;

export function createScheduler(deps: SafetyDeps): Scheduler {
  const tick = async (): Promise<TickReport> => {
    const now = deps.clock.now();
    // Wall time of the work itself (not the injected clock, which stands still in tests).
    const startedAt = performance.now();
    const budgetMs = deps.config.SCHEDULER_TICK_SECONDS * 1000 * TICK_BUDGET_SHARE;
    const report: TickReport = { alertsOpened: 0, escalationsAdvanced: 0, delivery: { sent: 0, retried: 0, failed: 0, skipped: 0, escalationsPulledForward: 0, batchFull: false } };
    await recoverStrandedCheckIns(deps, { now });
    for (let round = 0; round < MAX_ROUNDS_PER_TICK; round += 1) {
      // Each round carries its batch all the way to the SMS provider before taking the next one,
      // so the first alerts of a burst leave at once instead of after every alert has been opened.
      const opened = await escalateMissedCheckIns(deps, { now });
      const advanced = await advanceEscalations(deps, { now });
      const delivery = await deliverOutbox(deps, { now });
      addUp(report, opened.count, advanced.count, delivery);
      // A permanent failure alerts the next tier at once, not a tick later.
      const more = opened.batchFull || advanced.batchFull || delivery.batchFull || delivery.escalationsPulledForward > 0;
      if (!more || performance.now() - startedAt > budgetMs) break;
    }
    await finishPendingWipes(deps, { now });
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
