import twilio from 'twilio';

/**
 * The twilio SDK's side of the webhooks Twilio calls (an inbound SMS, a delivery status): checking their
 * signature and wording the TwiML reply. Beside `twilio-sender.ts`, the only service file that uses the SDK.
 */

/**
 * X-Twilio-Signature is an HMAC of the full public URL (path and query) and the sorted form fields under
 * the auth token. Without a token nothing can be verified, so nothing is accepted.
 */
export function isSignedByTwilio(authToken: string | undefined, signature: unknown, url: string, params: Record<string, unknown>): boolean {
  return Boolean(authToken) && typeof signature === 'string' && twilio.validateRequest(authToken!, signature, url, params);
}

const EMPTY_TWIML = new twilio.twiml.MessagingResponse().toString();

/** The TwiML answer to an inbound SMS: one reply text, or none (an empty response texts nobody). */
export function twimlReply(text: string | null): string {
  if (text === null) return EMPTY_TWIML;
  const response = new twilio.twiml.MessagingResponse();
  response.message(text);
  return response.toString();
}
