import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import request from 'supertest';
import { CheckInsApi, ContactsApi, MeshworkClient } from '../src/client';
import { countAll } from './support/raw-database';
import { startTestService, type TestService } from './support/service';

describe('Trusted network and check-ins refuse bad input, hide other accounts, and go with the account', function () {
  let service: TestService;
  let client: MeshworkClient;
  let token: string;
  let otherToken: string;
  let ids: { contact: string; checkIn: string; otherContact: string; otherCheckIn: string };
  const future = () => new Date(service.clock.now().getTime() + 3_600_000).toISOString();

  before(async function () {
    service = await startTestService();
    client = await MeshworkClient.connect({ baseUrl: service.baseUrl });
    const setUp = async (handle: string, phone: string) => {
      await client.register(handle, `${handle} password`);
      const account = await client.signIn(handle, `${handle} password`);
      await new CheckInsApi(account.api).setProfile({ displayName: handle, timeZone: 'America/Lima', language: 'es', pin: '2468', duressPin: '1357' });
      const contact = await new ContactsApi(account.api).add({ name: 'Bea', phone, language: 'es', tier: 1 });
      const { checkIn } = await new CheckInsApi(account.api).schedule({ schedule: { kind: 'interval', everyHours: 6 }, graceMinutes: 15, alertMessage: 'Llama a Rosa.' });
      return { token: account.token, contact: contact.id, checkIn: checkIn.id };
    };
    const mine = await setUp('network-owner', '+573211234567');
    const theirs = await setUp('someone-else', '+573211234568');
    token = mine.token;
    otherToken = theirs.token;
    ids = { contact: mine.contact, checkIn: mine.checkIn, otherContact: theirs.contact, otherCheckIn: theirs.checkIn };
  });
  after(async () => service.close());

  const validContact = { name: 'Caro', phone: '+5511961234567', language: 'pt', tier: 2 };
  const validCheckIn = () => ({ schedule: { kind: 'once', dueAt: future() }, graceMinutes: 10, alertMessage: 'Call Rosa.' });
  const cases: Array<[string, string, string, () => unknown, number, string]> = [
    ['a contact without a phone', 'post', '/v1/contacts', () => ({ ...validContact, phone: undefined }), 400, 'validation_failed'],
    ['a landline', 'post', '/v1/contacts', () => ({ ...validContact, phone: '+57 601 2345678' }), 400, 'invalid_phone'],
    ['a number without a country code that parses to nothing', 'post', '/v1/contacts', () => ({ ...validContact, phone: '12345' }), 400, 'invalid_phone'],
    ['letters in the phone number', 'post', '/v1/contacts', () => ({ ...validContact, phone: 'call me maybe' }), 400, 'validation_failed'],
    ['an unknown language', 'post', '/v1/contacts', () => ({ ...validContact, language: 'de' }), 400, 'validation_failed'],
    ['tier 0', 'post', '/v1/contacts', () => ({ ...validContact, tier: 0 }), 400, 'validation_failed'],
    ['a fractional tier', 'post', '/v1/contacts', () => ({ ...validContact, tier: 1.5 }), 400, 'validation_failed'],
    ['a name with a line break', 'post', '/v1/contacts', () => ({ ...validContact, name: 'Caro\nSTOP' }), 400, 'validation_failed'],
    ['an unknown field', 'post', '/v1/contacts', () => ({ ...validContact, email: 'c@example.org' }), 400, 'validation_failed'],
    ['the same number twice', 'post', '/v1/contacts', () => ({ ...validContact, phone: '+57 321 123 4567' }), 409, 'contact_exists'],
    ['an empty contact update', 'patch', '/v1/contacts/:contact', () => ({}), 400, 'validation_failed'],
    ['a check-in in the past', 'post', '/v1/check-ins', () => ({ ...validCheckIn(), schedule: { kind: 'once', dueAt: '2001-01-01T00:00:00Z' } }), 400, 'due_in_past'],
    ['a check-in time without an offset', 'post', '/v1/check-ins', () => ({ ...validCheckIn(), schedule: { kind: 'once', dueAt: '2031-01-01T00:00:00' } }), 400, 'validation_failed'],
    ['an unknown schedule kind', 'post', '/v1/check-ins', () => ({ ...validCheckIn(), schedule: { kind: 'weekly' } }), 400, 'validation_failed'],
    ['a daily time of 25:00', 'post', '/v1/check-ins', () => ({ ...validCheckIn(), schedule: { kind: 'daily', times: ['25:00'] } }), 400, 'validation_failed'],
    ['every 0 hours', 'post', '/v1/check-ins', () => ({ ...validCheckIn(), schedule: { kind: 'interval', everyHours: 0 } }), 400, 'validation_failed'],
    ['a negative grace period', 'post', '/v1/check-ins', () => ({ ...validCheckIn(), graceMinutes: -5 }), 400, 'validation_failed'],
    ['an empty alert message', 'post', '/v1/check-ins', () => ({ ...validCheckIn(), alertMessage: '   ' }), 400, 'validation_failed'],
    ['an alert message over 480 characters', 'post', '/v1/check-ins', () => ({ ...validCheckIn(), alertMessage: 'x'.repeat(481) }), 400, 'validation_failed'],
    ['a made-up time zone', 'post', '/v1/check-ins', () => ({ ...validCheckIn(), timeZone: 'Mars/Olympus' }), 400, 'validation_failed'],
    ['a PIN of letters', 'post', '/v1/check-ins/:checkIn/check-in', () => ({ pin: 'abcd' }), 400, 'validation_failed'],
    ['a wrong PIN', 'post', '/v1/check-ins/:checkIn/check-in', () => ({ pin: '0000' }), 403, 'wrong_pin'],
    ['a wrong PIN on cancel', 'post', '/v1/check-ins/:checkIn/cancel', () => ({ pin: '0000' }), 403, 'wrong_pin'],
    ['a duress PIN equal to the PIN', 'put', '/v1/check-in-profile', () => ({ displayName: 'x', timeZone: 'UTC', language: 'en', pin: '1111', duressPin: '1111', currentPin: '2468' }), 400, 'duress_pin_same_as_pin'],
    ['a PIN change without the current PIN', 'put', '/v1/check-in-profile', () => ({ displayName: 'x', timeZone: 'UTC', language: 'en', pin: '1111', duressPin: '2222' }), 400, 'current_pin_required'],
    ['a PIN change with the duress PIN as current PIN', 'put', '/v1/check-in-profile', () => ({ displayName: 'x', timeZone: 'UTC', language: 'en', pin: '1111', duressPin: '2222', currentPin: '1357' }), 403, 'wrong_pin'],
    ['an invalid own phone', 'put', '/v1/check-in-profile', () => ({ displayName: 'x', timeZone: 'UTC', language: 'en', phone: '+1 000' }), 400, 'invalid_phone'],
  ];

  for (const [name, method, path, body, status, code] of cases) {
    it(`refuses ${name} (${status} ${code}) and changes nothing`, async () => {
      const url = path.replace(':contact', ids.contact).replace(':checkIn', ids.checkIn);
      const before = await countAll();
      // A wrong PIN is counted (pinFailures): that is the attempt limit working, not a partial write.
      const profileBefore = await mongoose.connection.db!.collection('checkinprofiles').find({}, { projection: { pinFailures: 0, updatedAt: 0 } }).sort({ _id: 1 }).toArray();
      const res = await (request(service.app) as unknown as Record<string, (u: string) => request.Test>)[method]!(url).set('authorization', `Bearer ${token}`).send(body() as object);
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.equal(res.body.error.code, code);
      assert.ok(res.body.error.message.length > 10);
      assert.deepEqual(await countAll(), before);
      assert.deepEqual(await mongoose.connection.db!.collection('checkinprofiles').find({}, { projection: { pinFailures: 0, updatedAt: 0 } }).sort({ _id: 1 }).toArray(), profileBefore);
    });
  }

  it("answers 404 for another account's contacts, check-ins and alerts, and for ids that do not exist", async () => {
    const probes: Array<[string, string, object?]> = [
      ['patch', `/v1/contacts/${ids.otherContact}`, { tier: 3 }],
      ['delete', `/v1/contacts/${ids.otherContact}`],
      ['post', `/v1/contacts/${ids.otherContact}/invitation`],
      ['get', `/v1/check-ins/${ids.otherCheckIn}`],
      ['post', `/v1/check-ins/${ids.otherCheckIn}/check-in`, { pin: '2468' }],
      ['post', `/v1/check-ins/${ids.otherCheckIn}/cancel`, { pin: '2468' }],
      ['get', `/v1/alerts/${ids.otherCheckIn}/timeline`],
      ['get', '/v1/check-ins/not-an-id'],
      ['get', '/v1/check-ins/000000000000000000000000'],
    ];
    const before = await countAll();
    for (const [method, url, body] of probes) {
      const res = await (request(service.app) as unknown as Record<string, (u: string) => request.Test>)[method]!(url).set('authorization', `Bearer ${token}`).send(body);
      assert.equal(res.status, 404, `${method} ${url}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, 'not_found');
    }
    assert.deepEqual(await countAll(), before);
    const theirs = await request(service.app).get(`/v1/check-ins/${ids.otherCheckIn}`).set('authorization', `Bearer ${otherToken}`);
    assert.equal(theirs.status, 200);
  });

  it('shows each contact’s state to the defender, with only the end of the number', async () => {
    const res = await request(service.app).get('/v1/contacts').set('authorization', `Bearer ${token}`).expect(200);
    assert.equal(res.body.contacts[0].state, 'invited');
    assert.equal(res.body.contacts[0].phoneHint.slice(-3), '567');
    assert.ok(!JSON.stringify(res.body).includes('3211234567'));
  });

  it('deletes contacts, profile and messages with the account at once when no check-in is pending', async () => {
    await client.register('wiped-defender', 'wiped password');
    const account = await client.signIn('wiped-defender', 'wiped password');
    await new CheckInsApi(account.api).setProfile({ displayName: 'W', timeZone: 'UTC', language: 'en', pin: '2468', duressPin: '1357', phone: '+447400123777' });
    await new ContactsApi(account.api).add({ name: 'Bea', phone: '+447400123778', language: 'en', tier: 1 });
    await service.services.scheduler.tick();
    const owner0 = new mongoose.Types.ObjectId(account.accountId);
    assert.equal(await mongoose.connection.db!.collection('trustedcontacts').countDocuments({ ownerId: owner0 }), 1, 'the check reads real data');
    assert.equal(await mongoose.connection.db!.collection('replyreferences').countDocuments({ ownerId: owner0 }), 1, 'the invitation claimed a reply code');
    await account.deleteAccount('wiped password');
    const owner = new mongoose.Types.ObjectId(account.accountId);
    for (const name of ['trustedcontacts', 'replyreferences', 'checkins', 'checkinprofiles', 'outbox', 'sentmessages', 'alerts', 'alertevents']) {
      assert.equal(await mongoose.connection.db!.collection(name).countDocuments({ ownerId: owner }), 0, name);
    }
  });
});
