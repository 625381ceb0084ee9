import { defineRoute, type AnyRoute, signedIn } from '../http/route';
import { acceptInvitation } from './accept-invitation';
import { appendTeamLogEntry } from './append-team-log-entry';
import { createTeam } from './create-team';
import { mintTeamId } from './team-ids';
import type { TeamsDeps } from './deps';
import { getTeam } from './get-team';
import { listInvitations } from './list-invitations';
import { listMyTeams } from './list-my-teams';
import { readTeamLog } from './read-team-log';
import * as s from './team.schemas';

const me = signedIn;
const tag = 'teams';
const logErrors = ['log_conflict', 'invalid_signature', 'not_allowed', 'invalid_entry', 'invitee_keys_mismatch', 'team_name_required'];

export function teamRoutes(deps: TeamsDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'post', path: '/v1/teams', summary: 'Create a team from its signed genesis entry', tag, auth: 'bearer',
      body: s.createTeamBody,
      responses: { 201: { description: 'Created', schema: s.teamView }, 400: { description: 'team_id_refused: not an id minted for you in the last 15 minutes, or already used' } },
      errors: ['team_id_refused', 'invalid_entry', 'invalid_signature', 'invitee_keys_mismatch'],
      handle: async ({ body }, ctx) => ({ status: 201, body: await createTeam(deps, me(ctx), body) }),
    }),
    defineRoute({
      method: 'post', path: '/v1/team-ids', summary: 'A fresh team id minted for me, to sign into a create entry within 15 minutes', tag, auth: 'bearer',
      responses: { 201: { description: 'Minted', schema: s.mintedTeamId } },
      handle: async (_input, ctx) => ({ status: 201, body: mintTeamId(deps, me(ctx)) }),
    }),
    defineRoute({
      method: 'get', path: '/v1/teams', summary: 'Teams I am a member of', tag, auth: 'bearer',
      responses: { 200: { description: 'Teams', schema: s.teamList } },
      handle: async (_input, ctx) => ({ status: 200, body: await listMyTeams(me(ctx)) }),
    }),
    defineRoute({
      method: 'get', path: '/v1/teams/:teamId', summary: "A team's head, generation and the server's view of its members", tag, auth: 'bearer',
      params: s.teamIdParams,
      responses: { 200: { description: 'Team', schema: s.teamView } },
      handle: async ({ params }, ctx) => ({ status: 200, body: await getTeam(me(ctx), params.teamId) }),
    }),
    defineRoute({
      method: 'get', path: '/v1/teams/:teamId/log', summary: "The team's signed membership log, oldest first", tag, auth: 'bearer',
      params: s.teamIdParams, query: s.logQuery,
      responses: { 200: { description: 'Entries', schema: s.logReply } },
      handle: async ({ params, query }, ctx) => ({ status: 200, body: await readTeamLog(me(ctx), params.teamId, query) }),
    }),
    defineRoute({
      method: 'post', path: '/v1/teams/:teamId/log', summary: 'Append a signed entry: invite, add, remove, role, leave, rotate', tag, auth: 'bearer',
      params: s.teamIdParams, body: s.appendLogBody,
      responses: { 201: { description: 'Appended', schema: s.appendReply }, 409: { description: 'log_conflict' } },
      errors: logErrors,
      handle: async ({ params, body }, ctx) => ({ status: 201, body: await appendTeamLogEntry(deps, me(ctx), params.teamId, body) }),
    }),
    defineRoute({
      method: 'get', path: '/v1/invitations', summary: 'Teams that invited me', tag, auth: 'bearer',
      responses: { 200: { description: 'Invitations', schema: s.invitationList } },
      handle: async (_input, ctx) => ({ status: 200, body: await listInvitations(me(ctx)) }),
    }),
    defineRoute({
      method: 'post', path: '/v1/invitations/:teamId/accept', summary: 'Accept an invitation with my signature over it; a coordinator then seals the team key to me', tag, auth: 'bearer',
      params: s.teamIdParams, body: s.acceptInvitationBody,
      responses: { 204: { description: 'Accepted' } },
      errors: ['invalid_signature'],
      handle: async ({ params, body }, ctx) => {
        await acceptInvitation(deps, me(ctx), params.teamId, body);
        return { status: 204 };
      },
    }),
  ];
}
