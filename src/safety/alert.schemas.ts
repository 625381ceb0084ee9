import { z, objectId } from '../http/zod';
import { teamIdParams } from '../shared/ids';
import { TIMELINE_KINDS } from './timeline.model';

export const alertView = z
  .object({
    id: z.string(),
    checkInId: z.string().nullable(),
    state: z.enum(['escalating', 'acknowledged', 'resolved']),
    delayed: z.boolean(),
    missedAt: z.string(),
    acknowledgedBy: z.string().nullable(),
    acknowledgedAt: z.string().nullable(),
    resolvedAt: z.string().nullable(),
    createdAt: z.string(),
    reachedNobody: z.boolean().openapi({ description: 'No contact had replied YES when the alert went out, so nobody was texted (derived from its timeline).' }),
  })
  .strict();
export const timelineEntry = z
  .object({ at: z.string(), kind: z.enum(TIMELINE_KINDS), tier: z.number().int().nullable(), contactName: z.string().nullable(), detail: z.string().nullable() })
  .strict();
export const alertIdParams = z.object({ alertId: objectId }).strict();
export const teamAlertParams = teamIdParams.extend({ alertId: objectId }).strict();
export const coordinatorAlertView = alertView.extend({ ownerHandle: z.string(), duress: z.boolean() }).strict();

// Reply types inferred from the schemas above, shared by the server views and the client library.
export type AlertView = z.infer<typeof alertView>;
export type CoordinatorAlertView = z.infer<typeof coordinatorAlertView>;
export type TimelineEntry = z.infer<typeof timelineEntry>;
