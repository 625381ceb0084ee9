import { createHash, randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import type { AccountDeps } from './deps';
import { SessionModel, type SessionRecord } from './session.model';

const TOKEN_PREFIX = 'mw_';
// A recovery session exists only to set a new password.
const RECOVERY_SESSION_SECONDS = 15 * 60;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function openSession(
  deps: Pick<AccountDeps, 'clock' | 'config'>,
  accountId: Types.ObjectId | string,
  options: { viaRecovery: boolean; deviceLabel?: string },
): Promise<{ token: string; session: SessionRecord }> {
  const now = deps.clock.now();
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const ttlSeconds = options.viaRecovery ? RECOVERY_SESSION_SECONDS : deps.config.SESSION_TTL_SECONDS;
  await SessionModel.deleteMany({ accountId, expiresAt: { $lte: now } });
  const session = await SessionModel.create({
    tokenHash: hashToken(token),
    accountId,
    expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
    lastUsedAt: now,
    viaRecovery: options.viaRecovery,
    deviceLabel: options.deviceLabel,
  });
  return { token, session };
}
