import { defineRoute, type AnyRoute } from './route';
import { z } from './zod';
import { AppError } from '../shared/errors';

export interface Readiness {
  /** Null when ready; otherwise why not (database unreachable, embedded server crashed, shutting down). */
  notReadyReason(): Promise<string | null>;
}

const statusBody = z.object({ status: z.string() }).strict();

export function healthRoutes(readiness: Readiness): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/healthz',
      summary: 'Liveness: the process answers',
      tag: 'health',
      auth: 'none',
      responses: { 200: { description: 'Alive', schema: statusBody } },
      handle: async () => ({ status: 200, body: { status: 'ok' } }),
    }),
    defineRoute({
      method: 'get',
      path: '/readyz',
      summary: 'Readiness: the database answers and nothing vital has crashed',
      tag: 'health',
      auth: 'none',
      responses: { 200: { description: 'Ready', schema: statusBody }, 503: { description: 'Not ready (code service_unavailable)' } },
      errors: ['service_unavailable'],
      handle: async () => {
        const reason = await readiness.notReadyReason();
        if (reason) throw new AppError(503, 'service_unavailable', `Not ready: ${reason}`);
        return { status: 200, body: { status: 'ready' } };
      },
    }),
  ];
}
