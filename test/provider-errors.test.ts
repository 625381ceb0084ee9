import assert from 'node:assert/strict';
import request from 'supertest';
import { CheckInsApi, ContactsApi, MeshworkClient } from '../src/client';
import { ManualClock } from '../src/shared/clock';
import { FakeTwilio, TEST_PUBLIC_URL, twilioConfig } from './support/fake-twilio';
import { startTestService, type TestService } from './support/service';
import { rawDump } from './support/raw-database';
import { signUp, teamOf } from './support/teams';

describe("A provider's error text never reaches the database or a reply", function () {
  let service: TestService;
  let fake: FakeTwilio;
  let clock: ManualClock;

  before(async function () {
    clock = new ManualClock(new Date());
    fake = await new FakeTwilio(clock).start();
    service = await startTestService({ ...twilioConfig, ESCALATION_REPEATS: 0 }, { clock, smsSender: fake.sender(TEST_PUBLIC_URL) });
  });
  after(async () => {
    await service.close();
    await fake.stop();
  });

  it('keeps only the code and a fixed description after Twilio answers 21211 quoting the number, in every collection and both timelines', async () => {
    const target = { baseUrl: service.baseUrl, publicUrl: TEST_PUBLIC_URL };
    const client = await MeshworkClient.connect({ baseUrl: service.baseUrl });
    const [coordinator, defender] = await Promise.all(['error-coord', 'error-defender'].map((h) => signUp(client, h)));
    const team = await teamOf('Red', coordinator!, [defender!]);
    const checkIns = new CheckInsApi(defender!.account.api);
    await checkIns.setProfile({ displayName: 'Ana', timeZone: 'UTC', language: 'en', pin: '2468', duressPin: '1357' });
    const contacts = new ContactsApi(defender!.account.api);
    const good = '+447541420001';
    const bad = '+447541420000';
    await contacts.add({ name: 'Bea', phone: good, language: 'en', tier: 1 });
    await contacts.add({ name: 'Caro', phone: bad, language: 'en', tier: 1 });
    await service.services.scheduler.tick();
    await fake.inbound(target, good, 'YES');
    await fake.inbound(target, bad, 'YES');
    const freeText = `The 'To' number ${bad} is not a valid phone number.`;

    await checkIns.schedule({ schedule: { kind: 'once', dueAt: new Date(clock.now().getTime() + 60_000).toISOString() }, graceMinutes: 0, alertMessage: 'Call Rosa.' });
    clock.advance(2 * 60_000);
    // The first alert SMS (Bea's or Caro's) is refused with Twilio's own wording, which quotes a number.
    fake.failNext(1, { status: 400, code: 21211, message: freeText });
    await service.services.scheduler.tick();
    // And a delivery report for the other one fails later with a status callback.
    const accepted = fake.messages.find((m) => /ALERT/.test(m.body))!;
    assert.equal((await fake.status(target, accepted, 'undelivered', '30003')).status, 204);

    const [alert] = await request(service.app).get('/v1/teams/' + team.teamId + '/alerts').set('authorization', `Bearer ${coordinator!.account.token}`).expect(200).then((r) => r.body.alerts as Array<{ id: string }>);
    const replies = [
      JSON.stringify((await checkIns.timeline(alert!.id)).timeline),
      (await request(service.app).get(`/v1/teams/${team.teamId}/alerts/${alert!.id}/timeline`).set('authorization', `Bearer ${coordinator!.account.token}`).expect(200)).text,
    ];
    const dump = await rawDump();
    for (const [where, text] of [['the database', dump], ['the defender timeline', replies[0]!], ['the coordinator timeline', replies[1]!]] as const) {
      assert.doesNotMatch(text, /not a valid phone number/, `${where} holds Twilio's text`);
      assert.doesNotMatch(text, /7541420000|7541420001/, `${where} holds a number`);
    }
    assert.match(dump, /provider error 21211: invalid number/);
    assert.match(replies[1]!, /provider error 21211: invalid number/);
    assert.match(replies[1]!, /provider error 30003: unreachable handset/);
  });
});
