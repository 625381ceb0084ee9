import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import request from 'supertest';
import { MeshworkApiError } from '../src/client';
import { safetyWorld, type Defender } from './support/defenders';
import { checkInWithPin } from '../src/checkins/check-in';
import { afterRepliesSettled } from '../src/checkins/check-in-outcomes';
import { CheckInModel } from '../src/checkins/check-in.model';
import { openSchedule } from '../src/checkins/schedule-at-rest';
import { AlertModel } from '../src/alerts/alert.model';
import { openEvent } from '../src/safety/timeline';
import { TimelineEventModel } from '../src/safety/timeline.model';
import { createLogger } from '../src/shared/logger';
import { CheckInProfileModel } from '../src/safety/check-in-profile.model';
import { hashPin } from '../src/checkins/pin-hash';
import { phoneLookupKey } from '../src/sms/phone';
import { describeCommands, recordCommands, type RecordedCommand } from './support/commands';

const MINUTE = 60_000;
const TIER_WAIT_SECONDS = 600;

describe('Check-ins and SMS escalation', function () {
  const world = safetyWorld({
    config: { ESCALATION_TIER_WAIT_SECONDS: TIER_WAIT_SECONDS, ESCALATION_REPEATS: 0, OUTBOX_MAX_ATTEMPTS: 5 },
    instanceId: 'instance-a',
    phones: { prefix: '+447400123', after: 100 },
    profile: { displayName: 'Ana', timeZone: 'America/Mexico_City' },
  });
  const { clock, fake, target, tick, newPhone, defender, optedInContact } = world;

  async function missedCheckIn(who: Defender, message = 'Call my lawyer Rosa on +52 55 0000 0000.', place?: string) {
    const dueAt = new Date(clock.now().getTime() + 30 * MINUTE).toISOString();
    const { checkIn } = await who.checkIns.schedule({ schedule: { kind: 'once', dueAt }, graceMinutes: 10, alertMessage: message, place });
    // Ten seconds past the deadline (due + grace): well within one tick.
    clock.advance(40 * MINUTE + 10_000);
    return checkIn;
  }

  it('sends tier 1 within one tick of a missed deadline, and not tier 2', async () => {
    const ana = await defender('tier-one');
    const first = await optedInContact(ana, 'Bea', 1);
    const second = await optedInContact(ana, 'Caro', 2);
    await missedCheckIn(ana, 'Call my lawyer Rosa.', 'Hotel Sol, Oaxaca');
    await tick();
    const alerts = fake.to(first.phone).slice(1);
    assert.equal(alerts.length, 1);
    assert.match(alerts[0]!.body, /^MESHWORK ALERT: Ana did not check in by \d\d:\d\d \(UTC-6\)\. Their message: Call my lawyer Rosa\. Last known place: Hotel Sol, Oaxaca\. Reply ACK/);
    assert.equal(fake.to(second.phone).length, 1, 'tier 2 has only its invitation');
    await tick();
    assert.equal(fake.to(first.phone).length, 2, 'a second tick sends nothing again');
    clock.advance(TIER_WAIT_SECONDS * 1000);
    await tick();
    assert.equal(fake.to(second.phone).length, 2, 'tier 2 after the wait');
    const [alert] = await ana.checkIns.alerts();
    assert.equal(alert?.state, 'escalating');
    assert.equal(alert?.delayed, false);
  });

  it('stops at an acknowledgement: tier 2 is never texted, and the others hear who is handling it', async () => {
    const ana = await defender('acknowledged');
    const bea = await optedInContact(ana, 'Bea', 1);
    const dani = await optedInContact(ana, 'Dani', 1, 'es');
    const caro = await optedInContact(ana, 'Caro', 2);
    await missedCheckIn(ana);
    await tick();
    const reply = await fake.inbound(target, bea.phone, 'ack');
    assert.match(reply.text, /thank you for acting on the alert for Ana\. The others are being told\./);
    await tick();
    assert.match(fake.to(dani.phone).at(-1)!.body, /^Meshwork: Bea se encarga de la alerta de Ana\./);
    clock.advance(3 * TIER_WAIT_SECONDS * 1000);
    await tick();
    assert.equal(fake.to(caro.phone).length, 1, 'tier 2 only ever got the invitation');
    const late = await fake.inbound(target, dani.phone, 'OK');
    assert.match(late.text, /Bea ya se encarga/);
    const [alert] = await ana.checkIns.alerts();
    assert.equal(alert?.state, 'acknowledged');
    assert.equal(alert?.acknowledgedBy, 'Bea');
    const { timeline } = await ana.checkIns.timeline(alert!.id);
    assert.deepEqual(
      timeline.map((e) => e.kind).filter((k) => ['missed', 'tier_alerted', 'acknowledged'].includes(k)),
      ['missed', 'tier_alerted', 'acknowledged'],
    );
  });

  it('ends the alert on a late check-in and sends the all-clear to everyone already alerted', async () => {
    const ana = await defender('late-one');
    const bea = await optedInContact(ana, 'Bea', 1);
    const caro = await optedInContact(ana, 'Caro', 2);
    const eli = await optedInContact(ana, 'Eli', 3);
    const checkIn = await missedCheckIn(ana);
    await tick();
    clock.advance(TIER_WAIT_SECONDS * 1000);
    await tick();
    const reply = await ana.checkIns.checkIn(checkIn.id, '2468');
    assert.equal(reply.nextDueAt, null);
    await tick();
    assert.match(fake.to(bea.phone).at(-1)!.body, /Ana has checked in\. The alert is over/);
    assert.match(fake.to(caro.phone).at(-1)!.body, /Ana has checked in\. The alert is over/);
    clock.advance(3 * TIER_WAIT_SECONDS * 1000);
    await tick();
    assert.equal(fake.to(eli.phone).length, 1, 'tier 3 was never alerted, so gets no all-clear either');
    const [alert] = await ana.checkIns.alerts();
    assert.equal(alert?.state, 'resolved');
    await assert.rejects(ana.checkIns.get(checkIn.id), (e: unknown) => e instanceof MeshworkApiError && e.status === 404);
  });

  it('answers a duress PIN exactly as a normal check-in and silently starts the alert', async () => {
    const ana = await defender('under-duress');
    const bea = await optedInContact(ana, 'Bea', 1);
    const schedule = { schedule: { kind: 'interval' as const, everyHours: 4 }, graceMinutes: 15, alertMessage: 'Call Rosa.' };
    const normalCheckIn = (await ana.checkIns.schedule(schedule)).checkIn;
    const duressCheckIn = (await ana.checkIns.schedule(schedule)).checkIn;
    const normal = await request(world.service.app).post(`/v1/check-ins/${normalCheckIn.id}/check-in`).set('authorization', `Bearer ${ana.token}`).send({ pin: '2468' });
    const duress = await request(world.service.app).post(`/v1/check-ins/${duressCheckIn.id}/check-in`).set('authorization', `Bearer ${ana.token}`).send({ pin: '1357' });
    assert.equal(duress.status, normal.status);
    assert.deepEqual(Object.keys(duress.body), Object.keys(normal.body));
    assert.equal(duress.body.nextDueAt, normal.body.nextDueAt);
    assert.equal(duress.body.checkedInAt, normal.body.checkedInAt);
    const headerNames = (res: request.Response) => Object.keys(res.headers).filter((h) => !['date', 'x-request-id', 'etag', 'content-length'].includes(h)).sort();
    assert.deepEqual(headerNames(duress), headerNames(normal));
    assert.equal(JSON.stringify(duress.body).length, JSON.stringify(normal.body).length);
    // The phone shows nothing: no alert, and the check-in looks like the other one.
    assert.deepEqual(await ana.checkIns.alerts(), []);
    const [a, b] = await ana.checkIns.list();
    assert.equal(a?.state, b?.state);
    assert.equal(a?.dueAt, b?.dueAt);
    await tick();
    assert.match(fake.to(bea.phone).at(-1)!.body, /^MESHWORK ALERT: Ana sent a silent call for help/);
    assert.deepEqual(await ana.checkIns.alerts(), []);
  });

  it('retries a Twilio 500 with backoff until it succeeds', async () => {
    const ana = await defender('flaky-twilio');
    const bea = await optedInContact(ana, 'Bea', 1);
    await missedCheckIn(ana);
    fake.failNext(3, { status: 500 });
    const before = fake.requests;
    const first = await tick();
    assert.equal(first.delivery.retried, 1);
    for (let i = 0; i < 3; i += 1) {
      clock.advance(world.service.config.OUTBOX_BACKOFF_MAX_SECONDS * 1000);
      await tick();
    }
    assert.equal(fake.requests - before, 4, 'three refused attempts, then the one that worked');
    assert.equal(fake.to(bea.phone).filter((m) => m.body.startsWith('MESHWORK ALERT')).length, 1);
  });

  it('moves to the next tier at once when a contact cannot be reached (permanent error)', async () => {
    const ana = await defender('bad-number');
    const bea = await optedInContact(ana, 'Bea', 1);
    const caro = await optedInContact(ana, 'Caro', 2);
    await missedCheckIn(ana);
    fake.failNext(1, { status: 400, code: 21211, message: "The 'To' number is not a valid phone number." });
    const report = await tick();
    assert.equal(report.delivery.failed, 1);
    assert.equal(fake.to(bea.phone).length, 1, 'Bea only has her invitation');
    assert.match(fake.to(caro.phone).at(-1)!.body, /^MESHWORK ALERT/, 'tier 2 alerted in the same tick');
  });

  it('never texts a contact who opted out, even with a message already queued', async () => {
    const ana = await defender('opted-out');
    const bea = await optedInContact(ana, 'Bea', 1);
    const caro = await optedInContact(ana, 'Caro', 1);
    const stop = await fake.inbound(target, bea.phone, 'STOP');
    assert.doesNotMatch(stop.text, /<Message>/, 'Twilio itself confirms STOP');
    const [first, second] = await ana.contacts.list();
    assert.deepEqual([first?.state, second?.state].sort(), ['opted_in', 'opted_out']);
    await missedCheckIn(ana);
    fake.failNext(1, { status: 503 });
    await tick();
    await fake.inbound(target, caro.phone, 'unsubscribe');
    clock.advance(world.service.config.OUTBOX_BACKOFF_MAX_SECONDS * 1000);
    await tick();
    assert.equal(fake.to(bea.phone).length, 1);
    assert.equal(fake.to(caro.phone).length, 1, 'the retry after UNSUBSCRIBE was dropped');
    await fake.inbound(target, bea.phone, 'START');
    assert.equal((await ana.contacts.list()).find((c) => c.name === 'Bea')?.state, 'opted_in');
  });

  it('checks in by SMS from the defender’s own phone with the PIN, and says little to a wrong one', async () => {
    const phone = newPhone();
    const ana = await defender('sms-check-in', { phone });
    await tick();
    const code = /code: (\d{6})/.exec(fake.to(phone).at(-1)!.body)![1]!;
    assert.equal((await ana.checkIns.verifyPhone(code)).smsCheckIn, 'on');
    const bea = await optedInContact(ana, 'Bea', 1);
    const checkIn = await missedCheckIn(ana);
    await tick();
    const wrong = await fake.inbound(target, phone, '9999');
    assert.match(wrong.text, /Not recognised/);
    const right = await fake.inbound(target, phone, 'PIN 2468');
    assert.match(right.text, /<Message>Received\.<\/Message>/);
    await tick();
    assert.match(fake.to(bea.phone).at(-1)!.body, /The alert is over/);
    await assert.rejects(ana.checkIns.get(checkIn.id));
  });

  it('catches up at start-up on deadlines missed while no instance ran, marking them delayed', async () => {
    const ana = await defender('while-down');
    const bea = await optedInContact(ana, 'Bea', 1);
    await missedCheckIn(ana);
    clock.advance(2 * 60 * MINUTE);
    await world.service.services.recoverInterruptedWork();
    assert.match(fake.to(bea.phone).at(-1)!.body, /^MESHWORK ALERT/);
    const [alert] = await ana.checkIns.alerts();
    assert.equal(alert?.delayed, true);
  });

  it('moves a recurring check-in to its next occurrence in the defender’s time zone', async () => {
    const ana = await defender('daily-times', { timeZone: 'America/Bogota' });
    const { checkIn } = await ana.checkIns.schedule({ schedule: { kind: 'daily', times: ['08:00', '20:00'] }, graceMinutes: 30, alertMessage: 'Call Rosa.' });
    const local = (iso: string) => new Date(new Date(iso).getTime() - 5 * 60 * MINUTE).toISOString().slice(11, 16);
    assert.ok(['08:00', '20:00'].includes(local(checkIn.dueAt)));
    const { nextDueAt } = await ana.checkIns.checkIn(checkIn.id, '2468');
    assert.ok(nextDueAt && ['08:00', '20:00'].includes(local(nextDueAt)) && nextDueAt !== checkIn.dueAt);
    assert.equal(new Date(nextDueAt).getTime() - new Date(checkIn.dueAt).getTime(), 12 * 60 * MINUTE);
    assert.equal((await ana.checkIns.list()).length, 1, 'one live document per schedule');
  });

  it('warns, without cutting, when the alert message will take many SMS segments', async () => {
    const ana = await defender('long-message');
    const { alertSize } = await ana.checkIns.schedule({ schedule: { kind: 'interval', everyHours: 6 }, graceMinutes: 10, alertMessage: 'Llamá a mi abogada Rosa. '.repeat(8) });
    assert.equal(alertSize.encoding, 'UCS-2');
    assert.ok(alertSize.segments > 2);
    assert.match(alertSize.warning ?? '', /segments/);
  });

  it('says on every read of a check-in that nobody will be alerted until a contact replies YES, and updates when one does', async () => {
    const ana = await defender('reach-nobody');
    await ana.contacts.add({ name: 'Bea', phone: newPhone(), language: 'en', tier: 1 });
    const dueAt = new Date(clock.now().getTime() + 30 * MINUTE).toISOString();
    const { checkIn } = await ana.checkIns.schedule({ schedule: { kind: 'once', dueAt }, graceMinutes: 10, alertMessage: 'Call Rosa.' });
    assert.deepEqual(checkIn.reach, { optedIn: 0, tiers: [], waitingForYes: ['Bea'], teamNetwork: null }, 'scheduling is allowed, and says nobody is covered');
    assert.deepEqual((await ana.checkIns.get(checkIn.id)).reach.optedIn, 0);
    const phone = newPhone();
    await ana.contacts.add({ name: 'Caro', phone, language: 'es', tier: 2 });
    await tick();
    await fake.inbound(target, phone, 'SI');
    const [listed] = await ana.checkIns.list();
    assert.deepEqual(listed!.reach, { optedIn: 1, tiers: [2], waitingForYes: ['Bea'], teamNetwork: null }, 'derived from the contacts, not stored with the check-in');
    const stored = await mongoose.connection.db!.collection('checkins').findOne({ _id: new mongoose.Types.ObjectId(checkIn.id) });
    assert.equal(stored!.reach, undefined, 'no stored flag that could drift');
  });

  it('previews, without saving anything, the exact text each contact would get, in the order of alerting, with its SMS count', async () => {
    const ana = await defender('preview-texts');
    await ana.contacts.add({ name: 'Dani', phone: newPhone(), language: 'en', tier: 1 });
    const caro = await optedInContact(ana, 'Caro', 2, 'es');
    const bea = await optedInContact(ana, 'Bea', 1, 'en');
    const dueAt = new Date(clock.now().getTime() + 30 * MINUTE).toISOString();
    const input = { schedule: { kind: 'once' as const, dueAt }, graceMinutes: 10, alertMessage: 'Call Rosa', place: 'Hotel Sol' };
    const before = await mongoose.connection.db!.collection('checkins').countDocuments();
    const preview = await ana.checkIns.preview(input);
    assert.equal(await mongoose.connection.db!.collection('checkins').countDocuments(), before, 'a preview writes nothing');
    assert.equal(preview.nobodyWillBeAlerted, false);
    assert.deepEqual(preview.recipients.map((r) => [r.name, r.order]), [['Dani', null], ['Bea', 1], ['Caro', 2]]);
    const beaText = preview.recipients.find((r) => r.name === 'Bea')!;
    assert.match(beaText.text, /^MESHWORK ALERT: Ana did not check in by \d\d:\d\d \(UTC-6\)\. Their message: Call Rosa\. Last known place: Hotel Sol\. Reply ACK/);
    assert.equal(beaText.segments, 1);
    assert.match(preview.recipients.find((r) => r.name === 'Caro')!.text, /^ALERTA MESHWORK: Ana no hizo su check-in/);

    await ana.checkIns.schedule(input);
    clock.advance(40 * MINUTE + 10_000);
    await tick();
    assert.equal(fake.to(bea.phone).at(-1)!.body, beaText.text, 'the preview is exactly what tier 1 receives');
    clock.advance(TIER_WAIT_SECONDS * 1000);
    await tick();
    assert.equal(fake.to(caro.phone).at(-1)!.body, preview.recipients.find((r) => r.name === 'Caro')!.text);
  });

  it('refuses a preview with bad input with a 4xx and a stable code', async () => {
    const ana = await defender('preview-bad');
    const past = new Date(clock.now().getTime() - MINUTE).toISOString();
    const bodies: Array<[unknown, number, string]> = [
      [{ schedule: { kind: 'once', dueAt: past }, graceMinutes: 10, alertMessage: 'x' }, 400, 'due_in_past'],
      [{ schedule: { kind: 'once', dueAt: 'tomorrow' }, graceMinutes: 10, alertMessage: 'x' }, 400, 'validation_failed'],
      [{ schedule: { kind: 'interval', everyHours: 6 }, graceMinutes: 10, alertMessage: 'x', extra: 1 }, 400, 'validation_failed'],
    ];
    for (const [body, status, code] of bodies) {
      const res = await request(world.service.baseUrl).post('/v1/check-ins/preview').set('authorization', `Bearer ${ana.token}`).send(body as object);
      assert.equal(res.status, status, JSON.stringify(body));
      assert.equal(res.body.error.code, code);
    }
    const noProfile = await world.client.register('preview-no-profile', 'preview-no-profile password').then(() => world.client.signIn('preview-no-profile', 'preview-no-profile password'));
    const res = await request(world.service.baseUrl).post('/v1/check-ins/preview').set('authorization', `Bearer ${noProfile.token}`).send({ schedule: { kind: 'interval', everyHours: 6 }, graceMinutes: 10, alertMessage: 'x' });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'check_in_profile_required');
  });

  it('marks a missed check-in that texted nobody as reaching nobody, and a duress one stays invisible', async () => {
    const ana = await defender('reached-nobody');
    await ana.contacts.add({ name: 'Bea', phone: newPhone(), language: 'en', tier: 1 });
    const missed = await missedCheckIn(ana);
    await tick();
    const [alert] = await ana.checkIns.alerts();
    assert.equal(alert?.checkInId, missed.id);
    assert.equal(alert?.reachedNobody, true);
    const dueAt = new Date(clock.now().getTime() + 30 * MINUTE).toISOString();
    const { checkIn } = await ana.checkIns.schedule({ schedule: { kind: 'once', dueAt }, graceMinutes: 10, alertMessage: 'Second.' });
    await ana.checkIns.checkIn(checkIn.id, '1357');
    await tick();
    assert.equal((await ana.checkIns.alerts()).length, 1, 'the duress alert is not listed on the phone');
    const reached = await defender('reached-someone');
    await optedInContact(reached, 'Caro', 1);
    await missedCheckIn(reached);
    await tick();
    assert.equal((await reached.checkIns.alerts())[0]?.reachedNobody, false);
  });

  it('extends a pending check-in with the PIN: the deadline moves, and nobody is alerted at the old one', async () => {
    const ana = await defender('extend-pending');
    const bea = await optedInContact(ana, 'Bea', 1);
    const dueAt = new Date(clock.now().getTime() + 30 * MINUTE);
    const { checkIn } = await ana.checkIns.schedule({ schedule: { kind: 'once', dueAt: dueAt.toISOString() }, graceMinutes: 10, alertMessage: 'Call Rosa.' });
    const reply = await ana.checkIns.extend(checkIn.id, '2468', 30);
    assert.equal(reply.dueAt, new Date(dueAt.getTime() + 30 * MINUTE).toISOString());
    assert.equal(reply.deadline, new Date(dueAt.getTime() + 40 * MINUTE).toISOString());
    const stored = await mongoose.connection.db!.collection('checkins').findOne({ _id: new mongoose.Types.ObjectId(checkIn.id) });
    assert.equal(stored!.dueAt.toISOString(), reply.dueAt);
    clock.advance(40 * MINUTE + 10_000);
    await tick();
    assert.equal(fake.to(bea.phone).length, 1, 'only the invitation: the old deadline passed without an alert');
    clock.advance(30 * MINUTE);
    await tick();
    assert.match(fake.to(bea.phone).at(-1)!.body, /^MESHWORK ALERT: Ana did not check in/, 'the new deadline still protects her');
  });

  it('extends a missed check-in with the PIN: the alert ends with an all-clear and a new deadline starts', async () => {
    const ana = await defender('extend-missed');
    const bea = await optedInContact(ana, 'Bea', 1);
    const checkIn = await missedCheckIn(ana);
    await tick();
    assert.match(fake.to(bea.phone).at(-1)!.body, /^MESHWORK ALERT/);
    const reply = await ana.checkIns.extend(checkIn.id, '2468', 60);
    assert.equal(reply.dueAt, new Date(clock.now().getTime() + 60 * MINUTE).toISOString(), 'counted from now when already past');
    await tick();
    assert.match(fake.to(bea.phone).at(-1)!.body, /Ana has checked in\. The alert is over/);
    assert.equal((await ana.checkIns.alerts())[0]?.state, 'resolved');
    assert.equal((await ana.checkIns.get(checkIn.id)).state, 'scheduled');
  });

  it('answers the duress PIN on extend exactly as the PIN, extends the same, and silently starts the alert', async () => {
    const ana = await defender('extend-duress');
    const bea = await optedInContact(ana, 'Bea', 1);
    const dueAt = new Date(clock.now().getTime() + 30 * MINUTE).toISOString();
    const one = (await ana.checkIns.schedule({ schedule: { kind: 'once', dueAt }, graceMinutes: 10, alertMessage: 'Call Rosa.' })).checkIn;
    const two = (await ana.checkIns.schedule({ schedule: { kind: 'once', dueAt }, graceMinutes: 10, alertMessage: 'Call Rosa.' })).checkIn;
    const normal = await request(world.service.app).post(`/v1/check-ins/${one.id}/extend`).set('authorization', `Bearer ${ana.token}`).send({ pin: '2468', minutes: 30 });
    const duress = await request(world.service.app).post(`/v1/check-ins/${two.id}/extend`).set('authorization', `Bearer ${ana.token}`).send({ pin: '1357', minutes: 30 });
    assert.equal(duress.status, 200);
    assert.equal(normal.status, 200);
    assert.deepEqual(Object.keys(duress.body), Object.keys(normal.body));
    assert.equal(duress.body.dueAt, normal.body.dueAt);
    assert.equal(JSON.stringify(duress.body).length, JSON.stringify(normal.body).length);
    const headerNames = (res: request.Response) => Object.keys(res.headers).filter((h) => !['date', 'x-request-id', 'etag', 'content-length'].includes(h)).sort();
    assert.deepEqual(headerNames(duress), headerNames(normal));
    const [a, b] = await ana.checkIns.list();
    assert.deepEqual([a?.state, a?.dueAt], [b?.state, b?.dueAt], 'both look extended the same way');
    await tick();
    assert.match(fake.to(bea.phone).at(-1)!.body, /^MESHWORK ALERT: Ana sent a silent call for help/);
    assert.deepEqual(await ana.checkIns.alerts(), [], "the defender's session never sees the duress alert");
  });

  it('refuses a bad extension with a 4xx and a stable code and changes nothing, and answers 404 for another account\'s check-in', async () => {
    const ana = await defender('extend-bad');
    const other = await defender('extend-other');
    const dueAt = new Date(clock.now().getTime() + 30 * MINUTE).toISOString();
    const { checkIn } = await ana.checkIns.schedule({ schedule: { kind: 'once', dueAt }, graceMinutes: 10, alertMessage: 'Call Rosa.' });
    const theirs = (await other.checkIns.schedule({ schedule: { kind: 'once', dueAt }, graceMinutes: 10, alertMessage: 'Theirs.' })).checkIn;
    // A wrong PIN is counted (on the profile and on each check-in's copy, `pins`): that is the attempt limit, not a change.
    const snapshot = async () => JSON.stringify(await mongoose.connection.db!.collection('checkins').find({}, { projection: { pins: 0 } }).sort({ _id: 1 }).toArray());
    const before = await snapshot();
    const cases: Array<[string, unknown, number, string]> = [
      [checkIn.id, { pin: '2468', minutes: 0 }, 400, 'validation_failed'],
      [checkIn.id, { pin: '2468', minutes: 721 }, 400, 'validation_failed'],
      [checkIn.id, { pin: '2468', minutes: 30.5 }, 400, 'validation_failed'],
      [checkIn.id, { pin: '2468', minutes: '30' }, 400, 'validation_failed'],
      [checkIn.id, { pin: '2468' }, 400, 'validation_failed'],
      [checkIn.id, { minutes: 30 }, 400, 'validation_failed'],
      [checkIn.id, { pin: '2468', minutes: 30, until: dueAt }, 400, 'validation_failed'],
      [checkIn.id, { pin: '9999', minutes: 30 }, 403, 'wrong_pin'],
      ['not-an-id', { pin: '2468', minutes: 30 }, 404, 'not_found'],
      [theirs.id, { pin: '2468', minutes: 30 }, 404, 'not_found'],
      [new mongoose.Types.ObjectId().toHexString(), { pin: '2468', minutes: 30 }, 404, 'not_found'],
    ];
    for (const [id, body, status, code] of cases) {
      const res = await request(world.service.app).post(`/v1/check-ins/${id}/extend`).set('authorization', `Bearer ${ana.token}`).send(body as object);
      assert.equal(res.status, status, `${id} ${JSON.stringify(body)}`);
      assert.equal(res.body.error.code, code, `${id} ${JSON.stringify(body)}`);
    }
    assert.equal(await snapshot(), before, 'no check-in changed');
  });

  async function wipe(handle: string) {
    const account = await world.client.signIn(handle, `${handle} password`);
    await account.deleteAccount(`${handle} password`);
    return new mongoose.Types.ObjectId(account.accountId);
  }
  const safetyDocuments = async (owner: mongoose.Types.ObjectId) => {
    const db = mongoose.connection.db!;
    let total = 0;
    for (const name of ['trustedcontacts', 'checkins', 'checkinprofiles', 'outbox', 'alerts', 'alertevents']) total += await db.collection(name).countDocuments({ ownerId: owner });
    return total;
  };

  it('does not let a panic wipe silence a pending check-in: the network is alerted at its deadline, then everything is deleted', async () => {
    const ana = await defender('coerced-wipe');
    const bea = await optedInContact(ana, 'Bea', 1);
    const dueAt = new Date(clock.now().getTime() + 30 * MINUTE).toISOString();
    await ana.checkIns.schedule({ schedule: { kind: 'once', dueAt }, graceMinutes: 10, alertMessage: 'Call Rosa.' });
    const owner = await wipe('coerced-wipe');
    await tick();
    assert.ok((await safetyDocuments(owner)) > 0, 'the pending check-in and its contacts are kept until the deadline');
    clock.advance(40 * MINUTE + 10_000);
    await tick();
    assert.match(fake.to(bea.phone).at(-1)!.body, /^MESHWORK ALERT: Ana did not check in/);
    await fake.inbound(target, bea.phone, 'ACK');
    await tick();
    assert.equal(await safetyDocuments(owner), 0, 'everything goes once the alert is handled');
    assert.equal(await mongoose.connection.db!.collection('pendingwipes').countDocuments({ _id: owner }), 0);
  });

  it('keeps only the next occurrence of a recurring check-in through a panic wipe: alerted at its deadline, then everything is deleted', async () => {
    const ana = await defender('coerced-wipe-recurring');
    const bea = await optedInContact(ana, 'Bea', 1);
    const { checkIn } = await ana.checkIns.schedule({ schedule: { kind: 'interval', everyHours: 4 }, graceMinutes: 10, alertMessage: 'Call Rosa.' });
    const owner = await wipe('coerced-wipe-recurring');
    const kept = await mongoose.connection.db!.collection('checkins').findOne({ _id: new mongoose.Types.ObjectId(checkIn.id) });
    assert.equal(kept?.schedule, undefined, 'nothing of the schedule is written in clear');
    assert.equal(openSchedule(world.service.services.fieldCipher, kept as never).schedule.kind, 'once', 'the sealed schedule is a one-off now');
    clock.advance(4 * 60 * MINUTE + 10 * MINUTE + 10_000);
    await tick();
    assert.match(fake.to(bea.phone).at(-1)!.body, /^MESHWORK ALERT: Ana did not check in/);
    await fake.inbound(target, bea.phone, 'ACK');
    await tick();
    assert.equal(await safetyDocuments(owner), 0, 'everything goes once the alert is handled');
  });

  it('keeps escalating an alert through a panic wipe, to the next tier, until someone acknowledges', async () => {
    const ana = await defender('wipe-mid-alert');
    await optedInContact(ana, 'Bea', 1);
    const caro = await optedInContact(ana, 'Caro', 2);
    await missedCheckIn(ana);
    await tick();
    const owner = await wipe('wipe-mid-alert');
    clock.advance(TIER_WAIT_SECONDS * 1000);
    await tick();
    assert.match(fake.to(caro.phone).at(-1)!.body, /^MESHWORK ALERT/, 'tier 2 is still alerted after the wipe');
    await fake.inbound(target, caro.phone, 'ACK');
    await tick();
    assert.equal(await safetyDocuments(owner), 0);
  });

  it('keeps phone numbers, names and alert texts out of the raw database', async () => {
    const phone = newPhone();
    const ana = await defender('raw-db', { phone, displayName: 'Marker Name Ana' });
    const bea = await optedInContact(ana, 'Marker Contact Bea', 1);
    await ana.checkIns.schedule({ schedule: { kind: 'interval', everyHours: 6 }, graceMinutes: 10, alertMessage: 'Marker alert text: call Rosa', place: 'Marker Place Oaxaca' });
    await missedCheckIn(ana, 'Marker alert two');
    await tick();
    const db = mongoose.connection.db!;
    const parts: string[] = [];
    for (const { name } of await db.listCollections().toArray()) parts.push(JSON.stringify(await db.collection(name).find({}).toArray()));
    const dump = parts.join('\n');
    for (const secret of [phone, phone.slice(1), bea.phone, bea.phone.slice(-9), 'Marker Name', 'Marker Contact', 'Marker alert', 'Marker Place']) {
      assert.ok(!dump.includes(secret), `${secret} found in the raw database`);
    }
  });

  /** The commands a check-in request sends before its reply: everything up to its guarded update (what follows is settling, after the reply). */
  async function checkInCommands(token: string, checkInId: string, pin: string): Promise<{ res: request.Response; commands: RecordedCommand[] }> {
    const { result: res, commands } = await recordCommands(() => request(world.service.app).post(`/v1/check-ins/${checkInId}/check-in`).set('authorization', `Bearer ${token}`).send({ pin }));
    const update = commands.findIndex((c) => c.collection === 'checkins' && c.method === 'findOneAndUpdate');
    return { res, commands: update === -1 ? commands : commands.slice(0, update + 1) };
  }

  it('checks in with at most three database commands: the session, the check-in, one guarded update', async () => {
    const ana = await defender('three-commands');
    const { checkIn } = await ana.checkIns.schedule({ schedule: { kind: 'interval', everyHours: 4 }, graceMinutes: 15, alertMessage: 'Call Rosa.' });
    const { res, commands } = await checkInCommands(ana.token, checkIn.id, '2468');
    assert.equal(res.status, 200);
    assert.ok(commands.length <= 3, `a check-in sent ${commands.length} commands:\n  ${describeCommands(commands)}`);
    assert.deepEqual(commands.map((c) => `${c.collection}.${c.method}`), ['sessions.findOne', 'checkins.findOne', 'checkins.findOneAndUpdate']);
    const stored = await CheckInModel.findById(checkIn.id).lean();
    assert.equal(stored?.dueAt.toISOString(), res.body.nextDueAt, 'the check-in moved on');
  });

  it('answers the duress PIN with the same bytes and the same database commands as the PIN, apart from the id', async () => {
    const ana = await defender('same-bytes');
    const bea = await optedInContact(ana, 'Bea', 1);
    const schedule = { schedule: { kind: 'interval' as const, everyHours: 4 }, graceMinutes: 15, alertMessage: 'Call Rosa.' };
    const first = (await ana.checkIns.schedule(schedule)).checkIn;
    const second = (await ana.checkIns.schedule(schedule)).checkIn;
    const normal = await checkInCommands(ana.token, first.id, '2468');
    await afterRepliesSettled(); // the first reply's settling must not run inside the second one's window
    const duress = await checkInCommands(ana.token, second.id, '1357');
    const text = (res: request.Response, id: string) => res.text.replace(id, '<id>');
    assert.equal(text(duress.res, second.id), text(normal.res, first.id));
    const headers = (res: request.Response) => Object.entries(res.headers).filter(([h]) => !['date', 'x-request-id', 'etag'].includes(h)).sort();
    assert.deepEqual(headers(duress.res), headers(normal.res));
    const shape = (commands: RecordedCommand[]) => commands.map((c) => `${c.collection}.${c.method}`);
    assert.deepEqual(shape(duress.commands), shape(normal.commands), `normal:\n  ${describeCommands(normal.commands)}\nduress:\n  ${describeCommands(duress.commands)}`);
    // The outcome each update stored (settled and cleared since): one length whichever PIN was used.
    const sealedOutcome = (commands: RecordedCommand[]) => (commands.at(-1)?.update as { $push?: { encryptedOutcomes?: string } } | undefined)?.$push?.encryptedOutcomes;
    assert.ok(sealedOutcome(normal.commands), 'the guarded update stores a sealed outcome');
    assert.equal(sealedOutcome(duress.commands)?.length, sealedOutcome(normal.commands)?.length, 'the sealed outcomes have one length');
    await tick();
    assert.match(fake.to(bea.phone).at(-1)!.body, /^MESHWORK ALERT: Ana sent a silent call for help/);
  });

  it('opens the duress alert, and keeps the check-in event, when the process dies right after the reply', async () => {
    const ana = await defender('dies-after-reply');
    const bea = await optedInContact(ana, 'Bea', 1);
    const schedule = { schedule: { kind: 'interval' as const, everyHours: 4 }, graceMinutes: 15, alertMessage: 'Call Rosa.' };
    const duressCheckIn = (await ana.checkIns.schedule(schedule)).checkIn;
    const normalCheckIn = (await ana.checkIns.schedule(schedule)).checkIn;
    const deps = { clock, fieldCipher: world.service.services.fieldCipher, serverKeys: world.service.services.serverKeys, logger: createLogger('silent') };
    const who = { accountId: String((await CheckInModel.findById(duressCheckIn.id).lean())!.ownerId), handle: 'dies-after-reply', sessionId: '', viaRecovery: false };
    // The replies are given; the work meant for right after them (afterReply) never runs: the process died.
    await checkInWithPin(deps, who, duressCheckIn.id, '1357');
    await checkInWithPin(deps, who, normalCheckIn.id, '2468');
    assert.equal(await AlertModel.countDocuments({ checkInId: duressCheckIn.id }), 0, 'no alert before recovery');

    clock.advance(1000);
    await world.service.services.recoverInterruptedWork();
    await world.service.services.recoverInterruptedWork();
    assert.equal(await AlertModel.countDocuments({ checkInId: duressCheckIn.id }), 1, 'one duress alert, however often recovery runs');
    await tick();
    assert.match(fake.to(bea.phone).at(-1)!.body, /^MESHWORK ALERT: Ana sent a silent call for help/);
    const events = (await TimelineEventModel.find({ ownerId: who.accountId }).lean()).map((e) => openEvent(deps, e));
    assert.equal(events.filter((e) => e.kind === 'checked_in').length, 2, 'both check-ins are in the history');
    assert.equal(await CheckInModel.countDocuments({ ownerId: who.accountId, outcomesPending: true }), 0);
  });

  it("opens the duress alert from the next tick of a live instance once the dead instance's lease runs out, with no restart", async () => {
    const ana = await defender('dies-no-restart');
    const bea = await optedInContact(ana, 'Bea', 1);
    const { checkIn } = await ana.checkIns.schedule({ schedule: { kind: 'interval', everyHours: 4 }, graceMinutes: 15, alertMessage: 'Call Rosa.' });
    const deps = { clock, fieldCipher: world.service.services.fieldCipher, serverKeys: world.service.services.serverKeys, logger: createLogger('silent') };
    const who = { accountId: String((await CheckInModel.findById(checkIn.id).lean())!.ownerId), handle: 'dies-no-restart', sessionId: '', viaRecovery: false };
    // The reply is given; the work meant for right after it never runs: that instance died and stays down.
    await checkInWithPin(deps, who, checkIn.id, '1357');
    await tick();
    assert.equal(await AlertModel.countDocuments({ checkInId: checkIn.id }), 0, 'inside the lease the writer may still be settling it');
    clock.advance(11_000);
    await tick();
    assert.equal(await AlertModel.countDocuments({ checkInId: checkIn.id }), 1);
    await tick();
    assert.match(fake.to(bea.phone).at(-1)!.body, /^MESHWORK ALERT: Ana sent a silent call for help/);
    assert.equal(await CheckInModel.countDocuments({ ownerId: who.accountId, outcomesPending: true }), 0);
  });

  it('refuses the old PIN from the app once the PINs change, on a check-in scheduled before', async () => {
    const ana = await defender('pin-change');
    const { checkIn } = await ana.checkIns.schedule({ schedule: { kind: 'interval', everyHours: 4 }, graceMinutes: 15, alertMessage: 'Call Rosa.' });
    await ana.checkIns.setProfile({ displayName: 'Ana', timeZone: 'America/Mexico_City', language: 'en', pin: '8642', duressPin: '7531', currentPin: '2468' });
    const before = await CheckInModel.findById(checkIn.id).lean();
    const old = await request(world.service.app).post(`/v1/check-ins/${checkIn.id}/check-in`).set('authorization', `Bearer ${ana.token}`).send({ pin: '2468' });
    assert.equal(old.status, 403);
    assert.equal(old.body.error.code, 'wrong_pin');
    assert.equal((await CheckInModel.findById(checkIn.id).lean())?.dueAt.toISOString(), before?.dueAt.toISOString(), 'the old PIN moved nothing');
    const fresh = await request(world.service.app).post(`/v1/check-ins/${checkIn.id}/check-in`).set('authorization', `Bearer ${ana.token}`).send({ pin: '8642' });
    assert.equal(fresh.status, 200);
  });

  it('changes the name or phone of an existing profile only with the current PIN: none, a wrong one or the duress PIN gets a 4xx and changes nothing', async () => {
    const firstPhone = newPhone();
    const ana = await defender('profile-pin', { phone: firstPhone });
    const ownerId = (await CheckInProfileModel.findOne({ phoneLookup: phoneLookupKey(world.service.services.serverKeys.lookupKey, firstPhone) }).lean())!.ownerId;
    const put = (body: object) => request(world.service.app).put('/v1/check-in-profile').set('authorization', `Bearer ${ana.token}`).send({ timeZone: 'America/Mexico_City', language: 'en', displayName: 'Ana', ...body });
    // The attempt counter (pinFailures, the lock) is bookkeeping of wrong PINs, not a change of the profile.
    const profileNow = () => CheckInProfileModel.findOne({ ownerId }, { pinFailures: 0, pinLockedUntil: 0, updatedAt: 0 }).lean();
    const outboxNow = () => mongoose.connection.db!.collection('outbox').countDocuments({ ownerId });
    const otherPhone = newPhone();
    const cases: Array<[string, object, number, string]> = [
      ['a new name without the PIN', { displayName: 'Rosa' }, 400, 'current_pin_required'],
      ['a new name with a wrong PIN', { displayName: 'Rosa', currentPin: '9999' }, 403, 'wrong_pin'],
      ['a new name with the duress PIN', { displayName: 'Rosa', currentPin: '1357' }, 403, 'wrong_pin'],
      ['a new phone without the PIN', { phone: otherPhone }, 400, 'current_pin_required'],
      ['a new phone with a wrong PIN', { phone: otherPhone, currentPin: '9999' }, 403, 'wrong_pin'],
      ['a new phone with the duress PIN', { phone: otherPhone, currentPin: '1357' }, 403, 'wrong_pin'],
      ['removing the phone without the PIN', { phone: null }, 400, 'current_pin_required'],
      ['removing the phone with the duress PIN', { phone: null, currentPin: '1357' }, 403, 'wrong_pin'],
    ];
    const before = await profileNow();
    const outboxBefore = await outboxNow();
    const bodies = new Map<string, unknown>();
    for (const [name, body, status, code] of cases) {
      const res = await put(body);
      assert.equal(res.status, status, name);
      assert.equal(res.body.error.code, code, name);
      assert.deepEqual(await profileNow(), before, `${name}: the profile is unchanged`);
      assert.equal(await outboxNow(), outboxBefore, `${name}: no code is queued for the new number`);
      if (status === 403) bodies.set(name, res.body);
    }
    // Whoever forces her to type a PIN here cannot tell from the answer that it was the duress PIN.
    assert.deepEqual(bodies.get('a new name with the duress PIN'), bodies.get('a new name with a wrong PIN'));
    assert.deepEqual(bodies.get('a new phone with the duress PIN'), bodies.get('a new phone with a wrong PIN'));
    await tick();
    assert.equal(fake.to(otherPhone).length, 0, 'nothing was texted to the number that was not saved');

    // Language and time zone redirect no alert: they change without the PIN, and the name stays.
    const free = await put({ language: 'es', timeZone: 'America/Lima' });
    assert.equal(free.status, 200);
    assert.deepEqual([free.body.displayName, free.body.language, free.body.timeZone], ['Ana', 'es', 'America/Lima']);

    clock.advance(2 * MINUTE); // past the wait between two codes of one profile
    const changed = await put({ displayName: 'Rosa', phone: otherPhone, currentPin: '2468' });
    assert.equal(changed.status, 200);
    assert.equal(changed.body.displayName, 'Rosa');
    const saved = await CheckInProfileModel.findOne({ ownerId }).lean();
    assert.equal(world.service.services.fieldCipher.decrypt(saved!.encryptedPhone!), otherPhone, 'the new number is saved');
    assert.equal(world.service.services.fieldCipher.decrypt(saved!.encryptedDisplayName), 'Rosa');
    await tick();
    assert.equal(fake.to(otherPhone).length, 1, 'the new number gets its verification code');
  });

  it('locks the app check-in after repeated wrong PINs, even with the right PIN, until the lock runs out', async () => {
    const ana = await defender('pin-lock');
    const { checkIn } = await ana.checkIns.schedule({ schedule: { kind: 'interval', everyHours: 4 }, graceMinutes: 15, alertMessage: 'Call Rosa.' });
    const post = (pin: string) => request(world.service.app).post(`/v1/check-ins/${checkIn.id}/check-in`).set('authorization', `Bearer ${ana.token}`).send({ pin });
    for (let i = 0; i < 6; i += 1) assert.equal((await post('0000')).status, 403);
    const locked = await post('2468');
    assert.equal(locked.status, 429);
    assert.equal(locked.body.error.code, 'too_many_attempts');
    clock.advance(31_000);
    assert.equal((await post('2468')).status, 200);
    assert.equal((await CheckInModel.findById(checkIn.id).lean())?.pins?.failed, false, 'a right PIN clears the failures on the copy');
  });

  it('finishes at start-up a PIN change a crash interrupted, so the old PIN stops checking in from the app', async () => {
    const ana = await defender('pin-change-crash');
    const { checkIn } = await ana.checkIns.schedule({ schedule: { kind: 'interval', everyHours: 4 }, graceMinutes: 15, alertMessage: 'Call Rosa.' });
    const ownerId = (await CheckInModel.findById(checkIn.id).lean())!.ownerId;
    // The profile's update of a PIN change, and then the crash: no check-in got the new copy.
    const pinKey = world.service.services.serverKeys.pinKey;
    await CheckInProfileModel.updateOne({ ownerId }, { $set: { pinHash: hashPin(pinKey, '8642'), duressPinHash: hashPin(pinKey, '7531'), pinCopiesStale: true } });
    await world.service.services.recoverInterruptedWork();
    const post = (pin: string) => request(world.service.app).post(`/v1/check-ins/${checkIn.id}/check-in`).set('authorization', `Bearer ${ana.token}`).send({ pin });
    assert.equal((await post('2468')).status, 403, 'the old PIN is refused');
    assert.equal((await post('8642')).status, 200, 'the new PIN checks in');
    assert.equal(await CheckInProfileModel.countDocuments({ ownerId, pinCopiesStale: true }), 0);
  });
});
