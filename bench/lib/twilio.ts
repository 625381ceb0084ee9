import { TwilioSmsSender } from '../../src/sms/twilio-sender';
import { BENCH_PUBLIC_URL, FAKE_TWILIO } from './processes';

/** The real TwilioSmsSender (and SDK) pointed at the fake Twilio process, as TWILIO_API_BASE_URL does. */
export function fakeTwilioSender(fakeTwilioUrl: string): TwilioSmsSender {
  return new TwilioSmsSender({
    accountSid: FAKE_TWILIO.accountSid,
    authToken: FAKE_TWILIO.authToken,
    fromNumber: FAKE_TWILIO.from,
    publicUrl: BENCH_PUBLIC_URL,
    apiBaseUrl: fakeTwilioUrl,
    timeoutMs: 10_000,
  });
}
