import type { RequestHandler } from 'express';
import { accountRoutes } from './accounts/account.routes';
import type { AccountPurger } from './accounts/deps';
import { finishInterruptedDeletions } from './accounts/delete-account';
import { resolveSession } from './accounts/resolve-session';
import type { Config } from './config/schema';
import { bearerAuthentication } from './http/auth';
import { healthRoutes, type Readiness } from './http/health.routes';
import type { AnyRoute } from './http/route';
import type { Clock } from './shared/clock';
import { createFieldCipher, type FieldCipher } from './shared/field-encryption';
import type { Logger } from './shared/logger';
import { deriveServerKeys, type ServerKeys } from './shared/server-keys';
import type { Sodium } from './shared/sodium';
import type { TeamPurger } from './teams/deps';
import { finishDissolvingTeams } from './teams/dissolve-team';
import { purgeAccountFromTeams } from './teams/purge-account-from-teams';
import { teamRoutes } from './teams/team.routes';
import { teamNetworkRoutes } from './teams/team-network.routes';
import { purgeTeamNetwork } from './teams/manage-team-network';
import { purgeTeamDocuments } from './vault/purge-team-documents';
import { vaultRoutes } from './vault/vault.routes';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { alertRoutes } from './alerts/alert.routes';
import { purgeSafetyDataOnWipe } from './safety/wipe/purge';
import { createScheduler, type Scheduler } from './safety/scheduler/scheduler';
import type { SafetyDeps } from './safety/deps';
import { checkInRoutes } from './checkins/check-in.routes';
import { afterRepliesSettled, finishCheckInOutcomes } from './checkins/check-in-outcomes';
import { finishPinCopies } from './checkins/check-in-pins';
import { contactRoutes } from './contacts/contact.routes';
import { purgeContacts } from './contacts/purge-contacts';
import { purgeAlerts } from './alerts/purge-alerts';
import { purgeCheckIns } from './checkins/purge-check-ins';
import { purgeMessages } from './safety/outbox/purge-messages';
import { purgeTimeline } from './safety/purge-timeline';
import { webhookRoutes } from './sms/webhooks/webhook.routes';
import { createSmsSender } from './sms/create-sms-sender';
import type { SmsSender } from './sms/sms-sender';

export interface CoreDeps {
  config: Config;
  logger: Logger;
  clock: Clock;
  sodium: Sodium;
  serverSecret: Uint8Array;
  readiness: Readiness;
  /** Replaces the SMS transport chosen from config (tests: the real twilio SDK pointed at a fake Twilio). */
  smsSender?: SmsSender;
  /** Names this process in scheduler leases; defaults to INSTANCE_ID or hostname-pid-random. */
  instanceId?: string;
}

export interface Services {
  routes: AnyRoute[];
  authenticate: RequestHandler;
  serverKeys: ServerKeys;
  fieldCipher: FieldCipher;
  /** The check-in scheduler: tick() runs one pass (tests call it with a ManualClock). */
  scheduler: Scheduler;
  /** What the safety use cases share, so specs can run one step of a tick and stop there (a crash). */
  safety: SafetyDeps;
  sms: SmsSender;
  /** The panic wipe's and a team dissolution's steps as registered here, so specs run exactly these. */
  purgers: { account: AccountPurger[]; team: TeamPurger[] };
  /** Work to finish at start-up that a crash may have interrupted. */
  recoverInterruptedWork(): Promise<void>;
  /** Starts timers (the check-in scheduler); returns a function that stops them. */
  startBackgroundWork(): () => Promise<void>;
}

/** The one place where use cases get their dependencies; server.ts, tests, scripts and benchmarks all call it. */
export function composeServices(core: CoreDeps): Services {
  const serverKeys = deriveServerKeys(core.sodium, core.serverSecret);
  const fieldCipher = createFieldCipher(core.sodium, serverKeys.fieldEncryptionKey);
  const purgers: AccountPurger[] = [];
  const accountDeps = { clock: core.clock, logger: core.logger, sodium: core.sodium, serverKeys, config: core.config, purgers };

  const routes: AnyRoute[] = [...healthRoutes(core.readiness), ...accountRoutes(accountDeps)];

  const teamPurgers: TeamPurger[] = [purgeTeamDocuments, purgeTeamNetwork];
  const teamsDeps = { clock: core.clock, logger: core.logger, sodium: core.sodium, teamPurgers, teamIdKey: serverKeys.lookupKey };
  purgers.push(purgeAccountFromTeams(teamsDeps));
  routes.push(...teamRoutes(teamsDeps), ...vaultRoutes({ clock: core.clock, sodium: core.sodium, config: core.config }));

  const safetyDeps: SafetyDeps = {
    clock: core.clock,
    logger: core.logger,
    fieldCipher,
    serverKeys,
    sms: core.smsSender ?? createSmsSender(core.config, core.logger),
    instanceId: core.instanceId || core.config.INSTANCE_ID || `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
    random: Math.random,
    config: core.config,
    // Each safety domain's own purger; the outbox first, so nothing more is sent for a wiped account.
    safetyPurgers: [purgeMessages, purgeAlerts, purgeCheckIns, purgeContacts, purgeTimeline],
  };
  const scheduler = createScheduler(safetyDeps, [() => finishCheckInOutcomes(safetyDeps)]);
  // The use cases of this instance tell its scheduler when they create work due soon (a no-op until started).
  safetyDeps.wake = (at) => scheduler.wake(at);
  purgers.push(purgeSafetyDataOnWipe(safetyDeps));
  routes.push(...checkInRoutes(safetyDeps), ...contactRoutes(safetyDeps), ...alertRoutes(safetyDeps), ...webhookRoutes(safetyDeps), ...teamNetworkRoutes(safetyDeps));

  return {
    routes,
    authenticate: bearerAuthentication((token) => resolveSession(accountDeps, token)),
    serverKeys,
    fieldCipher,
    scheduler,
    safety: safetyDeps,
    sms: safetyDeps.sms,
    purgers: { account: purgers, team: teamPurgers },
    async recoverInterruptedWork() {
      const finished = await finishInterruptedDeletions(accountDeps);
      if (finished > 0) core.logger.warn({ finished }, 'finished account deletions interrupted by a crash');
      const dissolved = await finishDissolvingTeams(teamsDeps);
      if (dissolved > 0) core.logger.warn({ dissolved }, 'finished team dissolutions interrupted by a crash');
      // PIN copies first: a check-in settled next must not be checked against an old PIN.
      const copied = await finishPinCopies();
      if (copied > 0) core.logger.warn({ copied }, 'finished PIN changes interrupted by a crash');
      // Duress alerts and late check-ins' all-clears that a crash right after the reply left undone.
      const settled = await finishCheckInOutcomes(safetyDeps, { atStartUp: true });
      if (settled > 0) core.logger.warn({ settled }, 'settled check-ins a crash left unsettled');
      // Deadlines that passed while no instance ran: alerted now (marked delayed), before taking requests.
      const caughtUp = await scheduler.tick();
      if (caughtUp.alertsOpened > 0) core.logger.warn({ alertsOpened: caughtUp.alertsOpened }, 'opened alerts for check-ins missed while the service was down');
    },
    startBackgroundWork() {
      const stop = scheduler.start();
      // A graceful stop also finishes check-ins settling after their reply (a duress alert among them).
      return async () => {
        await stop();
        await afterRepliesSettled();
      };
    },
  };
}
