/**
 * src/server.ts, unchanged, with the twilio SDK's requests sent to the local fake Twilio instead of
 * api.twilio.com (the same rewrite src/sms/testing/fake-twilio.ts does for the tests). The real SDK,
 * the real TwilioSmsSender and the real outbox run; only the host name changes.
 */
import twilio from 'twilio';

const fakeTwilioUrl = process.env.BENCH_FAKE_TWILIO_URL;
if (!fakeTwilioUrl) throw new Error('BENCH_FAKE_TWILIO_URL is required (the bench starts a fake Twilio for its servers)');

type RequestOptions = Parameters<twilio.RequestClient['request']>[0];
const prototype = twilio.RequestClient.prototype;
const send = prototype.request;
prototype.request = function request<TData>(this: twilio.RequestClient, opts: RequestOptions & { data?: TData }) {
  return send.call(this, { ...opts, uri: opts.uri.replace(/^https:\/\/[^/]+/, fakeTwilioUrl) }) as ReturnType<typeof send<TData>>;
};

void import('../../src/server');
