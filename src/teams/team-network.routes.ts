import type { SafetyDeps } from '../safety/deps';
import { language, phoneInput, singleLine } from '../safety/check-in.schemas';
import { CONTACT_STATES } from '../contacts/contact.model';
import { defineRoute, signedIn, type AnyRoute } from '../http/route';
import { objectId, z } from '../http/zod';
import { teamIdParams } from './team.schemas';
import { addResponder, getTeamNetwork, reinviteResponder, removeResponder, setTeamSmsName } from './manage-team-network';

const me = signedIn;
const tag = 'team network';
const coordinatorsOnly = "Coordinators only: for anyone else (a plain member, another team's member) the team answers 404, as one that does not exist.";

const responderView = z
  .object({ id: z.string(), name: z.string(), role: z.string(), phoneHint: z.string(), language, state: z.enum(CONTACT_STATES), stateChangedAt: z.string(), createdAt: z.string() })
  .strict();
const networkView = z.object({ smsName: z.string().nullable(), responders: z.array(responderView) }).strict();
const smsNameBody = z
  .object({ smsName: singleLine(30).openapi({ description: "The name the team's texts use (e.g. \"Red Mesoamericana\"). Readable by the server (encrypted at rest), so never the team's real name." }) })
  .strict();
const addBody = z.object({ name: singleLine(40), phone: phoneInput, language, role: singleLine(40).openapi({ description: 'e.g. lawyer, journalist, regional coordinator' }) }).strict();
const responderParams = z.object({ teamId: objectId, responderId: objectId }).strict();

export function teamNetworkRoutes(deps: SafetyDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'put', path: '/v1/teams/:teamId/network/sms-name', summary: `Set the name the team's texts use. ${coordinatorsOnly}`, tag, auth: 'bearer',
      params: teamIdParams, body: smsNameBody,
      responses: { 200: { description: 'Set', schema: smsNameBody } },
      handle: async ({ params, body }, ctx) => ({ status: 200, body: await setTeamSmsName(deps, me(ctx), params.teamId, body.smsName) }),
    }),
    defineRoute({
      method: 'get', path: '/v1/teams/:teamId/network', summary: `The team's urgent-action network: its SMS name and responders with their opt-in state. ${coordinatorsOnly}`, tag, auth: 'bearer',
      params: teamIdParams,
      responses: { 200: { description: 'Network', schema: networkView } },
      handle: async ({ params }, ctx) => ({ status: 200, body: await getTeamNetwork(deps, me(ctx), params.teamId) }),
    }),
    defineRoute({
      method: 'post', path: '/v1/teams/:teamId/network/responders', summary: `Add a responder; they are texted an invitation naming the team's SMS name and must reply YES with its code. ${coordinatorsOnly}`, tag, auth: 'bearer',
      params: teamIdParams, body: addBody,
      responses: { 201: { description: 'Added (invited)', schema: responderView }, 409: { description: 'sms_name_required, responder_exists, too_many_responders' } },
      errors: ['invalid_phone', 'sms_name_required', 'responder_exists', 'too_many_responders'],
      handle: async ({ params, body }, ctx) => ({ status: 201, body: await addResponder(deps, me(ctx), params.teamId, body) }),
    }),
    defineRoute({
      method: 'post', path: '/v1/teams/:teamId/network/responders/:responderId/invitation', summary: `Send the invitation again (a responder who has not answered). ${coordinatorsOnly}`, tag, auth: 'bearer',
      params: responderParams,
      responses: { 200: { description: 'Invitation queued', schema: responderView }, 409: { description: 'not_invited, too_many_invitations, sms_name_required' } },
      errors: ['not_invited', 'too_many_invitations', 'sms_name_required'],
      handle: async ({ params }, ctx) => ({ status: 200, body: await reinviteResponder(deps, me(ctx), params.teamId, params.responderId) }),
    }),
    defineRoute({
      method: 'delete', path: '/v1/teams/:teamId/network/responders/:responderId', summary: `Remove a responder; an alert already escalating texts them no further tier. ${coordinatorsOnly}`, tag, auth: 'bearer',
      params: responderParams,
      responses: { 204: { description: 'Removed' } },
      handle: async ({ params }, ctx) => {
        await removeResponder(me(ctx), params.teamId, params.responderId);
        return { status: 204 };
      },
    }),
  ];
}
