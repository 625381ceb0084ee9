import type { SafetyDeps } from '../safety/deps';
import { defineRoute, type AnyRoute, signedIn } from '../http/route';
import { cancelCheckIn, checkInWithPin, getCheckIn, listCheckIns } from './check-in';
import { runAfterReply } from './check-in-outcomes';
import * as s from '../safety/check-in.schemas';
import { extendCheckIn } from './extend-check-in';
import { previewCheckInAlert, scheduleCheckIn } from './schedule-check-in';
import { requestPhoneCode, verifyPhone } from './phone-verification';
import { getCheckInProfile, setCheckInProfile } from './set-profile';
import { getTeamNetworkChoice, setTeamNetworkChoice } from './team-network-choice';

const me = signedIn;
const tag = 'check-ins';

export function checkInRoutes(deps: SafetyDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'put', path: '/v1/check-in-profile', summary: 'Set the name alerts use, time zone, language, own phone and the check-in and duress PINs', tag, auth: 'bearer',
      body: s.profileBody,
      responses: { 200: { description: 'Saved', schema: s.profileReply }, 403: { description: 'wrong_pin: the current PIN given to change PINs, name or phone is wrong (or the duress PIN)' }, 429: { description: 'too_many_attempts' } },
      errors: ['pins_required', 'duress_pin_same_as_pin', 'current_pin_required', 'invalid_phone', 'wrong_pin', 'too_many_attempts'],
      handle: async ({ body }, ctx) => ({ status: 200, body: await setCheckInProfile(deps, me(ctx), body) }),
    }),
    defineRoute({
      method: 'post', path: '/v1/check-in-profile/phone/code', summary: 'Text a new verification code to my unverified phone (the wait doubles after each code)', tag, auth: 'bearer',
      responses: { 200: { description: 'Code queued', schema: s.profileReply }, 409: { description: 'no_phone_code_pending' }, 429: { description: 'too_many_attempts' } },
      errors: ['no_phone_code_pending', 'too_many_attempts'],
      handle: async (_input, ctx) => ({ status: 200, body: await requestPhoneCode(deps, me(ctx)) }),
    }),
    defineRoute({
      method: 'post', path: '/v1/check-in-profile/phone/verification', summary: 'Enter the code texted to my phone: SMS check-in turns on', tag, auth: 'bearer',
      body: s.phoneCodeBody,
      responses: {
        200: { description: 'Verified', schema: s.profileReply },
        400: { description: 'wrong_phone_code' },
        409: { description: 'no_phone_code_pending, phone_code_expired, or phone_taken (another profile has verified this number)' },
        429: { description: 'too_many_attempts' },
      },
      errors: ['wrong_phone_code', 'no_phone_code_pending', 'phone_code_expired', 'phone_taken', 'too_many_attempts'],
      handle: async ({ body }, ctx) => ({ status: 200, body: await verifyPhone(deps, me(ctx), body.code) }),
    }),
    defineRoute({
      method: 'get', path: '/v1/check-in-profile/team-network', summary: "Whether (and at which tier) my alerts also go to my team's urgent-action network", tag, auth: 'bearer',
      responses: { 200: { description: 'Choice', schema: s.teamNetworkBody }, 409: { description: 'check_in_profile_required' } },
      errors: ['check_in_profile_required'],
      handle: async (_input, ctx) => ({ status: 200, body: await getTeamNetworkChoice(me(ctx)) }),
    }),
    defineRoute({
      method: 'put', path: '/v1/check-in-profile/team-network', summary: "After my own tiers (or at a tier), alert my team's urgent-action network; null turns it off", tag, auth: 'bearer',
      body: s.teamNetworkBody,
      responses: { 200: { description: 'Saved', schema: s.teamNetworkBody }, 404: { description: 'not a team I am a member of' }, 409: { description: 'check_in_profile_required' } },
      errors: ['check_in_profile_required'],
      handle: async ({ body }, ctx) => ({ status: 200, body: await setTeamNetworkChoice(me(ctx), body.teamNetwork) }),
    }),
    defineRoute({
      method: 'get', path: '/v1/check-in-profile', summary: 'My check-in profile (PINs are never returned)', tag, auth: 'bearer',
      responses: { 200: { description: 'Profile', schema: s.profileReply } },
      handle: async (_input, ctx) => ({ status: 200, body: await getCheckInProfile(deps, me(ctx)) }),
    }),
    defineRoute({
      method: 'post', path: '/v1/check-ins', summary: 'Schedule a check-in: once, every N hours, or at set times of day', tag, auth: 'bearer',
      body: s.scheduleCheckInBody,
      responses: { 201: { description: 'Scheduled, with the alert size in SMS segments', schema: s.scheduledReply }, 409: { description: 'check_in_profile_required' } },
      errors: ['check_in_profile_required', 'due_in_past', 'due_too_far'],
      handle: async ({ body }, ctx) => ({ status: 201, body: await scheduleCheckIn(deps, me(ctx), body) }),
    }),
    defineRoute({
      method: 'post', path: '/v1/check-ins/preview', summary: 'What scheduling this check-in would text each contact if missed, in order, with SMS counts (nothing is saved)', tag, auth: 'bearer',
      body: s.scheduleCheckInBody,
      responses: { 200: { description: 'Preview', schema: s.alertPreview }, 409: { description: 'check_in_profile_required' } },
      errors: ['check_in_profile_required', 'due_in_past', 'due_too_far'],
      handle: async ({ body }, ctx) => ({ status: 200, body: await previewCheckInAlert(deps, me(ctx), body) }),
    }),
    defineRoute({
      method: 'get', path: '/v1/check-ins', summary: 'My pending check-ins', tag, auth: 'bearer',
      responses: { 200: { description: 'Check-ins', schema: s.checkInList } },
      handle: async (_input, ctx) => ({ status: 200, body: { checkIns: await listCheckIns(deps, me(ctx)) } }),
    }),
    defineRoute({
      method: 'get', path: '/v1/check-ins/:checkInId', summary: 'One of my check-ins', tag, auth: 'bearer',
      params: s.checkInIdParams,
      responses: { 200: { description: 'Check-in', schema: s.checkInView } },
      handle: async ({ params }, ctx) => ({ status: 200, body: await getCheckIn(deps, me(ctx), params.checkInId) }),
    }),
    defineRoute({
      method: 'post', path: '/v1/check-ins/:checkInId/check-in', summary: 'Check in with the PIN (late check-ins end the alert with an all-clear)', tag, auth: 'bearer',
      params: s.checkInIdParams,
      body: s.pinBody,
      responses: { 200: { description: 'Checked in', schema: s.checkedInReply }, 403: { description: 'wrong_pin' }, 429: { description: 'too_many_attempts' } },
      errors: ['wrong_pin', 'too_many_attempts', 'check_in_profile_required', 'check_in_changed'],
      handle: async ({ params, body }, ctx) => {
        const { reply, afterReply } = await checkInWithPin(deps, me(ctx), params.checkInId, body.pin);
        // After the reply is sent, so a duress PIN's extra work never shows in the answer; if the process
        // dies first, start-up recovery does it from the sealed outcome.
        runAfterReply(afterReply, (error) => ctx.log.error({ err: error, event: 'check_in_settle_failed' }, 'settling a check-in failed; recovery finishes it'));
        return { status: 200, body: reply };
      },
    }),
    defineRoute({
      method: 'post', path: '/v1/check-ins/:checkInId/extend', summary: 'Snooze: move the pending deadline later with the PIN (a missed one ends its alert with an all-clear)', tag, auth: 'bearer',
      params: s.checkInIdParams,
      body: s.extendBody,
      responses: { 200: { description: 'Extended (the same reply whichever PIN was used)', schema: s.extendedReply }, 403: { description: 'wrong_pin' }, 429: { description: 'too_many_attempts' } },
      errors: ['wrong_pin', 'too_many_attempts', 'check_in_profile_required', 'check_in_changed'],
      handle: async ({ params, body }, ctx) => ({ status: 200, body: await extendCheckIn(deps, me(ctx), params.checkInId, body.pin, body.minutes) }),
    }),
    defineRoute({
      method: 'post', path: '/v1/check-ins/:checkInId/cancel', summary: 'Cancel a check-in with the PIN (an open alert ends with an all-clear)', tag, auth: 'bearer',
      params: s.checkInIdParams,
      body: s.pinBody,
      responses: { 200: { description: 'Cancelled', schema: s.checkedInReply }, 403: { description: 'wrong_pin' }, 429: { description: 'too_many_attempts' } },
      errors: ['wrong_pin', 'too_many_attempts', 'check_in_profile_required'],
      handle: async ({ params, body }, ctx) => ({ status: 200, body: await cancelCheckIn(deps, me(ctx), params.checkInId, body.pin) }),
    }),
  ];
}
