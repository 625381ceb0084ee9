/**
 * A local stand-in for api.twilio.com, driven by the real twilio SDK: it records Messages.json
 * requests, answers list queries, fails on demand (500, 429, 400 with Twilio error codes), and
 * sends status callbacks and inbound SMS signed exactly as Twilio signs them.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import twilio from 'twilio';
import type { Clock } from '../../shared/clock';
import { TwilioSmsSender } from '../twilio-sender';

export const FAKE_ACCOUNT_SID = `AC${'0'.repeat(31)}1`;
export const FAKE_AUTH_TOKEN = 'fake-twilio-auth-token-for-tests';
export const FAKE_FROM = '+15005550006';

export interface RecordedMessage {
  sid: string;
  to: string;
  from?: string;
  messagingServiceSid?: string;
  body: string;
  statusCallback?: string;
  dateCreated: Date;
}

export interface Failure {
  status: number;
  code?: number;
  message?: string;
}

export class FakeTwilio {
  readonly messages: RecordedMessage[] = [];
  /** Every POST to Messages.json, including refused ones. */
  requests = 0;
  private failures: Failure[] = [];
  private delays: number[] = [];
  private server?: Server;
  baseUrl = '';
  private counter = 0;

  constructor(private readonly clock: Clock) {}

  /** `pathPrefix` serves the API under a path, as a provider behind a gateway would (/twilio/2010-04-01/...). */
  async start(options: { pathPrefix?: string } = {}): Promise<this> {
    const app = express.Router();
    app.use(express.urlencoded({ extended: false }));
    app.post('/2010-04-01/Accounts/:sid/Messages.json', async (req, res) => {
      this.requests += 1;
      const delay = this.delays.shift();
      if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
      const failure = this.failures.shift();
      if (failure) {
        res.status(failure.status).json({ code: failure.code ?? failure.status * 100, message: failure.message ?? 'fake failure', more_info: 'https://www.twilio.com/docs/errors', status: failure.status });
        return;
      }
      const body = req.body as Record<string, string>;
      this.counter += 1;
      const message: RecordedMessage = {
        sid: `SM${String(this.counter).padStart(32, '0')}`,
        to: body.To!,
        from: body.From,
        messagingServiceSid: body.MessagingServiceSid,
        body: body.Body ?? '',
        statusCallback: body.StatusCallback,
        dateCreated: this.clock.now(),
      };
      this.messages.push(message);
      res.status(201).json(resource(req.params.sid, message));
    });
    app.get('/2010-04-01/Accounts/:sid/Messages.json', (req, res) => {
      const to = typeof req.query.To === 'string' ? req.query.To : undefined;
      const found = this.messages.filter((m) => !to || m.to === to).reverse().slice(0, 50);
      res.json({ messages: found.map((m) => resource(req.params.sid, m)), page: 0, page_size: 50, first_page_uri: req.originalUrl, next_page_uri: null, previous_page_uri: null, uri: req.originalUrl, start: 0, end: found.length });
    });
    const root = express();
    root.use(options.pathPrefix ?? '/', app);
    this.server = await new Promise<Server>((resolve) => {
      const s = root.listen(0, '127.0.0.1', () => resolve(s));
    });
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${options.pathPrefix ?? ''}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The real TwilioSmsSender, its SDK pointed here through the same setting as TWILIO_API_BASE_URL. */
  sender(publicUrl: string): TwilioSmsSender {
    return new TwilioSmsSender({ accountSid: FAKE_ACCOUNT_SID, authToken: FAKE_AUTH_TOKEN, fromNumber: FAKE_FROM, publicUrl, apiBaseUrl: this.baseUrl, timeoutMs: 5_000 });
  }

  /** The next `count` message requests fail this way. */
  failNext(count: number, failure: Failure): void {
    for (let i = 0; i < count; i += 1) this.failures.push(failure);
  }

  /** The next `count` message requests are answered only after `ms` milliseconds (a slow provider). */
  delayNext(count: number, ms: number): void {
    for (let i = 0; i < count; i += 1) this.delays.push(ms);
  }

  clearFailures(): void {
    this.failures = [];
    this.delays = [];
  }

  to(phone: string): RecordedMessage[] {
    return this.messages.filter((m) => m.to === phone);
  }

  /**
   * POSTs a signed webhook to the service. Twilio signs PUBLIC_URL + path (what it was told to call);
   * the request itself goes to the service's local address.
   */
  async postWebhook(target: { baseUrl: string; publicUrl: string }, pathAndQuery: string, params: Record<string, string>, options: { signature?: string | null; token?: string } = {}) {
    const signature = options.signature === undefined ? twilio.getExpectedTwilioSignature(options.token ?? FAKE_AUTH_TOKEN, `${target.publicUrl}${pathAndQuery}`, params) : options.signature;
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (signature !== null) headers['x-twilio-signature'] = signature;
    const response = await fetch(`${target.baseUrl}${pathAndQuery}`, { method: 'POST', headers, body: new URLSearchParams(params).toString() });
    return { status: response.status, text: await response.text() };
  }

  /** An SMS from `from` to our number, as Twilio delivers it. */
  inbound(target: { baseUrl: string; publicUrl: string }, from: string, body: string, options: { signature?: string | null; token?: string } = {}) {
    this.counter += 1;
    return this.postWebhook(target, '/v1/sms/inbound', { AccountSid: FAKE_ACCOUNT_SID, MessageSid: `SMin${this.counter}`, From: from, To: FAKE_FROM, Body: body, NumMedia: '0' }, options);
  }

  /** The status callback Twilio would send for a message we recorded. */
  status(target: { baseUrl: string; publicUrl: string }, message: RecordedMessage, status: string, errorCode?: string, options: { signature?: string | null } = {}) {
    if (!message.statusCallback?.startsWith(target.publicUrl)) throw new Error('message has no status callback under PUBLIC_URL');
    const params: Record<string, string> = { AccountSid: FAKE_ACCOUNT_SID, MessageSid: message.sid, MessageStatus: status, To: message.to, From: message.from ?? FAKE_FROM };
    if (errorCode) params.ErrorCode = errorCode;
    return this.postWebhook(target, message.statusCallback.slice(target.publicUrl.length), params, options);
  }
}

function resource(accountSid: string | undefined, m: RecordedMessage) {
  return {
    sid: m.sid,
    account_sid: accountSid,
    to: m.to,
    from: m.from ?? null,
    messaging_service_sid: m.messagingServiceSid ?? null,
    body: m.body,
    status: 'queued',
    num_segments: '1',
    direction: 'outbound-api',
    date_created: m.dateCreated.toUTCString().replace('GMT', '+0000'),
    date_updated: m.dateCreated.toUTCString().replace('GMT', '+0000'),
    date_sent: null,
    uri: `/2010-04-01/Accounts/${accountSid}/Messages/${m.sid}.json`,
  };
}

export const TEST_PUBLIC_URL = 'https://meshwork.example.org';

/** Twilio settings for startTestService: the service verifies webhooks with the fake's auth token. */
export const twilioConfig = {
  PUBLIC_URL: TEST_PUBLIC_URL,
  TWILIO_ACCOUNT_SID: FAKE_ACCOUNT_SID,
  TWILIO_AUTH_TOKEN: FAKE_AUTH_TOKEN,
  TWILIO_FROM_NUMBER: FAKE_FROM,
  SMS_TRANSPORT: 'twilio',
} as const;
