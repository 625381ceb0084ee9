import { createHash, randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import { errors } from '../shared/errors';
import { AccountModel } from './account.model';
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
  account: { _id: Types.ObjectId | string; handle: string },
  options: { viaRecovery: boolean; deviceLabel?: string },
): Promise<{ token: string; session: SessionRecord }> {
  const now = deps.clock.now();
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const ttlSeconds = options.viaRecovery ? RECOVERY_SESSION_SECONDS : deps.config.SESSION_TTL_SECONDS;
  const accountId = account._id;
  await SessionModel.deleteMany({ accountId, expiresAt: { $lte: now } });
  const session = await SessionModel.create({
    tokenHash: hashToken(token),
    accountId,
    handle: account.handle,
    expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
    lastUsedAt: now,
    viaRecovery: options.viaRecovery,
    deviceLabel: options.deviceLabel,
  });
  // resolveSession reads only the session, so a session must never outlive the start of a wipe. A panic
  // wipe deletes sessions before and after marking the account; a sign-in that read the account before the
  // mark and writes its session after the wipe's last deletion would leave a live token for a wiped
  // account: so, once written, the session is kept only if the account is still not being deleted.
  if (!(await AccountModel.exists({ _id: accountId, deletingSince: { $exists: false } }))) {
    await SessionModel.deleteOne({ _id: session._id });
    throw errors.unauthorized();
  }
  return { token, session };
}
