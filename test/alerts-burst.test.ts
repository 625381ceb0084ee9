import assert from 'node:assert/strict';
import { CheckInsApi, ContactsApi, MeshworkClient } from '../src/client';
import { ManualClock } from '../src/shared/clock';
import { FakeTwilio, TEST_PUBLIC_URL, twilioConfig } from './support/fake-twilio';
import { startTestService, type TestService } from './support/service';

const MINUTE = 60_000;
const BATCH = 5;

describe('A burst of missed check-ins larger than one batch', function () {
  let clock: ManualClock;
  let fake: FakeTwilio;
  let service: TestService;

  before(async function () {
    clock = new ManualClock(new Date());
    fake = await new FakeTwilio(clock).start();
    service = await startTestService({ ...twilioConfig, SCHEDULER_BATCH_SIZE: BATCH, SCHEDULER_CONCURRENCY: 3 }, { clock, smsSender: fake.sender(TEST_PUBLIC_URL), instanceId: 'burst' });
  });
  after(async () => {
    await service?.close();
    await fake?.stop();
  });

  it('alerts every missed check-in in one tick, not one batch per tick', async () => {
    const client = await MeshworkClient.connect({ baseUrl: service.baseUrl });
    await client.register('burst-defender', 'burst password');
    const account = await client.signIn('burst-defender', 'burst password');
    const checkIns = new CheckInsApi(account.api);
    await checkIns.setProfile({ displayName: 'Iris', timeZone: 'UTC', language: 'en', pin: '2468', duressPin: '1357' });
    const phone = '+33612345999';
    await new ContactsApi(account.api).add({ name: 'Bea', phone, language: 'en', tier: 1 });
    await service.services.scheduler.tick();
    await fake.inbound({ baseUrl: service.baseUrl, publicUrl: TEST_PUBLIC_URL }, phone, 'YES');

    const missedCount = 3 * BATCH + 2;
    const dueAt = new Date(clock.now().getTime() + 30 * MINUTE).toISOString();
    for (let i = 0; i < missedCount; i += 1) {
      await checkIns.schedule({ schedule: { kind: 'once', dueAt }, graceMinutes: 5, alertMessage: `Check-in ${i}: call Rosa.` });
    }
    clock.advance(36 * MINUTE);
    const report = await service.services.scheduler.tick();
    assert.equal(report.alertsOpened, missedCount);
    const alerts = fake.to(phone).filter((m) => m.body.startsWith('MESHWORK ALERT'));
    assert.equal(alerts.length, missedCount, 'one tier-1 SMS per missed check-in, all in the first tick');
    assert.equal(new Set(alerts.map((m) => m.body)).size, missedCount, 'no SMS went out twice');
  });
});
