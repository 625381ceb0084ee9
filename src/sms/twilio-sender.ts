import twilio from 'twilio';
import type { OutgoingSms, SentSms, SmsSender } from './sms-sender';
import { SmsSendError } from './sms-sender';

export interface TwilioSenderOptions {
  accountSid: string;
  authToken: string;
  /** A messaging service (MG...) is preferred: it spreads load over a number pool and handles opt-outs. */
  messagingServiceSid?: string;
  fromNumber?: string;
  /** PUBLIC_URL: status callbacks go to PUBLIC_URL/v1/sms/status?outboxId=... */
  publicUrl: string;
  /**
   * TWILIO_API_BASE_URL: where the REST API lives. Twilio's own by default; a Twilio-compatible
   * provider or a local test double otherwise. It receives the account SID and auth token.
   */
  apiBaseUrl?: string;
  /** Per request; kept well under SCHEDULER_LEASE_SECONDS so a claim never outlives its owner's request. */
  timeoutMs?: number;
}

export const TWILIO_API_BASE_URL = 'https://api.twilio.com';

/**
 * The SDK's own HTTP client, with its https://*.twilio.com origin replaced by the configured base URL
 * (a path prefix is kept: https://sms.example.org/twilio/2010-04-01/...). Only Twilio's hosts are
 * rewritten, so a URL the SDK was given from elsewhere is never sent our credentials by accident.
 */
class RebasedRequestClient extends twilio.RequestClient {
  constructor(
    private readonly baseUrl: string,
    timeout: number,
  ) {
    super({ timeout });
  }
  override request<TData>(opts: Parameters<twilio.RequestClient['request']>[0] & { data?: TData }) {
    return super.request<TData>({ ...opts, uri: opts.uri.replace(/^https:\/\/[a-z0-9.-]*\.twilio\.com(?=\/|$)/, this.baseUrl.replace(/\/+$/, '')) });
  }
}

/** The only file that sends through Twilio (`twilio-webhooks.ts` checks and answers its webhooks). */
export class TwilioSmsSender implements SmsSender {
  readonly name = 'twilio' as const;
  private readonly client: twilio.Twilio;

  constructor(private readonly options: TwilioSenderOptions) {
    if (!options.messagingServiceSid && !options.fromNumber) throw new Error('Twilio needs TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM_NUMBER');
    this.client = twilio(options.accountSid, options.authToken, {
      httpClient: options.apiBaseUrl && options.apiBaseUrl !== TWILIO_API_BASE_URL ? new RebasedRequestClient(options.apiBaseUrl, options.timeoutMs ?? 20_000) : undefined,
      timeout: options.timeoutMs ?? 20_000,
      // Our outbox retries with backoff and a durable record; the SDK retrying behind it would hide attempts.
      autoRetry: false,
    });
  }

  async send(sms: OutgoingSms): Promise<SentSms> {
    const sender = this.options.messagingServiceSid ? { messagingServiceSid: this.options.messagingServiceSid } : { from: this.options.fromNumber! };
    try {
      const message = await this.client.messages.create({
        ...sender,
        to: sms.to,
        body: sms.body,
        statusCallback: `${this.options.publicUrl}/v1/sms/status?outboxId=${encodeURIComponent(sms.outboxId)}`,
      });
      return { providerSid: message.sid };
    } catch (error) {
      throw classify(error);
    }
  }

  async findAcceptedSince(sms: OutgoingSms, since: Date): Promise<string | undefined> {
    try {
      const recent = await this.client.messages.list({ to: sms.to, limit: 20 });
      // Clocks differ a little between us and Twilio.
      const earliest = since.getTime() - 60_000;
      return recent.find((m) => m.body === sms.body && (m.dateCreated?.getTime() ?? 0) >= earliest)?.sid;
    } catch (error) {
      throw classify(error);
    }
  }
}

function classify(error: unknown): SmsSendError {
  const rest = error as { status?: number; code?: number; message?: string };
  const message = rest.message ?? String(error);
  if (typeof rest.status === 'number') {
    const retryable = rest.status === 429 || rest.status >= 500;
    return new SmsSendError(`Twilio answered ${rest.status}${rest.code ? ` (${rest.code})` : ''}: ${message}`, retryable, rest.code);
  }
  // No HTTP status: a network failure or timeout. The request may or may not have reached Twilio.
  return new SmsSendError(`Twilio unreachable: ${message}`, true);
}
