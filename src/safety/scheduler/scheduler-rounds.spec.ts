/**
 * A tick's rounds overlap (scheduler.ts): one batch's SMS are being sent while the next batch is claimed, opened
 * and planned. On the real embedded database, the real twilio SDK against the fake Twilio (answering slowly
 * here), and a manual clock, one check-in per batch: each SMS still goes out once, the tick reports every one,
 * and a tick never returns, not even with an error, while a round of it is still sending (the next pass would
 * send beside it).
 */
import assert from 'node:assert/strict';
import { TrustedContactModel } from '../../contacts/contact.model';
import { CheckInModel } from '../../checkins/check-in.model';
import { escalationWorld, MINUTE } from '../../../test/support/escalation-world';

describe('A tick whose rounds overlap, one batch sending while the next is opened', function () {
  const world = escalationWorld({ tag: 'rounds', phonePrefix: '+33612349', config: { SCHEDULER_BATCH_SIZE: 1 } });
  const { clock, tick, alertsTo, missedCheckIns, fake } = world;

  /** A defender with one opted-in contact, whose one-off check-in is due `minutesAhead` from now (set up first, so no set-up tick escalates another's). */
  async function defenderDueIn(name: string, minutesAhead: number) {
    const { checkIns, contacts } = await world.defender(name);
    const { phone } = await world.optedInContact({ contacts }, 'Bea', 1);
    const dueAt = new Date(clock.now().getTime() + minutesAhead * MINUTE).toISOString();
    const { checkIn } = await checkIns.schedule({ schedule: { kind: 'once', dueAt }, graceMinutes: 0, alertMessage: `Call Rosa for ${name}.` });
    return { phone, checkInId: checkIn.id };
  }

  it('sends three batches of one in a single tick, each SMS once, and reports all three', async () => {
    const { phone } = await missedCheckIns(['First: call Rosa.', 'Second: call Rosa.', 'Third: call Rosa.']);
    fake.delayNext(3, 150);

    const report = await tick();

    assert.equal(report.alertsOpened, 3);
    assert.equal(report.delivery.sent, 3, 'the last round’s sending is counted, so it had finished');
    const bodies = alertsTo(phone).map((m) => m.body);
    assert.equal(bodies.length, 3, 'one tier-1 SMS per check-in');
    assert.equal(new Set(bodies).size, 3, 'none went out twice');
    assert.equal((await tick()).delivery.sent, 0, 'nothing left over for the next tick');
  });

  it('returns from a tick whose second round fails only once the first round’s SMS was handed to Twilio', async () => {
    // Deadlines in consecutive minutes: the first round takes the first, the second round the second.
    const first = await defenderDueIn('rounds-first', 1);
    const second = await defenderDueIn('rounds-second', 2);
    clock.advance(2 * MINUTE + 1_000);
    // The second defender's contact cannot be read: planning her tier throws while the first round's SMS is
    // still waiting for the slow provider.
    const { ownerId } = (await CheckInModel.findById(second.checkInId).lean())!;
    await TrustedContactModel.updateMany({ ownerId }, { $set: { encryptedPhone: 'not-a-sealed-field' } });
    fake.delayNext(1, 400);

    await assert.rejects(tick());

    assert.equal(alertsTo(first.phone).length, 1, 'the tick gave up before its first round had finished sending');
    assert.equal(alertsTo(second.phone).length, 0);
  });
});
