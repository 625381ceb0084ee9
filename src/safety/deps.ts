import type { Config } from '../config/schema';
import type { Clock } from '../shared/clock';
import type { FieldCipher } from '../shared/field-encryption';
import type { Logger } from '../shared/logger';
import type { ServerKeys } from '../shared/server-keys';
import type { SmsSender } from '../sms/sms-sender';

/** Removes everything one safety domain holds for an account; each domain has its own, registered in src/compose.ts. Idempotent. */
export type SafetyPurger = (accountId: string) => Promise<void>;

/** What the check-in, contact, alert and SMS use cases share. */
export interface SafetyDeps {
  clock: Clock;
  logger: Logger;
  fieldCipher: FieldCipher;
  serverKeys: ServerKeys;
  sms: SmsSender;
  /** Written into leases, so a claim names the process holding it. */
  instanceId: string;
  /** For backoff jitter; injected so tests can pin it. */
  random: () => number;
  /**
   * Tells this instance's scheduler that work falls due at `at` (a deadline, a tier wait, a queued
   * message), so a timer runs it on time instead of at the next tick. Optional: tests and scripts
   * tick by hand, and the database stays the record whether or not anyone is woken.
   */
  wake?: (at: Date) => void;
  /** The panic wipe's steps, one per safety domain (outbox, alerts, check-ins, contacts, timeline), run in this order. */
  safetyPurgers: SafetyPurger[];
  config: Pick<
    Config,
    | 'SCHEDULER_TICK_SECONDS'
    | 'SCHEDULER_LEASE_SECONDS'
    | 'SCHEDULER_BATCH_SIZE'
    | 'SCHEDULER_CONCURRENCY'
    | 'ESCALATION_TIER_WAIT_SECONDS'
    | 'ESCALATION_REPEATS'
    | 'OUTBOX_MAX_ATTEMPTS'
    | 'OUTBOX_BACKOFF_BASE_SECONDS'
    | 'OUTBOX_BACKOFF_MAX_SECONDS'
    | 'PUBLIC_URL'
    | 'TWILIO_AUTH_TOKEN'
  >;
}

/** What one step of a tick did, and whether it found a full batch (so more may be waiting). */
export interface StepResult {
  count: number;
  batchFull: boolean;
}

/** A claim is free when nobody holds it or its holder's lease has run out (the holder crashed or hung). */
export function leaseFree(now: Date) {
  return { $or: [{ leaseUntil: { $exists: false } }, { leaseUntil: null }, { leaseUntil: { $lt: now } }] };
}

export function leaseUntil(deps: Pick<SafetyDeps, 'config'>, now: Date): Date {
  return new Date(now.getTime() + deps.config.SCHEDULER_LEASE_SECONDS * 1000);
}
