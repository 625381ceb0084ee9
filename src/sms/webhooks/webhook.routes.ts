import { defineRoute, type AnyRoute, type RequestContext } from '../../http/route';
import { z } from '../../http/zod';
import { recordDeliveryStatus } from '../../safety/delivery/record-delivery-status';
import type { SafetyDeps } from '../../safety/deps';
import { errors } from '../../shared/errors';
import { isSignedByTwilio, twimlReply } from '../twilio-webhooks';
import { handleInboundSms } from './handle-inbound-sms';
import { oncePerWebhook } from './webhook-once';

// Twilio posts many fields and may add more: accept any form here, check the signature, then read what we need.
const twilioForm = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

/**
 * X-Twilio-Signature covers PUBLIC_URL + path + query and every form field: anything else gets 403
 * before a single field is read. Without an auth token nothing can be verified, so every webhook is refused.
 */
function assertSignedByTwilio(deps: SafetyDeps, ctx: RequestContext, params: Record<string, unknown>): void {
  const signature = ctx.headers['x-twilio-signature'];
  const token = deps.config.TWILIO_AUTH_TOKEN;
  const url = `${deps.config.PUBLIC_URL}${ctx.originalUrl}`;
  if (!isSignedByTwilio(token, signature, url, params)) {
    ctx.log.warn({ event: 'webhook_signature_refused', path: ctx.originalUrl.split('?')[0] }, 'refused a webhook without a valid Twilio signature');
    throw errors.forbidden('invalid_signature', 'Request not signed by Twilio.');
  }
}

const field = (form: Record<string, string | string[]>, name: string) => {
  const value = form[name];
  return typeof value === 'string' ? value : undefined;
};

/** What Twilio posts to us (inbound SMS, delivery status): no session, so Twilio's signature is checked before anything is read. */
export function webhookRoutes(deps: SafetyDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'post', path: '/v1/sms/inbound', summary: 'Twilio webhook: an SMS to our number (YES, STOP, START, ACK, or a check-in code)', tag: 'sms', auth: 'none',
      body: twilioForm, bodyType: 'form', bodyLimitBytes: 16 * 1024,
      responses: { 200: { description: 'TwiML reply (empty for unknown senders)', contentType: 'text/xml' }, 403: { description: 'invalid_signature' } },
      errors: ['invalid_signature'],
      handle: async ({ body }, ctx) => {
        assertSignedByTwilio(deps, ctx, body);
        const from = field(body, 'From');
        const messageSid = field(body, 'MessageSid');
        const text = field(body, 'Body') ?? '';
        // Twilio always sends a MessageSid; without one a request cannot be told from a replay, so it is not acted on.
        if (!from || !messageSid) return { status: 200, body: twimlReply(null), contentType: 'text/xml' };
        const once = await oncePerWebhook(deps, `inbound:${messageSid}`, () => handleInboundSms(deps, from, text.slice(0, 1600)));
        // A replay gets no reply: answering again would text the person a second time.
        return { status: 200, body: twimlReply(once.replayed ? null : once.result), contentType: 'text/xml' };
      },
    }),
    defineRoute({
      method: 'post', path: '/v1/sms/status', summary: 'Twilio webhook: delivery status of a message we sent', tag: 'sms', auth: 'none',
      body: twilioForm, bodyType: 'form', bodyLimitBytes: 16 * 1024,
      responses: { 204: { description: 'Recorded (or ignored when unknown)' }, 403: { description: 'invalid_signature' } },
      errors: ['invalid_signature'],
      handle: async ({ body }, ctx) => {
        assertSignedByTwilio(deps, ctx, body);
        const messageSid = field(body, 'MessageSid');
        const status = field(body, 'MessageStatus');
        if (!messageSid) return { status: 204 };
        await oncePerWebhook(deps, `status:${messageSid}:${status ?? ''}`, () =>
          recordDeliveryStatus(deps, {
            // Our own id, put in the callback URL when sending (and covered by the signature).
            outboxId: new URL(ctx.originalUrl, 'http://local').searchParams.get('outboxId') ?? undefined,
            messageSid,
            status,
            errorCode: field(body, 'ErrorCode'),
          }),
        );
        return { status: 204 };
      },
    }),
  ];
}
