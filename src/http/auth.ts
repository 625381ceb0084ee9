import type { RequestHandler } from 'express';
import { Passport } from 'passport';
import { Strategy as BearerStrategy } from 'passport-http-bearer';
import { AppError } from '../shared/errors';
import type { AuthenticatedAccount } from '../shared/authenticated-account';

export type ResolveSession = (token: string) => Promise<AuthenticatedAccount | null>;

/** A passport instance per app (no global state), with one bearer strategy that answers our JSON 401. */
export function bearerAuthentication(resolveSession: ResolveSession): RequestHandler {
  const passport = new Passport();
  passport.use(
    new BearerStrategy((token, done) => {
      resolveSession(token).then(
        (account) => done(null, account ?? false),
        (error: unknown) => done(error),
      );
    }),
  );
  const unauthorized = () => new AppError(401, 'unauthorized', 'Sign in first: the session token is missing, invalid, expired or revoked.');
  return (req, res, next) => {
    // passport-http-bearer also reads `access_token` from the query string and the body. A token in a URL
    // ends up in proxy logs, browser history and Referer headers, so only the Authorization header counts,
    // and a request offering a token anywhere else is refused outright, even with a valid header.
    const query = req.query as Record<string, unknown> | undefined;
    const body = req.body as Record<string, unknown> | undefined;
    if ((query && 'access_token' in query) || (body && typeof body === 'object' && 'access_token' in body)) return next(unauthorized());
    if (!/^Bearer\s/i.test(req.headers.authorization ?? '')) return next(unauthorized());
    passport.authenticate('bearer', { session: false }, (error: unknown, account: AuthenticatedAccount | false) => {
      if (error) return next(error);
      if (!account) return next(unauthorized());
      req.user = account;
      next();
    })(req, res, next);
  };
}
