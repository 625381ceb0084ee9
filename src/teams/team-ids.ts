import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AuthenticatedAccount } from '../shared/authenticated-account';
import { AppError } from '../shared/errors';
import { isObjectId } from '../shared/ids';
import type { TeamsDeps } from './deps';

/** How long a minted id can found a team. */
export const TEAM_ID_TTL_SECONDS = 15 * 60;

/**
 * Team ids are minted by the server for one account: 4 bytes of time, 4 random bytes and a 4-byte HMAC
 * of both and the account id. The client binds the id into its signed genesis entry, so it needs the id
 * first; the server accepts a create only with an id it minted for that account within the last 15
 * minutes. So a removed member probing `POST /v1/teams` with a team's id gets the same refusal whether the
 * team exists or not (it was never minted for her, or long ago): no existence oracle.
 */
export function mintTeamId(deps: Pick<TeamsDeps, 'clock' | 'teamIdKey'>, who: AuthenticatedAccount): { teamId: string; expiresAt: string } {
  const now = deps.clock.now();
  const head = Buffer.alloc(8);
  head.writeUInt32BE(Math.floor(now.getTime() / 1000), 0);
  randomBytes(4).copy(head, 4);
  const teamId = Buffer.concat([head, macOf(deps.teamIdKey, who.accountId, head)]).toString('hex');
  return { teamId, expiresAt: new Date((Math.floor(now.getTime() / 1000) + TEAM_ID_TTL_SECONDS) * 1000).toISOString() };
}

function macOf(key: Uint8Array, accountId: string, head: Buffer): Buffer {
  return createHmac('sha256', key).update('team-id\0').update(accountId).update('\0').update(head).digest().subarray(0, 4);
}

export function isTeamIdMintedFor(deps: Pick<TeamsDeps, 'clock' | 'teamIdKey'>, accountId: string, teamId: string): boolean {
  if (!isObjectId(teamId)) return false;
  const bytes = Buffer.from(teamId, 'hex');
  const head = bytes.subarray(0, 8);
  if (!timingSafeEqual(macOf(deps.teamIdKey, accountId, head), bytes.subarray(8))) return false;
  const age = Math.floor(deps.clock.now().getTime() / 1000) - head.readUInt32BE(0);
  return age >= -60 && age <= TEAM_ID_TTL_SECONDS;
}

/** The one answer to a create refused for its id: unminted, expired, someone else's, or taken. */
export const teamIdRefused = () => new AppError(400, 'team_id_refused', 'That team id cannot be used. Ask for a new one (POST /v1/team-ids) and sign the create entry with it.');
