import { defineRoute, type AnyRoute, signedIn } from '../http/route';
import { z } from '../http/zod';
import { teamIdParams } from '../teams/team.schemas';
import { alertIdParams, alertView, coordinatorAlertView, teamAlertParams, timelineEntry } from '../safety/alert.schemas';
import type { SafetyDeps } from '../safety/deps';
import { getAlertTimeline, listAlerts } from './view-alerts';
import { getTeamAlertTimeline, listTeamAlerts } from './team-alerts';

const me = signedIn;

export function alertRoutes(deps: SafetyDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'get', path: '/v1/alerts', summary: 'My recent alerts (newest first, at most 50)', tag: 'alerts', auth: 'bearer',
      responses: { 200: { description: 'Alerts', schema: z.object({ alerts: z.array(alertView) }).strict() } },
      handle: async (_input, ctx) => ({ status: 200, body: { alerts: await listAlerts(deps, me(ctx)) } }),
    }),
    defineRoute({
      method: 'get', path: '/v1/alerts/:alertId/timeline', summary: "An alert's timeline: missed, tiers alerted, messages, acknowledgement, all-clear", tag: 'alerts', auth: 'bearer',
      params: alertIdParams,
      responses: { 200: { description: 'Timeline', schema: z.object({ alert: alertView, timeline: z.array(timelineEntry) }).strict() } },
      handle: async ({ params }, ctx) => ({ status: 200, body: await getAlertTimeline(deps, me(ctx), params.alertId) }),
    }),
    defineRoute({
      method: 'get', path: '/v1/teams/:teamId/alerts', summary: "Coordinators: alerts of the team's other members, duress included", tag: 'alerts', auth: 'bearer',
      params: teamIdParams,
      responses: { 200: { description: 'Alerts', schema: z.object({ alerts: z.array(coordinatorAlertView) }).strict() } },
      handle: async ({ params }, ctx) => ({ status: 200, body: { alerts: await listTeamAlerts(deps, me(ctx), params.teamId) } }),
    }),
    defineRoute({
      method: 'get', path: '/v1/teams/:teamId/alerts/:alertId/timeline', summary: "Coordinators: a member's alert timeline", tag: 'alerts', auth: 'bearer',
      params: teamAlertParams,
      responses: { 200: { description: 'Timeline', schema: z.object({ alert: coordinatorAlertView, timeline: z.array(timelineEntry) }).strict() } },
      handle: async ({ params }, ctx) => ({ status: 200, body: await getTeamAlertTimeline(deps, me(ctx), params.teamId, params.alertId) }),
    }),
  ];
}
