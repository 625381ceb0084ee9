import type { ZodType } from 'zod';
import type { AuthenticatedAccount } from '../shared/authenticated-account';
import type { Logger } from '../shared/logger';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RequestContext {
  requestId: string;
  log: Logger;
  ip: string;
  headers: Record<string, string | string[] | undefined>;
  /** Path and query as the client sent them; webhooks sign over the full URL. */
  originalUrl: string;
  account?: AuthenticatedAccount;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Defaults to JSON. Twilio webhooks answer TwiML (text/xml). */
  contentType?: string;
}

export interface ResponseSpec {
  description: string;
  schema?: ZodType;
  contentType?: string;
}

/**
 * One route, declared once: the same object mounts it on Express, validates its input and
 * documents it in the OpenAPI document, so the three cannot drift apart.
 */
export interface RouteSpec<Body = unknown, Params = unknown, Query = unknown> {
  method: HttpMethod;
  /** Express syntax: /v1/teams/:teamId */
  path: string;
  summary: string;
  tag: string;
  /** bearer: a signed-in account; none: public; recovery sessions are refused unless allowRecoverySession. */
  auth: 'bearer' | 'none';
  allowRecoverySession?: boolean;
  body?: ZodType<Body>;
  bodyType?: 'json' | 'form';
  bodyLimitBytes?: number;
  params?: ZodType<Params>;
  query?: ZodType<Query>;
  responses: Record<number, ResponseSpec>;
  /** Error codes this route may answer with, besides the generic ones. */
  errors?: string[];
  handle(input: { body: Body; params: Params; query: Query }, ctx: RequestContext): Promise<Reply>;
}

// Lets a domain list routes of different input types in one array.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteSpec<any, any, any>;

export function defineRoute<Body = undefined, Params = undefined, Query = undefined>(spec: RouteSpec<Body, Params, Query>): AnyRoute {
  return spec as AnyRoute;
}

export function toOpenApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** The signed-in account of a bearer route (mount.ts authenticates before the handler runs). */
export function signedIn(ctx: RequestContext): AuthenticatedAccount {
  if (!ctx.account) throw new Error('route declared auth: bearer but has no account');
  return ctx.account;
}
