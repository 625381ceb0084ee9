import { defineRoute, type AnyRoute, signedIn } from '../http/route';
import { z } from '../http/zod';
import * as s from './account.schemas';
import { changePassword } from './change-password';
import { deleteAccount } from './delete-account';
import type { AccountDeps } from './deps';
import { getPreloginParams } from './get-prelogin-params';
import { getPublicKeys } from './get-public-keys';
import { listSessions, revokeSession, signOut, signOutEverywhere } from './manage-sessions';
import { registerAccount } from './register-account';
import { signIn } from './sign-in';
import { signInWithRecoveryKey } from './sign-in-with-recovery-key';

const me = signedIn;
const tag = 'accounts';

export function accountRoutes(deps: AccountDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'post', path: '/v1/accounts', summary: 'Register an account (keys made and wrapped by the client)', tag, auth: 'none',
      body: s.registerBody,
      responses: { 201: { description: 'Registered', schema: s.registerReply }, 409: { description: 'handle_taken' }, 429: { description: 'too_many_attempts: REGISTRATIONS_PER_ADDRESS_PER_HOUR reached' } },
      errors: ['handle_taken', 'invalid_self_signature', 'too_many_attempts'],
      handle: async ({ body }, ctx) => ({ status: 201, body: await registerAccount(deps, { ...body, address: ctx.ip }) }),
    }),
    defineRoute({
      method: 'get', path: '/v1/accounts/prelogin', summary: 'KDF parameters and salt for a handle (fake but stable for unknown handles)', tag, auth: 'none',
      query: s.preloginQuery,
      responses: { 200: { description: 'KDF parameters', schema: s.preloginReply } },
      handle: async ({ query }) => ({ status: 200, body: await getPreloginParams(deps, query.handle) }),
    }),
    defineRoute({
      method: 'get', path: '/v1/accounts/:handle/public-keys', summary: "An account's public keys, to invite it to a team", tag, auth: 'bearer',
      params: s.handleParams,
      responses: { 200: { description: 'Public keys', schema: s.publicAccountView } },
      handle: async ({ params }) => ({ status: 200, body: await getPublicKeys(params.handle) }),
    }),
    defineRoute({
      method: 'post', path: '/v1/sessions', summary: 'Sign in with the auth key derived from the password', tag, auth: 'none',
      body: s.signInBody,
      responses: { 201: { description: 'Signed in', schema: s.signInReply }, 401: { description: 'invalid_credentials' }, 429: { description: 'too_many_attempts' } },
      errors: ['invalid_credentials', 'too_many_attempts'],
      handle: async ({ body }, ctx) => ({ status: 201, body: await signIn(deps, { ...body, address: ctx.ip }) }),
    }),
    defineRoute({
      method: 'post', path: '/v1/sessions/recovery', summary: 'Sign in with the recovery key; the session may only set a new password', tag, auth: 'none',
      body: s.recoverySignInBody,
      responses: { 201: { description: 'Recovery session', schema: s.recoverySignInReply }, 401: { description: 'invalid_credentials' }, 429: { description: 'too_many_attempts' } },
      errors: ['invalid_credentials', 'too_many_attempts'],
      handle: async ({ body }, ctx) => ({ status: 201, body: await signInWithRecoveryKey(deps, { ...body, address: ctx.ip }) }),
    }),
    defineRoute({
      method: 'get', path: '/v1/sessions', summary: 'List my sessions', tag, auth: 'bearer',
      responses: { 200: { description: 'Sessions', schema: s.sessionList } },
      handle: async (_input, ctx) => ({ status: 200, body: await listSessions(deps, me(ctx)) }),
    }),
    defineRoute({
      method: 'delete', path: '/v1/sessions/current', summary: 'Sign out this session', tag, auth: 'bearer', allowRecoverySession: true,
      responses: { 204: { description: 'Signed out' } },
      handle: async (_input, ctx) => {
        await signOut(me(ctx));
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'delete', path: '/v1/sessions', summary: 'Sign out everywhere', tag, auth: 'bearer',
      responses: { 200: { description: 'All sessions revoked', schema: z.object({ revoked: z.number().int() }).strict() } },
      handle: async (_input, ctx) => ({ status: 200, body: await signOutEverywhere(me(ctx)) }),
    }),
    defineRoute({
      method: 'delete', path: '/v1/sessions/:sessionId', summary: 'Revoke one of my sessions', tag, auth: 'bearer',
      params: s.sessionIdParams,
      responses: { 204: { description: 'Revoked' } },
      handle: async ({ params }, ctx) => {
        await revokeSession(me(ctx), params.sessionId);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'put', path: '/v1/account/password', summary: 'Change the password (private keys re-wrapped by the client); closes every session', tag, auth: 'bearer', allowRecoverySession: true,
      body: s.changePasswordBody,
      responses: { 200: { description: 'Changed; a new session', schema: s.signInReply }, 401: { description: 'invalid_credentials' }, 409: { description: 'password_changed_concurrently' } },
      errors: ['current_password_required', 'recovery_rotation_required', 'invalid_credentials', 'password_changed_concurrently'],
      handle: async ({ body }, ctx) => ({ status: 200, body: await changePassword(deps, me(ctx), body) }),
    }),
    defineRoute({
      method: 'delete', path: '/v1/account', summary: 'Delete the account and everything it owns (panic wipe)', tag, auth: 'bearer',
      body: s.deleteAccountBody,
      responses: { 204: { description: 'Deleted' }, 401: { description: 'invalid_credentials' } },
      errors: ['invalid_credentials'],
      handle: async ({ body }, ctx) => {
        await deleteAccount(deps, me(ctx), body.authKey);
        return { status: 204 };
      },
    }),
  ];
}
