import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { type AnyRoute, toOpenApiPath } from './route';
import { z } from './zod';

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ description: 'Stable machine-readable code' }),
      message: z.string(),
      details: z.unknown().optional(),
      requestId: z.string().optional(),
    }),
  })
  .openapi('Error');

const GENERIC_ERRORS: Record<number, string[]> = {
  400: ['validation_failed', 'malformed_json', 'bad_request'],
  401: ['unauthorized'],
  404: ['not_found'],
  413: ['payload_too_large'],
  415: ['unsupported_media_type'],
  429: ['too_many_attempts'],
  500: ['internal_error'],
};

/** Codes the HTTP layer answers with whatever the route: unreadable bodies, unknown routes and ids, crashes. */
const LAYER_CODES = ['bad_request', 'malformed_json', 'unsupported_media_type', 'payload_too_large', 'not_found', 'route_not_found', 'internal_error'];

/** What one route may answer: its declared `errors`, and what its declaration implies (input to check, a session). */
function errorCodesOf(route: AnyRoute): string[] {
  const codes = [...(route.errors ?? [])];
  if (route.body || route.query || route.params) codes.push('validation_failed');
  if (route.auth === 'bearer') codes.push('unauthorized', ...(route.allowRecoverySession ? [] : ['recovery_session_restricted']));
  return codes;
}

/** Every code the service answers with, from the route declarations: nothing to register or keep in step. */
export function documentedErrorCodes(routes: AnyRoute[]): string[] {
  return [...new Set([...LAYER_CODES, ...routes.flatMap(errorCodesOf)])].sort();
}

function errorResponses(route: AnyRoute) {
  const statuses = new Set<number>([500]);
  if (route.body || route.query) [400, 413, 415].forEach((s) => statuses.add(s));
  if (route.auth === 'bearer') statuses.add(401);
  if (route.params) statuses.add(404);
  const responses: Record<string, { description: string; content: { 'application/json': { schema: typeof errorBodySchema } } }> = {};
  for (const status of statuses) {
    if (route.responses[status]) continue;
    const codes = GENERIC_ERRORS[status] ?? [];
    responses[String(status)] = { description: `Error. Codes: ${codes.join(', ')}`, content: { 'application/json': { schema: errorBodySchema } } };
  }
  return responses;
}

export function buildOpenApiDocument(routes: AnyRoute[], info: { version: string; serverUrl: string }) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'Opaque session token from POST /v1/sessions' });
  for (const route of routes) {
    const responses: Record<string, object> = {};
    for (const [status, spec] of Object.entries(route.responses)) {
      const isError = Number(status) >= 400;
      const schema = spec.schema ?? (isError ? errorBodySchema : undefined);
      responses[status] = schema ? { description: spec.description, content: { [spec.contentType ?? 'application/json']: { schema } } } : { description: spec.description };
    }
    const bodyContentType = route.bodyType === 'form' ? 'application/x-www-form-urlencoded' : 'application/json';
    registry.registerPath({
      method: route.method,
      path: toOpenApiPath(route.path),
      summary: route.summary,
      tags: [route.tag],
      security: route.auth === 'bearer' ? [{ bearer: [] }] : [],
      request: {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        params: route.params as any,
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        query: route.query as any,
        body: route.body ? { required: true, content: { [bodyContentType]: { schema: route.body } } } : undefined,
      },
      responses: { ...errorResponses(route), ...responses },
      'x-error-codes': route.errors ?? [],
    } as Parameters<OpenAPIRegistry['registerPath']>[0]);
  }
  const generator = new OpenApiGeneratorV31(registry.definitions);
  const document = generator.generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Meshwork API',
      version: info.version,
      description: `End-to-end-encrypted team vault and safety check-ins. Every error is {"error":{"code","message"}}. Error codes: ${documentedErrorCodes(routes).join(', ')}.`,
    },
    servers: [{ url: info.serverUrl }],
  });
  return withJsonSchemaPatterns(document);
}

/**
 * zod-to-openapi writes a regex as its `toString()` minus the slashes, so a flagged one such as
 * `/^[^\p{Cc}]*$/u` comes out as `^[^\p{Cc}]*$/u`, which matches nothing and made four operations
 * unfuzzable. JSON Schema patterns are ECMA-262 read with Unicode semantics (what the `u` flag gives),
 * so the flag is dropped and the source kept. Only `u` and `v` (Unicode) may be dropped without changing
 * meaning; any other flag is a bug to fix in the schema, so it fails loudly here.
 */
export function withJsonSchemaPatterns<T>(document: T): T {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (typeof record.pattern === 'string') {
      const flagged = /^(.*)\/([a-z]+)$/s.exec(record.pattern);
      if (flagged && isRegex(flagged[1]!)) {
        if (!/^[uv]+$/.test(flagged[2]!)) throw new Error(`a schema uses regex flags JSON Schema cannot express: /${flagged[1]}/${flagged[2]}`);
        record.pattern = flagged[1];
      }
    }
    Object.values(record).forEach(visit);
  };
  visit(document);
  return document;
}

function isRegex(source: string): boolean {
  try {
    new RegExp(source, 'u');
    return true;
  } catch {
    return false;
  }
}
