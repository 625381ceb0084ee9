/**
 * Who a request comes from, once its bearer token resolved to a live session. The HTTP layer builds it;
 * use cases take it as their caller, so they depend on this and never on the HTTP layer.
 */
export interface AuthenticatedAccount {
  accountId: string;
  handle: string;
  sessionId: string;
  /** A session opened with the recovery key may only set a new password. */
  viaRecovery: boolean;
}
