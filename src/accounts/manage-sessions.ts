import { errors } from '../shared/errors';
import type { AuthenticatedAccount } from '../shared/authenticated-account';
import type { AccountDeps } from './deps';
import { SessionModel } from './session.model';
import { toSessionView } from './views';

export async function listSessions(deps: Pick<AccountDeps, 'clock'>, who: AuthenticatedAccount) {
  const sessions = await SessionModel.find({ accountId: who.accountId, expiresAt: { $gt: deps.clock.now() } }).sort({ createdAt: -1 }).limit(100);
  return { sessions: sessions.map((s) => toSessionView(s, who.sessionId)) };
}

/** Revoking deletes the session, so a stolen token stops working at once on every instance. */
export async function revokeSession(who: AuthenticatedAccount, sessionId: string): Promise<void> {
  const result = await SessionModel.deleteOne({ _id: sessionId, accountId: who.accountId });
  if (result.deletedCount !== 1) throw errors.notFound();
}

export async function signOut(who: AuthenticatedAccount): Promise<void> {
  await SessionModel.deleteOne({ _id: who.sessionId, accountId: who.accountId });
}

export async function signOutEverywhere(who: AuthenticatedAccount): Promise<{ revoked: number }> {
  const result = await SessionModel.deleteMany({ accountId: who.accountId });
  return { revoked: result.deletedCount };
}
