import type { Config } from '../config/schema';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { ServerKeys } from '../shared/server-keys';
import type { Sodium } from '../shared/sodium';

/** Removes everything one domain holds for an account; called by the panic wipe. Must be idempotent. */
export type AccountPurger = (accountId: string) => Promise<void>;

export interface AccountDeps {
  clock: Clock;
  logger: Logger;
  sodium: Sodium;
  serverKeys: ServerKeys;
  config: Pick<Config, 'SESSION_TTL_SECONDS' | 'LOGIN_FAILURES_BEFORE_DELAY' | 'LOGIN_ADDRESS_FAILURES_BEFORE_DELAY' | 'LOGIN_MAX_DELAY_SECONDS' | 'REGISTRATIONS_PER_ADDRESS_PER_HOUR'>;
  /** Other domains' purgers (teams, check-ins, contacts...), run before the account itself is removed. */
  purgers: AccountPurger[];
}
