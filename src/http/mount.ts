import express, { type NextFunction, type Request, type Response, type RequestHandler } from 'express';
import type { ZodType } from 'zod';
import { AppError } from '../shared/errors';
import type { AuthenticatedAccount } from '../shared/authenticated-account';
import type { AnyRoute, RequestContext, Reply } from './route';
import { validationError } from './validation';

export interface MountOptions {
  defaultBodyLimitBytes: number;
  authenticate: RequestHandler;
  /** Outside production, replies are checked against their declared schema so the OpenAPI document stays true. */
  checkResponses: boolean;
}

export function mountRoutes(router: express.Router, routes: AnyRoute[], options: MountOptions): void {
  for (const route of routes) {
    const handlers: RequestHandler[] = [];
    if (route.auth === 'bearer') handlers.push(options.authenticate, refuseRecoverySession(route));
    if (route.body) handlers.push(...bodyParsers(route, options.defaultBodyLimitBytes));
    handlers.push(runRoute(route, options.checkResponses));
    router[route.method](route.path, ...handlers);
  }
}

function bodyParsers(route: AnyRoute, defaultLimit: number): RequestHandler[] {
  const limit = route.bodyLimitBytes ?? defaultLimit;
  if (route.bodyType === 'form') {
    return [requireContentType('application/x-www-form-urlencoded'), express.urlencoded({ extended: false, limit, parameterLimit: 200 })];
  }
  return [requireContentType('application/json'), express.json({ limit, strict: true })];
}

function requireContentType(type: string): RequestHandler {
  return (req, _res, next) => {
    if (!req.is(type)) {
      next(new AppError(415, 'unsupported_media_type', `Send the body as ${type}.`));
      return;
    }
    next();
  };
}

function refuseRecoverySession(route: AnyRoute): RequestHandler {
  return (req, _res, next) => {
    const account = req.user as AuthenticatedAccount | undefined;
    if (account?.viaRecovery && !route.allowRecoverySession) {
      next(new AppError(403, 'recovery_session_restricted', 'Set a new password first: a recovery session can do nothing else.'));
      return;
    }
    next();
  };
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const wellFormed = (text: string) => !LONE_SURROGATE.test(text);

/** The path of the first string holding a lone UTF-16 surrogate (JSON's "\ud800"), or null. */
function unpairedSurrogateAt(value: unknown, path: string[] = []): string[] | null {
  if (typeof value === 'string') return wellFormed(value) ? null : path;
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (!wellFormed(key)) return [...path, '(key)'];
      const found = unpairedSurrogateAt(child, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

function parseWith(schema: ZodType | undefined, value: unknown, where: 'body' | 'query' | 'params'): unknown {
  if (!schema) return undefined;
  // A lone surrogate is not text: it cannot be encoded as UTF-8 (an SMS, a log line, PostgreSQL's jsonb
  // all turn it into something else), so what was validated would not be what gets stored or sent.
  const broken = unpairedSurrogateAt(value);
  if (broken) {
    if (where === 'params') throw new AppError(404, 'not_found', 'Not found.');
    const path = [where, ...broken].join('.');
    throw new AppError(400, 'validation_failed', `Invalid ${path}: must be valid Unicode text (no unpaired surrogates)`, { issues: [{ path, message: 'must be valid Unicode text (no unpaired surrogates)' }] });
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  // A malformed id is answered like an unknown one, so ids cannot be probed by shape.
  if (where === 'params') throw new AppError(404, 'not_found', 'Not found.');
  throw validationError(result.error, where);
}

function runRoute(route: AnyRoute, checkResponses: boolean): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const params = parseWith(route.params, req.params, 'params');
      const query = parseWith(route.query, req.query, 'query');
      const body = parseWith(route.body, req.body, 'body');
      const reply = await route.handle({ body, params, query }, contextOf(req, res));
      if (checkResponses) assertReplyMatchesSpec(route, reply);
      send(res, reply);
    } catch (error) {
      next(error);
    }
  };
}

function contextOf(req: Request, res: Response): RequestContext {
  return {
    requestId: String(res.locals.requestId ?? req.id ?? ''),
    log: req.log,
    ip: req.ip ?? '',
    headers: req.headers,
    originalUrl: req.originalUrl,
    account: req.user as AuthenticatedAccount | undefined,
  };
}

function send(res: Response, reply: Reply): void {
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  res.status(reply.status);
  if (reply.body === undefined) {
    res.end();
  } else if (reply.contentType && reply.contentType !== 'application/json') {
    res.type(reply.contentType).send(reply.body);
  } else {
    res.json(reply.body);
  }
}

function assertReplyMatchesSpec(route: AnyRoute, reply: Reply): void {
  const spec = route.responses[reply.status];
  const where = `${route.method.toUpperCase()} ${route.path}`;
  if (!spec) throw new Error(`${where} answered ${reply.status}, which its spec does not declare`);
  if (spec.schema) {
    const result = spec.schema.safeParse(reply.body);
    if (!result.success) throw new Error(`${where} answered a ${reply.status} body that does not match its schema: ${result.error.message}`);
  }
}
