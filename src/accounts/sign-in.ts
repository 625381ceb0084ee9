import type { AccountDeps } from './deps';
import { openSession } from './session-tokens';
import { verifyCredentials } from './verify-credentials';
import { toAccountView, toSessionView } from './views';

export async function signIn(
  deps: Pick<AccountDeps, 'clock' | 'serverKeys' | 'config'>,
  input: { handle: string; authKey: string; deviceLabel?: string; address: string },
) {
  const account = await verifyCredentials(deps, { handle: input.handle, key: input.authKey, which: 'authKeyHash', address: input.address });
  const { token, session } = await openSession(deps, account, { viaRecovery: false, deviceLabel: input.deviceLabel });
  return { token, session: toSessionView(session, session.id as string), account: toAccountView(account) };
}
