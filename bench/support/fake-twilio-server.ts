/**
 * The tests' fake Twilio (src/sms/testing/fake-twilio.ts) in a process of its own, on the real clock, so
 * that its capacity can be measured alone and it does not share a CPU queue with the load generator.
 * The parent asks for its log over IPC: every accepted message with the moment it arrived.
 */
import { systemClock } from '../../src/shared/clock';
import { FakeTwilio } from '../../src/sms/testing/fake-twilio';

export interface LoggedSms {
  sid: string;
  to: string;
  body: string;
  /** epoch ms when the fake accepted it */
  at: number;
}

export type FakeTwilioRequest = { type: 'dump' } | { type: 'reset' };
export type FakeTwilioReply = { type: 'ready'; url: string } | { type: 'dump'; messages: LoggedSms[]; requests: number } | { type: 'reset' };

async function main(): Promise<void> {
  const fake = await new FakeTwilio(systemClock).start();
  const reply = (message: FakeTwilioReply) => process.send?.(message);
  process.on('message', (request: FakeTwilioRequest) => {
    if (request.type === 'dump') {
      reply({ type: 'dump', requests: fake.requests, messages: fake.messages.map((m) => ({ sid: m.sid, to: m.to, body: m.body, at: m.dateCreated.getTime() })) });
    } else if (request.type === 'reset') {
      fake.messages.length = 0;
      fake.requests = 0;
      reply({ type: 'reset' });
    }
  });
  process.on('disconnect', () => void fake.stop().then(() => process.exit(0)));
  process.on('SIGTERM', () => void fake.stop().then(() => process.exit(0)));
  console.error(`fake twilio listening on ${fake.baseUrl}`);
  reply({ type: 'ready', url: fake.baseUrl });
}

void main();
