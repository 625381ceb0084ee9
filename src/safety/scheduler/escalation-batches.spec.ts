/**
 * The crash windows between two bulk steps of a batch (escalate-missed-check-ins.ts, advance-escalations.ts,
 * deliver-outbox.ts), on the real embedded database, the real twilio SDK against the fake Twilio, and a
 * manual clock. Each case leaves the database as a crash of a whole batch there would, then lets the
 * scheduler carry on: every missed check-in gets exactly one SMS. And a burst costs a few commands per
 * batch, not a chain per alert.
 */
import assert from 'node:assert/strict';
import { CheckInModel } from '../../checkins/check-in.model';
import { recordCommands } from '../../../test/support/commands';
import { advanceEscalations } from '../../alerts/advance-escalations';
import { bulkUpdate, insertManyKeepingDuplicates } from '../bulk';
import { SchedulerWatermarkModel } from '../slots';
import { AlertModel } from '../../alerts/alert.model';
import { escalateMissedCheckIns } from '../../checkins/escalate-missed-check-ins';
import { OutboxModel, SentMessageModel } from '../outbox/outbox.model';
import { escalationWorld } from '../../../test/support/escalation-world';

const BATCH = 8;

describe('A batch of missed check-ins after a crash between two bulk steps', function () {
  const world = escalationWorld({ tag: 'batch', phonePrefix: '+33612347', config: { SCHEDULER_BATCH_SIZE: BATCH } });
  const { clock, tick, alertsTo, missedCheckIns, deadClaim, afterTheLease, handedToTwilio } = world;

  /** One defender, one opted-in contact, `count` one-off check-ins (each with its own text) whose deadline has just passed. */
  const missedBurst = (count: number) => missedCheckIns(Array.from({ length: count }, (_, i) => `Check-in ${i}: call Rosa.`));

  /** Exactly one tier-1 SMS per check-in: `count` SMS, all different. */
  function assertOncePerCheckIn(phone: string, count: number) {
    const bodies = alertsTo(phone).map((m) => m.body);
    assert.equal(bodies.length, count, 'one tier-1 SMS per missed check-in');
    assert.equal(new Set(bodies).size, count, 'none went out twice');
  }

  it('finishes every check-in of a batch claimed by an instance that died, once its claim runs out', async () => {
    const { phone, ids } = await missedBurst(BATCH);
    const claim = deadClaim();
    // The dead instance's updateMany: each check-in carries its token and sits in the claim's expiry slot.
    await CheckInModel.updateMany({ _id: { $in: ids } }, { $set: { claimToken: claim.token, claimUntil: claim.until, deadlineSlot: claim.slot } });

    await tick();
    assert.equal(alertsTo(phone).length, 0, 'the dead instance’s claim still holds');
    assert.equal(await AlertModel.countDocuments({ checkInId: { $in: ids } }), 0);
    await afterTheLease();
    assertOncePerCheckIn(phone, BATCH);
    assert.equal(await CheckInModel.countDocuments({ _id: { $in: ids }, state: 'missed', claimToken: { $exists: false } }), BATCH, 'missed, and the claim released');
  });

  it('keeps the alerts a dead instance inserted (one of them missing) when it died before moving the batch on', async () => {
    const { phone, ids } = await missedBurst(BATCH);
    await escalateMissedCheckIns(world.service.services.safety, { now: clock.now() });
    // Back to the moment after the alerts' insertMany and before the bulk moves: alerts opening, check-ins
    // still scheduled under the dead claim; one alert was never inserted (a partial duplicate on replay).
    const claim = deadClaim();
    await AlertModel.updateMany({ checkInId: { $in: ids } }, { $set: { state: 'opening', openingSince: clock.now() }, $unset: { nextActionAt: 1, actionSlot: 1 } });
    await CheckInModel.updateMany({ _id: { $in: ids } }, { $set: { state: 'scheduled', claimToken: claim.token, claimUntil: claim.until, deadlineSlot: claim.slot }, $unset: { alertId: 1 } });
    await AlertModel.deleteOne({ checkInId: ids[0] });
    const kept = new Set((await AlertModel.find({ checkInId: { $in: ids } }, { _id: 1 }).lean()).map((a) => String(a._id)));
    assert.equal(kept.size, BATCH - 1);

    await tick();
    assert.equal(alertsTo(phone).length, 0, 'alerts still being opened by someone else are left alone');
    await afterTheLease();
    assertOncePerCheckIn(phone, BATCH);
    const alerts = await AlertModel.find({ checkInId: { $in: ids } }).lean();
    assert.equal(alerts.length, BATCH, 'one alert per check-in');
    assert.ok(alerts.every((a) => a.state === 'escalating'));
    assert.equal(alerts.filter((a) => kept.has(String(a._id))).length, BATCH - 1, 'the alerts already inserted were carried on, not doubled');
    const checkIns = await CheckInModel.find({ _id: { $in: ids } }).lean();
    assert.ok(checkIns.every((c) => c.state === 'missed' && alerts.some((a) => String(a._id) === String(c.alertId))), 'each check-in points at its alert');
  });

  it('sends each SMS of a batch once when the instance died after handing some to Twilio, before recording any', async () => {
    const { phone, ids } = await missedBurst(BATCH);
    await escalateMissedCheckIns(world.service.services.safety, { now: clock.now() });
    await advanceEscalations(world.service.services.safety, { now: clock.now() });
    const alertIds = (await AlertModel.find({ checkInId: { $in: ids } }, { _id: 1 }).lean()).map((a) => a._id);
    const messages = await OutboxModel.find({ alertId: { $in: alertIds } }).lean();
    assert.equal(messages.length, BATCH, 'the batch is queued');
    // The dead instance claimed the whole batch, and Twilio accepted half of it.
    const claim = deadClaim();
    await OutboxModel.updateMany({ alertId: { $in: alertIds } }, { $set: { state: 'sending', leaseOwner: claim.owner, leaseUntil: claim.until, attemptSlot: claim.slot, attemptStartedAt: clock.now(), claimToken: claim.token }, $inc: { attempts: 1 } });
    const handed = messages.slice(0, BATCH / 2);
    for (const message of handed) {
      await handedToTwilio(phone, message);
    }

    await tick();
    assert.equal(alertsTo(phone).length, handed.length, 'in flight under a live lease: left alone');
    await afterTheLease();
    assertOncePerCheckIn(phone, BATCH);
    assert.equal(await OutboxModel.countDocuments({ alertId: { $in: alertIds } }), 0);
    assert.equal(await SentMessageModel.countDocuments({ alertId: { $in: alertIds }, state: 'sent' }), BATCH);
  });

  it('does not text again a message a redone tier queued after it was sent and moved out of the outbox', async () => {
    const { phone, ids } = await missedBurst(2);
    await tick();
    assertOncePerCheckIn(phone, 2);
    // A crash before the release: the alerts are redone from "no tier yet" by whoever takes them.
    const claim = deadClaim();
    await AlertModel.updateMany({ checkInId: { $in: ids } }, { $set: { tierIndex: -1, nextActionAt: clock.now(), leaseOwner: claim.owner, leaseUntil: claim.until, actionSlot: claim.slot, claimToken: claim.token } });
    await afterTheLease();
    assertOncePerCheckIn(phone, 2);
    assert.equal(await OutboxModel.countDocuments({ key: { $regex: /^alert:/ }, alertId: { $in: (await AlertModel.find({ checkInId: { $in: ids } }).lean()).map((a) => a._id) } }), 0, 'the copies are dropped');
  });

  it('escalates a burst of missed check-ins with a few write commands per batch, not a chain per alert', async () => {
    const count = 5 * BATCH;
    const { phone } = await missedBurst(count);
    const { commands } = await recordCommands(tick, (c) => /^(insert|update|delete|bulkWrite|findOneAndUpdate|findOneAndDelete|replace)/.test(c.method));
    assertOncePerCheckIn(phone, count);
    const batches = count / BATCH;
    // Per batch: claim, alerts, check-ins, alerts escalating, events; claim, outbox, events, release; claim,
    // sent log, outbox out, events; and the watermarks. A chain per alert would be ten or more per check-in.
    assert.ok(commands.length <= 16 * (batches + 1), `${commands.length} write commands for ${count} alerts in ${batches} batches`);
  });

  it('reports which documents of an unordered insert were duplicates, and inserts the others', async () => {
    await insertManyKeepingDuplicates(SchedulerWatermarkModel, [{ _id: 'alerts-dup-a', slot: 1 }]);
    const duplicates = await insertManyKeepingDuplicates(SchedulerWatermarkModel, [
      { _id: 'alerts-dup-b', slot: 2 },
      { _id: 'alerts-dup-a', slot: 3 },
      { _id: 'alerts-dup-c', slot: 4 },
    ]);
    assert.deepEqual([...duplicates], [1]);
    const stored = await SchedulerWatermarkModel.find({ _id: { $in: ['alerts-dup-a', 'alerts-dup-b', 'alerts-dup-c'] } }).sort({ _id: 1 }).lean();
    assert.deepEqual(stored.map((w) => w.slot), [1, 2, 4], 'the duplicate changed nothing, the others were written');
  });

  it('applies a bulk of a hundred guarded updates on the embedded database, in chunks it answers', async function () {
    this.timeout(30_000); // one command of a hundred statements never comes back from FerretDB v1
    const ids = Array.from({ length: 100 }, (_, i) => `bulk-${i}`);
    await insertManyKeepingDuplicates(SchedulerWatermarkModel, ids.map((_id) => ({ _id, slot: 0 })));
    const modified = await bulkUpdate(SchedulerWatermarkModel, ids.map((_id) => ({ updateOne: { filter: { _id, slot: 0 }, update: { $set: { slot: 1 } } } })));
    assert.equal(modified, ids.length);
    assert.equal(await SchedulerWatermarkModel.countDocuments({ _id: { $in: ids }, slot: 1 }), ids.length);
  });
});
