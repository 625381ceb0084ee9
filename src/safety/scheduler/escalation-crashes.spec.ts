/**
 * Every crash window between two steps of the path from a deadline to the SMS, on the real embedded
 * database, the real twilio SDK against the fake Twilio, and a manual clock. Each case runs the real
 * steps up to the window, leaves the database as a crash there would (a lease held by a dead
 * instance, a state half-way), then lets the scheduler carry on: every contact gets exactly one SMS.
 * Each recovery path is needed by one case here: make it return at once and that case fails.
 */
import assert from 'node:assert/strict';
import mongoose, { Types } from 'mongoose';
import { CheckInsApi, ContactsApi, MeshworkClient } from '../../client';
import { afterRepliesSettled } from '../../checkins/check-in-outcomes';
import { CheckInModel } from '../../checkins/check-in.model';
import { ManualClock } from '../../shared/clock';
import { openJson } from '../../shared/field-encryption';
import { minuteSlot } from '../../shared/time-slots';
import { FakeTwilio, TEST_PUBLIC_URL, twilioConfig } from '../../../test/support/fake-twilio';
import { startTestService, type TestService } from '../../../test/support/service';
import { advanceEscalations } from '../../alerts/advance-escalations';
import { AlertModel } from '../../alerts/alert.model';
import { escalateMissedCheckIns } from '../../checkins/escalate-missed-check-ins';
import { OutboxModel, SentMessageModel } from '../outbox/outbox.model';

const MINUTE = 60_000;
const LEASE_SECONDS = 60;

describe('Escalation after a crash between two steps', function () {
  let clock: ManualClock;
  let fake: FakeTwilio;
  let service: TestService;
  let client: MeshworkClient;
  let counter = 0;

  before(async function () {
    clock = new ManualClock(new Date());
    fake = await new FakeTwilio(clock).start();
    service = await startTestService({ ...twilioConfig, ESCALATION_TIER_WAIT_SECONDS: 600, ESCALATION_REPEATS: 0, SCHEDULER_LEASE_SECONDS: LEASE_SECONDS }, { clock, smsSender: fake.sender(TEST_PUBLIC_URL), instanceId: 'survivor' });
    client = await MeshworkClient.connect({ baseUrl: service.baseUrl });
  });
  after(async () => {
    await service?.close();
    await fake?.stop();
  });

  const tick = () => service.services.scheduler.tick();
  const alertsTo = (phone: string) => fake.to(phone).filter((m) => m.body.startsWith('MESHWORK ALERT'));

  /** A defender with one opted-in contact and a one-off check-in whose deadline has just passed. */
  async function missedCheckIn() {
    counter += 1;
    const handle = `crash-${counter}`;
    await client.register(handle, `${handle} password`);
    const account = await client.signIn(handle, `${handle} password`);
    const checkIns = new CheckInsApi(account.api);
    await checkIns.setProfile({ displayName: handle, timeZone: 'UTC', language: 'en', pin: '2468', duressPin: '1357' });
    const phone = `+336123460${String(counter).padStart(2, '0')}`;
    await new ContactsApi(account.api).add({ name: 'Bea', phone, language: 'en', tier: 1 });
    await tick();
    await fake.inbound({ baseUrl: service.baseUrl, publicUrl: TEST_PUBLIC_URL }, phone, 'YES');
    const { checkIn } = await checkIns.schedule({ schedule: { kind: 'once', dueAt: new Date(clock.now().getTime() + MINUTE).toISOString() }, graceMinutes: 0, alertMessage: 'Call Rosa.' });
    clock.advance(MINUTE + 1_000);
    return { checkIns, phone, checkInId: new Types.ObjectId(checkIn.id) };
  }

  async function alertOf(checkInId: Types.ObjectId) {
    const alert = await AlertModel.findOne({ checkInId }).lean();
    assert.ok(alert, 'an alert was opened');
    return alert;
  }

  /** What a claim by an instance that then died leaves: its lease, and the document in the lease's slot. */
  function deadLease() {
    const leaseUntil = new Date(clock.now().getTime() + LEASE_SECONDS * 1000);
    return { leaseOwner: 'dead', leaseUntil, slot: minuteSlot(leaseUntil) };
  }

  it('sends once after a crash just after claiming the alert, once the dead lease runs out', async () => {
    const { phone, checkInId } = await missedCheckIn();
    await escalateMissedCheckIns(service.services.safety, { now: clock.now() });
    const alert = await alertOf(checkInId);
    const lease = deadLease();
    await AlertModel.updateOne({ _id: alert._id }, { $set: { leaseOwner: lease.leaseOwner, leaseUntil: lease.leaseUntil, actionSlot: lease.slot } });

    await tick();
    assert.equal(alertsTo(phone).length, 0, 'the dead instance’s lease still holds');
    clock.advance(LEASE_SECONDS * 1000 + 1_000);
    await tick();
    await tick();
    assert.equal(alertsTo(phone).length, 1, 'taken over after the lease ran out, sent once');
  });

  it('sends once after a crash just after opening the alert and marking the check-in missed', async () => {
    const { phone, checkInId } = await missedCheckIn();
    await escalateMissedCheckIns(service.services.safety, { now: clock.now() });
    const alert = await alertOf(checkInId);
    // Back to the moment between "check-in missed" and "alert escalating": only finishOpeningAlerts can see it.
    await AlertModel.updateOne({ _id: alert._id }, { $set: { state: 'opening' }, $unset: { nextActionAt: 1, actionSlot: 1 } });
    assert.equal((await CheckInModel.findById(checkInId).lean())?.state, 'missed');

    await tick();
    assert.equal(alertsTo(phone).length, 0, 'an alert still being opened by someone else is left alone');
    clock.advance(LEASE_SECONDS * 1000 + 1_000);
    await tick();
    await tick();
    assert.equal(alertsTo(phone).length, 1);
    assert.equal((await AlertModel.findById(alert._id).lean())?.state, 'escalating');
  });

  it('drops an alert left opening when the defender checked in before it was finished, and texts nobody', async () => {
    const { phone, checkInId } = await missedCheckIn();
    await escalateMissedCheckIns(service.services.safety, { now: clock.now() });
    const alert = await alertOf(checkInId);
    await AlertModel.updateOne({ _id: alert._id }, { $set: { state: 'opening' }, $unset: { nextActionAt: 1, actionSlot: 1 } });
    // As if the check-in had been marked missed by nobody: the defender's check-in moved it on first.
    const next = new Date(clock.now().getTime() + 60 * MINUTE);
    await CheckInModel.updateOne({ _id: checkInId }, { $set: { state: 'scheduled', dueAt: next, deadline: next }, $unset: { alertId: 1 } });

    clock.advance(LEASE_SECONDS * 1000 + 1_000);
    await tick();
    assert.equal(await AlertModel.countDocuments({ _id: alert._id }), 0, 'the half-opened alert is discarded');
    assert.equal(alertsTo(phone).length, 0);
  });

  it('sends once after a crash just after queueing tier 1, before releasing the alert', async () => {
    const { phone, checkInId } = await missedCheckIn();
    await escalateMissedCheckIns(service.services.safety, { now: clock.now() });
    await advanceEscalations(service.services.safety, { now: clock.now() });
    const alert = await alertOf(checkInId);
    assert.equal(await OutboxModel.countDocuments({ alertId: alert._id, state: 'pending' }), 1, 'tier 1 is queued');
    // The release never happened: the alert is still held by the dead instance, at tier "none yet".
    const lease = deadLease();
    await AlertModel.updateOne({ _id: alert._id }, { $set: { tierIndex: -1, nextActionAt: clock.now(), leaseOwner: lease.leaseOwner, leaseUntil: lease.leaseUntil, actionSlot: lease.slot } });

    await tick();
    assert.equal(alertsTo(phone).length, 1, 'what was queued goes out');
    clock.advance(LEASE_SECONDS * 1000 + 1_000);
    await tick();
    await tick();
    assert.equal(alertsTo(phone).length, 1, 'redoing the tier after the lease queues nothing new');
    assert.equal((await AlertModel.findById(alert._id).lean())?.tierIndex, 0);
  });

  it('does not text twice after a crash just after Twilio accepted the SMS, before it was recorded', async () => {
    const { phone, checkInId } = await missedCheckIn();
    await escalateMissedCheckIns(service.services.safety, { now: clock.now() });
    await advanceEscalations(service.services.safety, { now: clock.now() });
    const alert = await alertOf(checkInId);
    const message = await OutboxModel.findOne({ alertId: alert._id }).lean();
    assert.ok(message);
    // The dead instance claimed it and handed it to Twilio, which accepted it.
    await service.services.sms.send({ to: phone, body: openJson<string>(service.services.fieldCipher, message.encryptedBody), outboxId: String(message._id) });
    const lease = deadLease();
    await OutboxModel.updateOne({ _id: message._id }, { $set: { state: 'sending', leaseOwner: lease.leaseOwner, leaseUntil: lease.leaseUntil, attemptSlot: lease.slot, attemptStartedAt: clock.now() }, $inc: { attempts: 1 } });

    await tick();
    assert.equal(await OutboxModel.countDocuments({ _id: message._id }), 1, 'in flight under a live lease: left alone');
    clock.advance(LEASE_SECONDS * 1000 + 1_000);
    await tick();
    assert.equal(alertsTo(phone).length, 1, 'found at Twilio, not sent again');
    assert.equal(await OutboxModel.countDocuments({ _id: message._id }), 0);
    assert.equal((await SentMessageModel.findById(message._id).lean())?.state, 'sent');
  });

  it('records as sent, without asking Twilio, a message whose status callback arrived before the crash', async () => {
    const { phone, checkInId } = await missedCheckIn();
    await escalateMissedCheckIns(service.services.safety, { now: clock.now() });
    await advanceEscalations(service.services.safety, { now: clock.now() });
    const alert = await alertOf(checkInId);
    const message = await OutboxModel.findOne({ alertId: alert._id }).lean();
    assert.ok(message);
    const sent = await service.services.sms.send({ to: phone, body: openJson<string>(service.services.fieldCipher, message.encryptedBody), outboxId: String(message._id) });
    const lease = deadLease();
    // The status callback recorded the provider's id on the outbox entry; marking it sent never happened.
    await OutboxModel.updateOne({ _id: message._id }, { $set: { state: 'sending', providerSid: sent.providerSid, leaseOwner: lease.leaseOwner, leaseUntil: lease.leaseUntil, attemptSlot: lease.slot, attemptStartedAt: clock.now() }, $inc: { attempts: 1 } });

    clock.advance(LEASE_SECONDS * 1000 + 1_000);
    await tick();
    assert.equal(alertsTo(phone).length, 1);
    const recorded = await SentMessageModel.findById(message._id).lean();
    assert.equal(recorded?.state, 'sent');
    assert.equal(recorded?.providerSid, sent.providerSid);
  });

  it('moves on a check-in left missed behind its resolved alert by a crash during a late check-in', async () => {
    const { phone, checkInId, checkIns } = await missedCheckIn();
    await tick();
    assert.equal(alertsTo(phone).length, 1);
    const alert = await alertOf(checkInId);
    const whileMissed = await CheckInModel.collection.findOne({ _id: checkInId });
    assert.equal(whileMissed?.state, 'missed');
    await checkIns.checkIn(String(checkInId), '2468');
    await afterRepliesSettled(); // a late check-in ends its alert right after the reply
    assert.equal((await AlertModel.findById(alert._id).lean())?.state, 'resolved');
    // The crash: the alert was resolved, but the check-in never moved on (a one-off is deleted when it does).
    await CheckInModel.collection.deleteOne({ _id: checkInId });
    await CheckInModel.collection.insertOne(whileMissed!);

    await tick();
    assert.equal(await CheckInModel.countDocuments({ _id: checkInId, state: 'missed' }), 1, 'a late check-in still under way is not raced');
    clock.advance(MINUTE + 1_000);
    await tick();
    assert.equal(await CheckInModel.countDocuments({ _id: checkInId }), 0, 'the one-off check-in is finished');
    assert.equal(alertsTo(phone).length, 1, 'and nobody is alerted again');
  });

  it('alerts for a check-in written before deadline slots existed, once the watermark is first created', async () => {
    const { phone, checkInId } = await missedCheckIn();
    await CheckInModel.collection.updateOne({ _id: checkInId }, { $unset: { deadlineSlot: '' } });
    await mongoose.connection.db!.collection('schedulerwatermarks').deleteOne({ _id: 'checkins' } as never);
    await tick();
    assert.equal(alertsTo(phone).length, 1);
  });

});
