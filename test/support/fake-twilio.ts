/** The fake Twilio lives in src/sms/testing/fake-twilio.ts, so the benchmarks use it without reaching into test/. */
export * from '../../src/sms/testing/fake-twilio';
