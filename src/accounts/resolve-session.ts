import type { AuthenticatedAccount } from '../http/route';
import { AccountModel } from './account.model';
import type { AccountDeps } from './deps';
import { hashToken } from './session-tokens';
import { SessionModel } from './session.model';

// Writing lastUsedAt on every request would double the writes; a minute's precision is enough to spot a stolen session.
const LAST_USED_PRECISION_MS = 60 * 1000;

/** Who a bearer token belongs to, or null if it is unknown, expired, or its account is being deleted. */
export async function resolveSession(deps: Pick<AccountDeps, 'clock'>, token: string): Promise<AuthenticatedAccount | null> {
  if (!token.startsWith('mw_') || token.length > 100) return null;
  const now = deps.clock.now();
  const session = await SessionModel.findOne({ tokenHash: hashToken(token) }).lean();
  if (!session || session.expiresAt <= now) return null;
  const account = await AccountModel.findOne({ _id: session.accountId, deletingSince: { $exists: false } }, { handle: 1 }).lean();
  if (!account) return null;
  if (now.getTime() - session.lastUsedAt.getTime() > LAST_USED_PRECISION_MS) {
    await SessionModel.updateOne({ _id: session._id }, { $set: { lastUsedAt: now } });
  }
  return { accountId: String(account._id), handle: account.handle, sessionId: String(session._id), viaRecovery: session.viaRecovery };
}
