/**
 * Every crash window between two steps of the path from a deadline to the SMS, on the real embedded
 * database, the real twilio SDK against the fake Twilio, and a manual clock. Each case runs the real
 * steps up to the window, leaves the database as a crash there would (a lease held by a dead
 * instance, a state half-way), then lets the scheduler carry on: every contact gets exactly one SMS.
 * Each recovery path is needed by one case here: make it return at once and that case fails.
 */
import assert from 'node:assert/strict';
import mongoose, { Types } from 'mongoose';
import { afterRepliesSettled } from '../../checkins/check-in-outcomes';
import { CheckInModel } from '../../checkins/check-in.model';
import { advanceEscalations } from '../../alerts/advance-escalations';
import { AlertModel } from '../../alerts/alert.model';
import { escalateMissedCheckIns } from '../../checkins/escalate-missed-check-ins';
import { OutboxModel, SentMessageModel } from '../outbox/outbox.model';
import { LEASE_SECONDS, MINUTE, escalationWorld } from '../../../test/support/escalation-world';

describe('Escalation after a crash between two steps', function () {
  const world = escalationWorld({ tag: 'crash', phonePrefix: '+33612346' });
  const { clock, tick, alertsTo, missedCheckIn, deadClaim, afterTheLease, handedToTwilio } = world;

  const escalate = () => escalateMissedCheckIns(world.service.services.safety, { now: clock.now() });
  const advance = () => advanceEscalations(world.service.services.safety, { now: clock.now() });

  async function alertOf(checkInId: Types.ObjectId) {
    const alert = await AlertModel.findOne({ checkInId }).lean();
    assert.ok(alert, 'an alert was opened');
    return alert;
  }

  /** The real steps up to tier 1 queued in the outbox: the alert and its one message. */
  async function queuedTierOne(checkInId: Types.ObjectId) {
    await escalate();
    await advance();
    const alert = await alertOf(checkInId);
    const message = await OutboxModel.findOne({ alertId: alert._id }).lean();
    assert.ok(message);
    return { alert, message };
  }

  it('sends once after a crash just after claiming the alert, once the dead lease runs out', async () => {
    const { phone, checkInId } = await missedCheckIn();
    await escalate();
    const alert = await alertOf(checkInId);
    const lease = deadClaim();
    await AlertModel.updateOne({ _id: alert._id }, { $set: { leaseOwner: lease.owner, leaseUntil: lease.until, actionSlot: lease.slot } });

    await tick();
    assert.equal(alertsTo(phone).length, 0, 'the dead instance’s lease still holds');
    await afterTheLease();
    assert.equal(alertsTo(phone).length, 1, 'taken over after the lease ran out, sent once');
  });

  it('sends once after a crash just after opening the alert and marking the check-in missed', async () => {
    const { phone, checkInId } = await missedCheckIn();
    await escalate();
    const alert = await alertOf(checkInId);
    // Back to the moment between "check-in missed" and "alert escalating": only finishOpeningAlerts can see it.
    await AlertModel.updateOne({ _id: alert._id }, { $set: { state: 'opening' }, $unset: { nextActionAt: 1, actionSlot: 1 } });
    assert.equal((await CheckInModel.findById(checkInId).lean())?.state, 'missed');

    await tick();
    assert.equal(alertsTo(phone).length, 0, 'an alert still being opened by someone else is left alone');
    await afterTheLease();
    assert.equal(alertsTo(phone).length, 1);
    assert.equal((await AlertModel.findById(alert._id).lean())?.state, 'escalating');
  });

  it('drops an alert left opening when the defender checked in before it was finished, and texts nobody', async () => {
    const { phone, checkInId } = await missedCheckIn();
    await escalate();
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
    await escalate();
    await advance();
    const alert = await alertOf(checkInId);
    assert.equal(await OutboxModel.countDocuments({ alertId: alert._id, state: 'pending' }), 1, 'tier 1 is queued');
    // The release never happened: the alert is still held by the dead instance, at tier "none yet".
    const lease = deadClaim();
    await AlertModel.updateOne({ _id: alert._id }, { $set: { tierIndex: -1, nextActionAt: clock.now(), leaseOwner: lease.owner, leaseUntil: lease.until, actionSlot: lease.slot } });

    await tick();
    assert.equal(alertsTo(phone).length, 1, 'what was queued goes out');
    await afterTheLease();
    assert.equal(alertsTo(phone).length, 1, 'redoing the tier after the lease queues nothing new');
    assert.equal((await AlertModel.findById(alert._id).lean())?.tierIndex, 0);
  });

  it('does not text twice after a crash just after Twilio accepted the SMS, before it was recorded', async () => {
    const { phone, checkInId } = await missedCheckIn();
    const { message } = await queuedTierOne(checkInId);
    // The dead instance claimed it and handed it to Twilio, which accepted it.
    await handedToTwilio(phone, message);
    const lease = deadClaim();
    await OutboxModel.updateOne({ _id: message._id }, { $set: { state: 'sending', leaseOwner: lease.owner, leaseUntil: lease.until, attemptSlot: lease.slot, attemptStartedAt: clock.now() }, $inc: { attempts: 1 } });

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
    const { message } = await queuedTierOne(checkInId);
    const sent = await handedToTwilio(phone, message);
    const lease = deadClaim();
    // The status callback recorded the provider's id on the outbox entry; marking it sent never happened.
    await OutboxModel.updateOne({ _id: message._id }, { $set: { state: 'sending', providerSid: sent.providerSid, leaseOwner: lease.owner, leaseUntil: lease.until, attemptSlot: lease.slot, attemptStartedAt: clock.now() }, $inc: { attempts: 1 } });

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
