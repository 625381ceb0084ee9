import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import twilio from 'twilio';
import { CheckInsApi, ContactsApi, MeshworkClient } from '../src/client';
import { ManualClock } from '../src/shared/clock';
import { FAKE_ACCOUNT_SID, FAKE_AUTH_TOKEN, FAKE_FROM, FakeTwilio, TEST_PUBLIC_URL, twilioConfig } from './support/fake-twilio';
import { startTestService, type TestService } from './support/service';

async function snapshot(): Promise<string> {
  const db = mongoose.connection.db!;
  const parts: string[] = [];
  for (const { name } of (await db.listCollections().toArray()).sort((a, b) => a.name.localeCompare(b.name))) {
    parts.push(`${name}:${JSON.stringify(await db.collection(name).find({}).sort({ _id: 1 }).toArray())}`);
  }
  return parts.join('\n');
}

describe('Twilio webhooks', function () {
  let service: TestService;
  let fake: FakeTwilio;
  let clock: ManualClock;
  let target: { baseUrl: string; publicUrl: string };
  let contacts: ContactsApi;
  const phone = '+447400123901';

  before(async function () {
    clock = new ManualClock(new Date());
    fake = await new FakeTwilio(clock).start();
    service = await startTestService({ ...twilioConfig, ESCALATION_REPEATS: 0 }, { clock, smsSender: fake.sender(TEST_PUBLIC_URL) });
    target = { baseUrl: service.baseUrl, publicUrl: TEST_PUBLIC_URL };
    const client = await MeshworkClient.connect({ baseUrl: service.baseUrl });
    await client.register('webhook-owner', 'webhook password');
    const account = await client.signIn('webhook-owner', 'webhook password');
    await new CheckInsApi(account.api).setProfile({ displayName: 'Ana', timeZone: 'Europe/Paris', language: 'fr', pin: '2468', duressPin: '1357' });
    contacts = new ContactsApi(account.api);
    await contacts.add({ name: 'Bea', phone, language: 'fr', tier: 1 });
    await service.services.scheduler.tick();
  });
  after(async () => {
    await service.close();
    await fake.stop();
  });

  const forgeries: Array<[string, () => Promise<{ status: number; text: string }>]> = [
    ['no signature', () => fake.inbound(target, phone, 'OUI', { signature: null })],
    ['an empty signature', () => fake.inbound(target, phone, 'OUI', { signature: '' })],
    ['a signature made with another auth token', () => fake.inbound(target, phone, 'OUI', { token: 'not-the-token' })],
    ['a signature over another URL', () => fake.postWebhook(target, '/v1/sms/inbound', { From: phone, Body: 'OUI' }, { signature: twilio.getExpectedTwilioSignature(FAKE_AUTH_TOKEN, `${TEST_PUBLIC_URL}/v1/sms/status`, { From: phone, Body: 'OUI' }) })],
    ['a body changed after signing', () => fake.postWebhook(target, '/v1/sms/inbound', { From: phone, Body: 'OUI' }, { signature: twilio.getExpectedTwilioSignature(FAKE_AUTH_TOKEN, `${TEST_PUBLIC_URL}/v1/sms/inbound`, { From: phone, Body: 'STOP' }) })],
    ['a forged delivery status', () => fake.postWebhook(target, '/v1/sms/status?outboxId=000000000000000000000000', { MessageSid: 'SM1', MessageStatus: 'failed' }, { token: 'guess' })],
  ];
  for (const [name, send] of forgeries) {
    it(`refuses a webhook with ${name} (403) and changes nothing`, async () => {
      const before = await snapshot();
      const res = await send();
      assert.equal(res.status, 403);
      assert.equal(JSON.parse(res.text).error.code, 'invalid_signature');
      assert.equal(await snapshot(), before);
    });
  }

  it('tells an unknown sender nothing', async () => {
    for (const body of ['YES', 'ACK', 'STOP', 'hello', '2468']) {
      const res = await fake.inbound(target, '+447400123999', body);
      assert.equal(res.status, 200);
      assert.doesNotMatch(res.text, /<Message>/);
    }
  });

  it('opts a contact in on a signed YES, in their language', async () => {
    const res = await fake.inbound(target, phone, 'oui');
    assert.match(res.text, /Meshwork: merci/);
    assert.equal((await contacts.list())[0]?.state, 'opted_in');
  });

  it('records delivery from a signed status callback, never moving backwards', async () => {
    const invitation = fake.to(phone)[0]!;
    assert.equal((await fake.status(target, invitation, 'delivered')).status, 204);
    assert.equal((await fake.status(target, invitation, 'failed', '30003')).status, 204);
    const sent = await mongoose.connection.db!.collection('sentmessages').findOne({ providerSid: invitation.sid });
    assert.equal(sent?.state, 'delivered');
  });
});

describe('Twilio webhooks replayed', function () {
  let service: TestService;
  let fake: FakeTwilio;
  let target: { baseUrl: string; publicUrl: string };
  let contacts: ContactsApi;
  const phone = '+447400123902';
  const inbound = (sid: string, body: string) => fake.postWebhook(target, '/v1/sms/inbound', { AccountSid: FAKE_ACCOUNT_SID, MessageSid: sid, From: phone, To: FAKE_FROM, Body: body, NumMedia: '0' });

  before(async function () {
    const clock = new ManualClock(new Date());
    fake = await new FakeTwilio(clock).start();
    service = await startTestService({ ...twilioConfig, ESCALATION_REPEATS: 0 }, { clock, smsSender: fake.sender(TEST_PUBLIC_URL) });
    target = { baseUrl: service.baseUrl, publicUrl: TEST_PUBLIC_URL };
    const client = await MeshworkClient.connect({ baseUrl: service.baseUrl });
    await client.register('replay-owner', 'replay password');
    const account = await client.signIn('replay-owner', 'replay password');
    await new CheckInsApi(account.api).setProfile({ displayName: 'Ana', timeZone: 'Europe/Paris', language: 'en', pin: '2468', duressPin: '1357' });
    contacts = new ContactsApi(account.api);
    await contacts.add({ name: 'Bea', phone, language: 'en', tier: 1 });
    await service.services.scheduler.tick();
  });
  after(async () => {
    await service.close();
    await fake.stop();
  });

  it('keeps a contact opted out when her old YES is replayed after her STOP', async () => {
    assert.match((await inbound('SMyes00000000000000000000000000001', 'YES')).text, /<Message>/);
    assert.equal((await contacts.list())[0]?.state, 'opted_in');
    await inbound('SMstop0000000000000000000000000001', 'STOP');
    assert.equal((await contacts.list())[0]?.state, 'opted_out');
    const before = await snapshot();
    const replay = await inbound('SMyes00000000000000000000000000001', 'YES');
    assert.equal(replay.status, 200);
    assert.doesNotMatch(replay.text, /<Message>/);
    assert.equal((await contacts.list())[0]?.state, 'opted_out');
    assert.equal(await snapshot(), before);
  });

  it('changes nothing when a status callback is replayed', async () => {
    const invitation = fake.to(phone)[0]!;
    assert.equal((await fake.status(target, invitation, 'undelivered', '30003')).status, 204);
    const before = await snapshot();
    assert.equal((await fake.status(target, invitation, 'undelivered', '30003')).status, 204);
    assert.equal(await snapshot(), before);
    const receipts = await mongoose.connection.db!.collection('webhookreceipts').countDocuments({ _id: `status:${invitation.sid}:undelivered` as never });
    assert.equal(receipts, 1);
  });

  it('does not act on a signed inbound SMS without a MessageSid', async () => {
    const before = await snapshot();
    const res = await fake.postWebhook(target, '/v1/sms/inbound', { From: phone, Body: 'YES' });
    assert.equal(res.status, 200);
    assert.doesNotMatch(res.text, /<Message>/);
    assert.equal(await snapshot(), before);
  });
});
