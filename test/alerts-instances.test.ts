import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { openJson } from '../src/shared/field-encryption';
import { MeshworkClient } from '../src/client';
import { setUpDefender } from './support/defenders';
import { ManualClock } from '../src/shared/clock';
import { minuteSlot } from '../src/shared/time-slots';
import { FakeTwilio, TEST_PUBLIC_URL, twilioConfig } from './support/fake-twilio';
import { startTestService, type TestService } from './support/service';

const MINUTE = 60_000;
const TIER_WAIT_SECONDS = 600;
const LEASE_SECONDS = 60;

describe('Several scheduler instances on one database', function () {
  let clock: ManualClock;
  let fake: FakeTwilio;
  let a: TestService;
  let b: TestService;
  let target: { baseUrl: string; publicUrl: string };
  let client: MeshworkClient;
  let counter = 200;
  // Every instance must share SERVER_SECRET: it keys the phone and text encryption.
  const config = { ...twilioConfig, SERVER_SECRET: randomBytes(32).toString('base64'), ESCALATION_TIER_WAIT_SECONDS: TIER_WAIT_SECONDS, ESCALATION_REPEATS: 0, SCHEDULER_LEASE_SECONDS: LEASE_SECONDS };

  before(async function () {
    clock = new ManualClock(new Date());
    fake = await new FakeTwilio(clock).start();
    a = await startTestService(config, { clock, smsSender: fake.sender(TEST_PUBLIC_URL), instanceId: 'instance-a' });
    b = await startTestService(config, { clock, smsSender: fake.sender(TEST_PUBLIC_URL), instanceId: 'instance-b', freshDatabase: false });
    target = { baseUrl: a.baseUrl, publicUrl: TEST_PUBLIC_URL };
    client = await MeshworkClient.connect({ baseUrl: a.baseUrl });
  });
  after(async () => {
    await a.close();
    await b.close();
    await fake.stop();
  });

  const newPhone = () => `+33612345${String((counter += 1)).padStart(3, '0')}`;

  async function defenderWithNetwork(handle: string, tiers: number[]) {
    const { checkIns, contacts } = await setUpDefender(client, handle, { timeZone: 'Africa/Harare' });
    const phones: Array<{ phone: string; tier: number }> = [];
    for (const tier of tiers) {
      const phone = newPhone();
      await contacts.add({ name: `Contact ${tier}`, phone, language: 'en', tier });
      phones.push({ phone, tier });
    }
    return { checkIns, phones };
  }

  const alertsTo = (phone: string) => fake.to(phone).filter((m) => m.body.startsWith('MESHWORK ALERT'));
  const race = () => Promise.all([a.services.scheduler.tick(), b.services.scheduler.tick(), a.services.scheduler.tick(), b.services.scheduler.tick()]);

  it('sends exactly one SMS per contact per tier when two instances race', async () => {
    const defenders = [];
    for (let i = 0; i < 4; i += 1) defenders.push(await defenderWithNetwork(`racer-${i}`, [1, 1, 2]));
    await race();
    for (const { phones } of defenders) for (const { phone } of phones) assert.equal(fake.to(phone).length, 1, 'one invitation each');
    for (const { phones } of defenders) for (const { phone } of phones) assert.equal((await fake.inbound(target, phone, 'YES')).status, 200);
    const dueAt = new Date(clock.now().getTime() + 10 * MINUTE).toISOString();
    for (const { checkIns } of defenders) await checkIns.schedule({ schedule: { kind: 'once', dueAt }, graceMinutes: 5, alertMessage: 'Call Rosa.' });
    clock.advance(15 * MINUTE + 5_000);
    await race();
    await race();
    for (const { phones } of defenders) {
      for (const { phone, tier } of phones) assert.equal(alertsTo(phone).length, tier === 1 ? 1 : 0);
    }
    clock.advance(TIER_WAIT_SECONDS * 1000);
    await race();
    for (const { phones } of defenders) for (const { phone } of phones) assert.equal(alertsTo(phone).length, 1);
    assert.equal(await mongoose.connection.db!.collection('alerts').countDocuments(), 4, 'one alert per missed check-in');
  });

  it('carries on after a restart in the middle of an escalation', async () => {
    const { checkIns, phones } = await defenderWithNetwork('restarted', [1, 2]);
    await a.services.scheduler.tick();
    for (const { phone } of phones) await fake.inbound(target, phone, 'YES');
    await checkIns.schedule({ schedule: { kind: 'once', dueAt: new Date(clock.now().getTime() + MINUTE).toISOString() }, graceMinutes: 1, alertMessage: 'Call Rosa.' });
    clock.advance(2 * MINUTE + 5_000);
    await a.services.scheduler.tick();
    assert.equal(alertsTo(phones[0]!.phone).length, 1);
    await a.close();
    // A new process on the same database: it knows nothing but what the database holds.
    const c = await startTestService(config, { clock, smsSender: fake.sender(TEST_PUBLIC_URL), instanceId: 'instance-c', freshDatabase: false });
    try {
      await c.services.recoverInterruptedWork();
      clock.advance(TIER_WAIT_SECONDS * 1000);
      await c.services.scheduler.tick();
      assert.equal(alertsTo(phones[1]!.phone).length, 1, 'tier 2 alerted by the new instance');
      assert.equal(alertsTo(phones[0]!.phone).length, 1, 'tier 1 not alerted twice');
    } finally {
      a = c;
      target = { baseUrl: c.baseUrl, publicUrl: TEST_PUBLIC_URL };
      client = await MeshworkClient.connect({ baseUrl: c.baseUrl });
    }
  });

  it('takes over an alert whose owner died holding its lease, once the lease runs out', async () => {
    const { checkIns, phones } = await defenderWithNetwork('lease-holder-died', [1]);
    await b.services.scheduler.tick();
    await fake.inbound(target, phones[0]!.phone, 'YES');
    await checkIns.schedule({ schedule: { kind: 'once', dueAt: new Date(clock.now().getTime() + MINUTE).toISOString() }, graceMinutes: 0, alertMessage: 'Call Rosa.' });
    clock.advance(MINUTE + 1_000);
    // Instance "dead" opened the alert and claimed it, then crashed before sending anything.
    const alerts = mongoose.connection.db!.collection('alerts');
    await b.services.scheduler.tick();
    const opened = await alerts.findOne({ state: 'escalating', tierIndex: 0 }, { sort: { _id: -1 } });
    assert.ok(opened);
    await mongoose.connection.db!.collection('outbox').deleteMany({ alertId: opened._id });
    await mongoose.connection.db!.collection('sentmessages').deleteMany({ alertId: opened._id });
    fake.messages.splice(0, fake.messages.length, ...fake.messages.filter((m) => !m.body.startsWith('MESHWORK ALERT') || m.to !== phones[0]!.phone));
    // A claim, as advanceEscalations writes it: the lease, and the alert moved to the lease's minute slot.
    const deadLease = new Date(clock.now().getTime() + LEASE_SECONDS * 1000);
    await alerts.updateOne({ _id: opened._id }, { $set: { tierIndex: -1, nextActionAt: clock.now(), leaseOwner: 'dead', leaseUntil: deadLease, actionSlot: minuteSlot(deadLease) } });
    await b.services.scheduler.tick();
    assert.equal(alertsTo(phones[0]!.phone).length, 0, 'the lease still holds');
    clock.advance(LEASE_SECONDS * 1000 + 1_000);
    await b.services.scheduler.tick();
    assert.equal(alertsTo(phones[0]!.phone).length, 1, 'taken over after the lease expired');
  });

  it('does not resend a message the provider accepted just before its sender crashed', async () => {
    const { checkIns, phones } = await defenderWithNetwork('crash-after-send', [1]);
    await b.services.scheduler.tick();
    await fake.inbound(target, phones[0]!.phone, 'YES');
    await checkIns.schedule({ schedule: { kind: 'once', dueAt: new Date(clock.now().getTime() + MINUTE).toISOString() }, graceMinutes: 0, alertMessage: 'Call Rosa.' });
    clock.advance(MINUTE + 1_000);
    // Fail the send so the message stays in the outbox, then play the crash: Twilio accepted it, we never recorded it.
    fake.failNext(1, { status: 500 });
    await b.services.scheduler.tick();
    const outbox = mongoose.connection.db!.collection('outbox');
    const pending = await outbox.findOne({ kind: 'alert', state: 'pending' });
    assert.ok(pending);
    const sms = { to: phones[0]!.phone, body: openJson<string>(b.services.fieldCipher, pending.encryptedBody as string), outboxId: String(pending._id) };
    await b.services.sms.send(sms);
    const deadLease = new Date(clock.now().getTime() + LEASE_SECONDS * 1000);
    await outbox.updateOne({ _id: pending._id }, { $set: { state: 'sending', leaseOwner: 'dead', attemptStartedAt: clock.now(), leaseUntil: deadLease, attemptSlot: minuteSlot(deadLease) } });
    clock.advance(LEASE_SECONDS * 1000 + 1_000);
    await b.services.scheduler.tick();
    assert.equal(alertsTo(phones[0]!.phone).length, 1, 'found at Twilio, not sent twice');
    assert.equal(await outbox.countDocuments({ _id: pending._id }), 0);
    assert.equal((await mongoose.connection.db!.collection('sentmessages').findOne({ _id: pending._id }))?.state, 'sent');
  });
});
