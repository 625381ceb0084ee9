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

export interface Scheduler {
  /** One pass over all due work, at the injected clock's now. The same function node-cron, the one-shot script and the tests call. */
  tick(): Promise<TickReport>;
  /** Starts node-cron every SCHEDULER_TICK_SECONDS; resolves the returned stop() once a running tick finishes. */
  start(): () => Promise<void>;
}

export function createScheduler(deps: SafetyDeps): Scheduler {
  const tick = async (): Promise<TickReport> => {
    const now = deps.clock.now();
    await recoverStrandedCheckIns(deps, { now });
    const alertsOpened = await escalateMissedCheckIns(deps, { now });
    let escalationsAdvanced = await advanceEscalations(deps, { now });
    const delivery = await deliverOutbox(deps, { now });
    // A permanent failure alerts the next tier at once, not a tick later.
    for (let round = 0; round < 3 && delivery.escalationsPulledForward > 0; round += 1) {
      delivery.escalationsPulledForward = 0;
      escalationsAdvanced += await advanceEscalations(deps, { now });
      const again = await deliverOutbox(deps, { now });
      delivery.sent += again.sent;
      delivery.retried += again.retried;
      delivery.failed += again.failed;
      delivery.skipped += again.skipped;
      delivery.escalationsPulledForward = again.escalationsPulledForward;
    }
    await finishPendingWipes(deps, { now });
    return { alertsOpened, escalationsAdvanced, delivery };
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
