import type { AuthenticatedAccount } from '../shared/authenticated-account';
import { AccountModel } from './account.model';
import type { AccountDeps } from './deps';
import { hashToken } from './session-tokens';
import { SessionModel } from './session.model';

// Writing lastUsedAt on every request would double the writes; a minute's precision is enough to spot a stolen session.
const LAST_USED_PRECISION_MS = 60 * 1000;

/**
 * Who a bearer token belongs to, or null if it is unknown, expired or revoked. One read of the session,
 * on every request and every instance: revoking (or wiping the account, which deletes its sessions before
 * and after marking it) deletes the document, so no cache can keep a revoked token working anywhere.
 */
export async function resolveSession(deps: Pick<AccountDeps, 'clock' | 'logger'>, token: string): Promise<AuthenticatedAccount | null> {
  if (!token.startsWith('mw_') || token.length > 100) return null;
  const now = deps.clock.now();
  const session = await SessionModel.findOne({ tokenHash: hashToken(token) }).lean();
  if (!session || session.expiresAt <= now) return null;
  let handle = session.handle;
  if (handle === undefined) {
    // A session opened before the handle was copied onto it: read the account, as before.
    const account = await AccountModel.findOne({ _id: session.accountId, deletingSince: { $exists: false } }, { handle: 1 }).lean();
    if (!account) return null;
    handle = account.handle;
  }
  if (now.getTime() - session.lastUsedAt.getTime() > LAST_USED_PRECISION_MS) {
    // Guarded on the value read, so concurrent requests of one session write it once; not awaited, as
    // the request does not depend on it (a lost write only makes "last used" a minute older).
    SessionModel.updateOne({ _id: session._id, lastUsedAt: session.lastUsedAt }, { $set: { lastUsedAt: now } }).catch((error: unknown) => {
      deps.logger.warn({ err: error }, 'could not record when a session was last used');
    });
  }
  return { accountId: String(session.accountId), handle, sessionId: String(session._id), viaRecovery: session.viaRecovery };
}
