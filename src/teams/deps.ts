import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import type { Sodium } from '../shared/sodium';

/** Removes everything one domain holds for a team (its documents...); called when a team is dissolved. Idempotent. */
export type TeamPurger = (teamId: string) => Promise<void>;

export interface TeamsDeps {
  clock: Clock;
  logger: Logger;
  sodium: Sodium;
  teamPurgers: TeamPurger[];
  /** HMAC key for server-minted team ids (team-ids.ts). */
  teamIdKey: Uint8Array;
}
