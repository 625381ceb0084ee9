import type { RequestHandler } from 'express';
import { Passport } from 'passport';
import { Strategy as BearerStrategy } from 'passport-http-bearer';
import { AppError } from '../shared/errors';
import type { AuthenticatedAccount } from './route';

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
  return (req, res, next) => {
    passport.authenticate('bearer', { session: false }, (error: unknown, account: AuthenticatedAccount | false) => {
      if (error) return next(error);
      if (!account) return next(new AppError(401, 'unauthorized', 'Sign in first: the session token is missing, invalid, expired or revoked.'));
      req.user = account;
      next();
    })(req, res, next);
  };
}
