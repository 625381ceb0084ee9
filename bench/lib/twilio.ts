import twilio from 'twilio';
import { TwilioSmsSender } from '../../src/sms/twilio-sender';
import { BENCH_PUBLIC_URL, FAKE_TWILIO } from './processes';

/** The SDK's own HTTP client, with api.twilio.com replaced by the fake's address (as in test/support/fake-twilio.ts). */
class LocalRequestClient extends twilio.RequestClient {
  constructor(private readonly baseUrl: string) {
    super({ timeout: 10_000 });
  }
  override request<TData>(opts: Parameters<twilio.RequestClient['request']>[0] & { data?: TData }) {
    return super.request<TData>({ ...opts, uri: opts.uri.replace(/^https:\/\/[^/]+/, this.baseUrl) });
  }
}

/** The real TwilioSmsSender (and SDK) pointed at the fake Twilio process. */
export function fakeTwilioSender(fakeTwilioUrl: string): TwilioSmsSender {
  return new TwilioSmsSender({
    accountSid: FAKE_TWILIO.accountSid,
    authToken: FAKE_TWILIO.authToken,
    fromNumber: FAKE_TWILIO.from,
    publicUrl: BENCH_PUBLIC_URL,
    httpClient: new LocalRequestClient(fakeTwilioUrl),
    timeoutMs: 10_000,
  });
}
