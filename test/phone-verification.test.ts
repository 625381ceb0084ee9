import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import request from 'supertest';
import { MeshworkApiError, type CheckInsApi } from '../src/client';
import { safetyWorld } from './support/defenders';
import { openEvent } from '../src/safety/timeline';

const MINUTE = 60_000;

async function counts(): Promise<Record<string, number>> {
  const db = mongoose.connection.db!;
  const out: Record<string, number> = {};
  for (const { name } of await db.listCollections().toArray()) out[name] = await db.collection(name).countDocuments();
  return out;
}

async function accountId(handle: string) {
  const account = await mongoose.connection.db!.collection('accounts').findOne({ handle });
  assert.ok(account);
  return account._id;
}

describe('Phone verification for SMS check-in', function () {
  const world = safetyWorld({ config: { ESCALATION_REPEATS: 0 }, phones: { prefix: '+447400124', after: 500 }, profile: { timeZone: 'Europe/London' } });
  const { clock, fake, target, tick, newPhone } = world;
  const defender = (handle: string, phone?: string) => world.defender(handle, { phone });

  /** The last code Meshwork texted to this phone (delivered through the outbox on a tick). */
  async function lastCode(phone: string): Promise<string> {
    await tick();
    const text = fake.to(phone).at(-1)?.body ?? '';
    const code = /code: (\d{6})/.exec(text)?.[1];
    assert.ok(code, `a code was texted to ${phone}`);
    return code;
  }

  async function scheduleMissable(checkIns: CheckInsApi) {
    const dueAt = new Date(clock.now().getTime() + 30 * MINUTE).toISOString();
    return (await checkIns.schedule({ schedule: { kind: 'once', dueAt }, graceMinutes: 10, alertMessage: 'Call Rosa.' })).checkIn;
  }

  it('says SMS check-in is off until the code texted to the phone is entered, and ignores the PIN by SMS meanwhile', async () => {
    const phone = newPhone();
    const ana = await defender('unverified-ana', phone);
    assert.equal(ana.profile.smsCheckIn, 'off');
    assert.equal(ana.profile.phoneVerified, false);
    assert.equal(ana.profile.phoneCodeSent, true);
    const code = await lastCode(phone);
    const checkIn = await scheduleMissable(ana.checkIns);
    const ignored = await fake.inbound(target, phone, 'PIN 2468');
    assert.doesNotMatch(ignored.text, /<Message>/);
    assert.equal((await ana.checkIns.get(checkIn.id)).lastCheckedInAt, null);

    const verified = await ana.checkIns.verifyPhone(code);
    assert.equal(verified.smsCheckIn, 'on');
    assert.equal((await ana.checkIns.getProfile()).phoneVerified, true);
    const right = await fake.inbound(target, phone, 'PIN 2468');
    assert.match(right.text, /<Message>Received\.<\/Message>/);
    await assert.rejects(ana.checkIns.get(checkIn.id));
  });

  it('refuses a second profile claiming a verified number with a 409 that names nobody, and SMS check-in reaches the verified owner only', async () => {
    const phone = newPhone();
    const bea = await defender('owner-bea', phone);
    await bea.checkIns.verifyPhone(await lastCode(phone));
    const beaCheckIn = await scheduleMissable(bea.checkIns);

    // The review's reproduction: another account puts Bea's number on its own profile.
    const mallory = await defender('claimant-mallory', phone);
    assert.equal(mallory.profile.smsCheckIn, 'off');
    const malloryCheckIn = await scheduleMissable(mallory.checkIns);
    const stolenCode = await lastCode(phone); // even with the code in hand
    const refused = await request(world.service.app).post('/v1/check-in-profile/phone/verification').set('authorization', `Bearer ${mallory.token}`).send({ code: stolenCode });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'phone_taken');
    assert.doesNotMatch(JSON.stringify(refused.body), /bea/i);
    assert.equal((await mallory.checkIns.getProfile()).smsCheckIn, 'off');

    // Bea's duress PIN by SMS raises her alert, not nothing and not Mallory's.
    const reply = await fake.inbound(target, phone, '1357');
    assert.match(reply.text, /<Message>Received\.<\/Message>/);
    const alerts = mongoose.connection.db!.collection('alerts');
    assert.equal(await alerts.countDocuments({ ownerId: await accountId('owner-bea') }), 1);
    assert.equal(await alerts.countDocuments({ ownerId: await accountId('claimant-mallory') }), 0);
    assert.equal((await mallory.checkIns.get(malloryCheckIn.id)).lastCheckedInAt, null);
    void beaCheckIn;
  });

  it('raises one duress alert, and texts one reply, when a signed duress SMS is replayed three times', async () => {
    const phone = newPhone();
    const ivy = await defender('replayed-ivy', phone);
    await ivy.checkIns.verifyPhone(await lastCode(phone));
    await scheduleMissable(ivy.checkIns);
    const params = { AccountSid: 'AC'.padEnd(34, '0'), MessageSid: 'SMduress000000000000000000000000001', From: phone, To: '+15005550006', Body: '1357', NumMedia: '0' };
    const replies = [];
    for (let i = 0; i < 4; i += 1) replies.push(await fake.postWebhook(target, '/v1/sms/inbound', params));
    assert.match(replies[0]!.text, /<Message>Received\.<\/Message>/);
    for (const replay of replies.slice(1)) assert.doesNotMatch(replay.text, /<Message>/);
    const ownerId = await accountId('replayed-ivy');
    assert.equal(await mongoose.connection.db!.collection('alerts').countDocuments({ ownerId }), 1);
    // The event kind is sealed at rest: open each event as the use cases do.
    const events = await mongoose.connection.db!.collection('alertevents').find({ ownerId }).toArray();
    assert.equal(events.filter((e) => openEvent(world.service.services, { at: e.at as Date, encryptedEvent: e.encryptedEvent as string }).kind === 'duress').length, 1);
  });

  it('turns SMS check-in off at once when the number changes, and frees the old number for its holder', async () => {
    const first = newPhone();
    const second = newPhone();
    const cara = await defender('changing-cara', first);
    await cara.checkIns.verifyPhone(await lastCode(first));
    const changed = await cara.checkIns.setProfile({ displayName: 'Cara', timeZone: 'Europe/London', language: 'en', phone: second, currentPin: '2468' });
    assert.equal(changed.smsCheckIn, 'off');
    assert.doesNotMatch((await fake.inbound(target, first, 'PIN 2468')).text, /<Message>/);
    const dani = await defender('next-holder-dani', first);
    clock.advance(2 * MINUTE);
    assert.equal((await dani.checkIns.verifyPhone(await lastCode(first))).smsCheckIn, 'on');
  });

  it('keeps a verified number verified when the profile is saved again with it', async () => {
    const phone = newPhone();
    const eva = await defender('resaving-eva', phone);
    await eva.checkIns.verifyPhone(await lastCode(phone));
    const sent = fake.to(phone).length;
    // The same name and number again (a changed name would need the current PIN).
    const saved = await eva.checkIns.setProfile({ displayName: 'resaving-eva', timeZone: 'Europe/London', language: 'en', phone });
    assert.equal(saved.smsCheckIn, 'on');
    await tick();
    assert.equal(fake.to(phone).length, sent, 'no new code is texted');
  });

  it('waits longer before each new code, and answers 429 with Retry-After meanwhile', async () => {
    const phone = newPhone();
    const fay = await defender('resending-fay', phone);
    await lastCode(phone);
    const early = await request(world.service.app).post('/v1/check-in-profile/phone/code').set('authorization', `Bearer ${fay.token}`).send({});
    assert.equal(early.status, 429);
    assert.ok(Number(early.headers['retry-after']) > 0);
    clock.advance(61_000);
    const again = await fay.checkIns.requestPhoneCode();
    assert.equal(again.phoneCodeSent, true);
    const code = await lastCode(phone);
    clock.advance(61_000);
    assert.equal((await request(world.service.app).post('/v1/check-in-profile/phone/code').set('authorization', `Bearer ${fay.token}`).send({})).status, 429, 'the second wait is two minutes');
    assert.equal((await fay.checkIns.verifyPhone(code)).smsCheckIn, 'on');
  });

  it('refuses wrong, malformed, expired and exhausted codes with a 4xx and a stable code, changing nothing else', async () => {
    const phone = newPhone();
    const gia = await defender('guessing-gia', phone);
    const code = await lastCode(phone);
    const wrong = code === '000000' ? '111111' : '000000';
    const post = (body: unknown) => request(world.service.app).post('/v1/check-in-profile/phone/verification').set('authorization', `Bearer ${gia.token}`).send(body as object);
    const table: Array<[unknown, number, string]> = [
      [{ code: '12345' }, 400, 'validation_failed'],
      [{ code: '１２３４５６' }, 400, 'validation_failed'],
      [{ code: 123456 }, 400, 'validation_failed'],
      [{ code, extra: 1 }, 400, 'validation_failed'],
      [{}, 400, 'validation_failed'],
    ];
    for (const [body, status, errorCode] of table) {
      const before = await counts();
      const res = await post(body);
      assert.equal(res.status, status, JSON.stringify(body));
      assert.equal(res.body.error.code, errorCode);
      assert.deepEqual(await counts(), before);
    }
    for (let i = 0; i < 5; i += 1) assert.equal((await post({ code: wrong })).body.error.code, 'wrong_phone_code');
    const exhausted = await post({ code });
    assert.equal(exhausted.status, 429, 'after five wrong codes even the right one is refused');
    assert.equal((await gia.checkIns.getProfile()).smsCheckIn, 'off');

    clock.advance(16 * MINUTE);
    const expired = await post({ code });
    assert.equal(expired.status, 409);
    assert.equal(expired.body.error.code, 'phone_code_expired');
    try {
      await gia.checkIns.verifyPhone(code);
      assert.fail('an expired code must be refused');
    } catch (error) {
      assert.ok(error instanceof MeshworkApiError);
    }
  });

  it('answers 409 no_phone_code_pending to a profile without a phone', async () => {
    const hana = await defender('phoneless-hana');
    assert.equal(hana.profile.smsCheckIn, 'off');
    const res = await request(world.service.app).post('/v1/check-in-profile/phone/verification').set('authorization', `Bearer ${hana.token}`).send({ code: '123456' });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'no_phone_code_pending');
  });
});
