/** The one interface the rest of Meshwork sends SMS through; the twilio SDK lives behind it in one file. */
export interface OutgoingSms {
  to: string;
  body: string;
  /** The outbox id, echoed back by status callbacks so a send can be matched even if we crashed before recording it. */
  outboxId: string;
}

export interface SentSms {
  providerSid: string;
}

export interface SmsSender {
  readonly name: 'twilio' | 'log';
  /** Resolves once the provider has accepted the message; throws SmsSendError otherwise. */
  send(sms: OutgoingSms): Promise<SentSms>;
  /**
   * After a crash between "provider accepted" and "we recorded it", asks the provider whether an
   * identical message to the same number was accepted since `since`; returns its id if so.
   */
  findAcceptedSince(sms: OutgoingSms, since: Date): Promise<string | undefined>;
}

export class SmsSendError extends Error {
  constructor(
    message: string,
    /** Worth trying again later (429, 5xx, network); false for a refusal that will not change (bad number, opted out). */
    readonly retryable: boolean,
    /** The provider's error code, e.g. Twilio 21610 (the recipient replied STOP). */
    readonly providerCode?: number,
  ) {
    super(message);
    this.name = 'SmsSendError';
  }
}

/** Twilio error 21610: the number has opted out of messages from this sender at Twilio's level. */
export const PROVIDER_CODE_OPTED_OUT = 21610;

/**
 * What the sent log and the alert timeline keep of a failure: the provider's code and a fixed description,
 * never the provider's own text (Twilio's quotes the number: "The 'To' number +44... is not a valid phone number").
 */
const PROVIDER_ERRORS: Record<number, string> = {
  21211: 'invalid number',
  21408: 'region not enabled',
  21610: 'recipient opted out',
  21612: 'number cannot receive from this sender',
  21614: 'not a mobile number',
  30003: 'unreachable handset',
  30004: 'message blocked',
  30005: 'unknown number',
  30006: 'landline or unreachable carrier',
  30007: 'carrier filtered',
  30008: 'unknown error',
};

export function describeProviderError(code: number | string | undefined, fallback: string): string {
  const numeric = typeof code === 'string' ? (/^\d{1,6}$/.test(code) ? Number(code) : undefined) : code;
  if (numeric === undefined || !Number.isInteger(numeric)) return fallback;
  return `provider error ${numeric}: ${PROVIDER_ERRORS[numeric] ?? fallback}`;
}

export function describeSendError(error: SmsSendError): string {
  return describeProviderError(error.providerCode, error.retryable ? 'temporary failure' : 'refused');
}
