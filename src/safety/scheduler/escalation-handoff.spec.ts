/**
 * The tick's hand-offs (scheduler.ts): the alerts escalateMissedCheckIns opens are claimed in the same
 * update and handed to advanceEscalations, whose messages are inserted already claimed for sending and
 * handed to deliverOutbox. Each case runs the real steps up to a crash between two of them, on the real
 * embedded database, the real twilio SDK against the fake Twilio and a manual clock, then lets the
 * scheduler carry on: every contact gets exactly one SMS. Each recovery is needed by one case here.
 */
import assert from 'node:assert/strict';
import { TeamNetworkApi } from '../../client';
import { minuteSlot } from '../../shared/time-slots';
import { recordCommands } from '../../../test/support/commands';
import { withCheckInProfile } from '../../../test/support/defenders';
import { signUp, teamOf, type Person } from '../../../test/support/teams';
import { advanceEscalations } from '../../alerts/advance-escalations';
import { AlertModel } from '../../alerts/alert.model';
import { escalateMissedCheckIns } from '../../checkins/escalate-missed-check-ins';
import { OutboxModel, SentMessageModel } from '../outbox/outbox.model';
import { MINUTE, escalationWorld } from '../../../test/support/escalation-world';

describe('The hand-off from a missed check-in to its SMS within one tick, after a crash', function () {
  const world = escalationWorld({ tag: 'handoff', phonePrefix: '+33612348' });
  const { clock, fake, target, tick, alertsTo, missedCheckIn, afterTheLease, handedToTwilio, optedInContact } = world;
  const now = () => clock.now();

  it('opens the alert already claimed for its first tier, and after a crash before the tier was planned sends it once the lease runs out', async () => {
    const { phone, checkInId } = await missedCheckIn();
    const opened = await escalateMissedCheckIns(world.service.services.safety, { now: now(), handOff: true });
    // The crash: the alerts handed over are never planned.
    assert.equal(opened.handedOver.length, 1);
    const alert = await AlertModel.findOne({ checkInId }).lean();
    assert.ok(alert);
    assert.equal(alert.state, 'escalating');
    assert.equal(alert.claimToken, opened.handedOver[0]!.claimToken, 'claimed by the update that made it escalating');
    assert.equal(alert.leaseOwner, 'survivor');
    assert.equal(alert.actionSlot, minuteSlot(alert.leaseUntil!), 'in its lease expiry’s slot, where it is found again');
    assert.equal(await OutboxModel.countDocuments({ alertId: alert._id }), 0);

    await tick();
    assert.equal(alertsTo(phone).length, 0, 'the lease still holds');
    await afterTheLease();
    assert.equal(alertsTo(phone).length, 1, 'claimed again after the lease, sent once');
    assert.equal((await AlertModel.findById(alert._id).lean())?.tierIndex, 0);
  });

  it('queues the first tier already claimed for sending, and after a crash before sending sends it once the lease runs out', async () => {
    const { phone, checkInId } = await missedCheckIn();
    const opened = await escalateMissedCheckIns(world.service.services.safety, { now: now(), handOff: true });
    const advanced = await advanceEscalations(world.service.services.safety, { now: now(), handedOver: opened.handedOver, handOff: true });
    // The crash: the messages handed over are never sent.
    assert.equal(advanced.handedOver?.messages.length, 1);
    const alert = await AlertModel.findOne({ checkInId }).lean();
    assert.equal(alert?.tierIndex, 0, 'the tier was planned and the alert released');
    const message = await OutboxModel.findOne({ alertId: alert!._id }).lean();
    assert.ok(message);
    assert.equal(message.state, 'sending');
    assert.equal(message.claimToken, advanced.handedOver!.token);
    assert.equal(message.attemptSlot, minuteSlot(message.leaseUntil!), 'in its lease expiry’s slot, where it is found again');

    await tick();
    assert.equal(alertsTo(phone).length, 0, 'in flight under a live lease: left alone');
    await afterTheLease();
    assert.equal(alertsTo(phone).length, 1, 'taken over after the lease, sent once');
    assert.equal(await OutboxModel.countDocuments({ _id: message._id }), 0);
    assert.equal((await SentMessageModel.findById(message._id).lean())?.state, 'sent');
  });

  it('does not text twice when the crash came after Twilio accepted a handed-over message, before it was recorded', async () => {
    const { phone, checkInId } = await missedCheckIn();
    const opened = await escalateMissedCheckIns(world.service.services.safety, { now: now(), handOff: true });
    const advanced = await advanceEscalations(world.service.services.safety, { now: now(), handedOver: opened.handedOver, handOff: true });
    const message = advanced.handedOver!.messages[0]!;
    // The dead instance handed it to Twilio, which accepted it; recording it never happened.
    await handedToTwilio(phone, message);
    assert.equal((await AlertModel.findOne({ checkInId }).lean())?.tierIndex, 0);

    await afterTheLease();
    assert.equal(alertsTo(phone).length, 1, 'found at Twilio, not sent again');
    assert.equal(await OutboxModel.countDocuments({ _id: message._id }), 0);
    assert.equal((await SentMessageModel.findById(message._id).lean())?.state, 'sent');
  });

  it('alerts a team network chosen for tier 1 with her first tier, from the choice read when the alert opened', async () => {
    const [coordinator, member] = (await Promise.all(['handoff-coord', 'handoff-member'].map((h) => signUp(world.client, h)))) as [Person, Person];
    const team = await teamOf('handoff team', coordinator, [member]);
    const network = new TeamNetworkApi(coordinator.account.api);
    await network.setSmsName(team.teamId, 'Red Sur');
    const lawyer = '+33612349601';
    await network.add(team.teamId, { name: 'Marta', phone: lawyer, language: 'en', role: 'lawyer' });
    await tick();
    const code = /YES ([0-9A-Z]{2,3})\b/.exec(fake.to(lawyer).at(-1)!.body)![1]!;
    await fake.inbound(target, lawyer, `YES ${code}`);
    const { checkIns, contacts } = await withCheckInProfile(member.account);
    const { phone: own } = await optedInContact({ contacts }, 'Bea', 1, 'en', '+33612349501');
    await new TeamNetworkApi(member.account.api).choose({ teamId: team.teamId, atTier: 1 });
    await checkIns.schedule({ schedule: { kind: 'once', dueAt: new Date(clock.now().getTime() + MINUTE).toISOString() }, graceMinutes: 0, alertMessage: 'Call the collective.' });
    clock.advance(MINUTE + 1_000);

    await tick();
    assert.equal(alertsTo(own).length, 1, 'her own tier 1');
    assert.equal(alertsTo(lawyer).length, 1, 'and the team network she chose for tier 1, in the same tick');
  });

  it('takes a missed check-in to its SMS in one tick without claiming the alert or the message again', async () => {
    const { phone } = await missedCheckIn();
    const { commands } = await recordCommands(tick, (c) => (c.collection === 'alerts' || c.collection === 'outbox') && c.method === 'updateMany');
    assert.equal(alertsTo(phone).length, 1);
    assert.deepEqual(commands, [], 'no batch claim of alerts or messages: the step before handed them over');
  });
});
