import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Config } from './config/schema';
import type { Logger } from './shared/logger';
import { errorHandler, jsonNotFound } from './http/error-handler';
import { mountRoutes } from './http/mount';
import { buildOpenApiDocument } from './http/openapi';
import { requestIdFor } from './http/request-id';
import { defineRoute, type AnyRoute } from './http/route';

export interface AppDeps {
  config: Pick<Config, 'JSON_BODY_LIMIT_BYTES' | 'TRUST_PROXY' | 'NODE_ENV' | 'PUBLIC_URL'>;
  logger: Logger;
  routes: AnyRoute[];
  authenticate: RequestHandler;
  version: string;
  /** Extra middleware mounted before the API routes (e.g. the web app's static files). */
  before?: RequestHandler[];
}

/** Builds the Express app from injected parts. No globals: tests build as many as they like. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.TRUST_PROXY);
  app.set('query parser', 'simple');

  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: requestIdFor,
      customProps: (_req, res) => ({ requestId: res.getHeader('X-Request-Id') }),
      // Paths may carry ids but never secrets; query strings may carry handles, so they are dropped.
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use((req, res, next) => {
    res.locals.requestId = req.id;
    next();
  });
  app.use(helmet({ contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } }, crossOriginResourcePolicy: { policy: 'same-origin' } }));
  app.use((_req, res, next) => {
    // Nothing the API says should be kept by a shared device's browser or a proxy.
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  for (const middleware of deps.before ?? []) app.use(middleware);

  // The document describes itself too, so "every route is documented" has no exception.
  const openApi: { document?: unknown } = {};
  const openApiRoute = defineRoute({
    method: 'get',
    path: '/openapi.json',
    summary: 'This OpenAPI document',
    tag: 'meta',
    auth: 'none',
    responses: { 200: { description: 'OpenAPI 3.1 document' } },
    handle: async () => ({ status: 200, body: openApi.document }),
  });
  const routes = [...deps.routes, openApiRoute];
  openApi.document = buildOpenApiDocument(routes, { version: deps.version, serverUrl: deps.config.PUBLIC_URL });

  const router = express.Router();
  mountRoutes(router, routes, {
    defaultBodyLimitBytes: deps.config.JSON_BODY_LIMIT_BYTES,
    authenticate: deps.authenticate,
    checkResponses: deps.config.NODE_ENV !== 'production',
  });
  app.use(router);
  app.use(jsonNotFound());
  app.use(errorHandler());
  return app;
}
