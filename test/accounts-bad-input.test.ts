import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import request from 'supertest';
import { MeshworkClient } from '../src/client';
import { countAll } from './support/raw-database';
import { startTestService, type TestService } from './support/service';

describe('Accounts refuse bad input with a clear 4xx and change nothing', function () {
  let service: TestService;
  let validRegistration: Record<string, unknown>;
  let token: string;

  before(async function () {
    service = await startTestService({ JSON_BODY_LIMIT_BYTES: 16 * 1024, LOGIN_ADDRESS_FAILURES_BEFORE_DELAY: 1000, LOGIN_FAILURES_BEFORE_DELAY: 1000 });
    const client = await MeshworkClient.connect({ baseUrl: service.baseUrl });
    // Capture a valid registration body by registering through the real client once.
    let captured: Record<string, unknown> = {};
    const capturing = await MeshworkClient.connect({
      baseUrl: service.baseUrl,
      fetch: async (url, init) => {
        if (init?.method === 'POST') captured = JSON.parse(init.body ?? '{}');
        return fetch(url, init);
      },
    });
    await capturing.register('template-user', 'template password');
    validRegistration = { ...captured, handle: 'fresh-handle' };
    token = (await client.signIn('template-user', 'template password')).token;
  });
  after(async () => service?.close());

  const without = (body: Record<string, unknown>, key: string) => Object.fromEntries(Object.entries(body).filter(([k]) => k !== key));

  const registrationCases: Array<[string, (valid: Record<string, unknown>) => unknown, number, string]> = [
    ['a missing handle', (v) => without(v, 'handle'), 400, 'validation_failed'],
    ['a handle of the wrong type', (v) => ({ ...v, handle: 42 }), 400, 'validation_failed'],
    ['a handle with spaces', (v) => ({ ...v, handle: 'two words' }), 400, 'validation_failed'],
    ['a handle that is too long', (v) => ({ ...v, handle: 'x'.repeat(33) }), 400, 'validation_failed'],
    ['an unknown field', (v) => ({ ...v, email: 'me@example.org' }), 400, 'validation_failed'],
    ['a weak KDF', (v) => ({ ...v, kdf: { ...(v.kdf as object), opslimit: 1 } }), 400, 'validation_failed'],
    ['a short auth key', (v) => ({ ...v, authKey: 'AAAA' }), 400, 'validation_failed'],
    ['an auth key that is not base64url', (v) => ({ ...v, authKey: '!'.repeat(43) }), 400, 'validation_failed'],
    ['a public key signed by someone else', (v) => ({ ...v, handle: 'other-name' }), 400, 'invalid_self_signature'],
    ['an array instead of an object', () => [1, 2, 3], 400, 'validation_failed'],
    ['a bare null', () => null, 400, 'malformed_json'],
    ['an oversized private-key blob', (v) => ({ ...v, encryptedPrivateKeys: { nonce: (v.encryptedPrivateKeys as { nonce: string }).nonce, ciphertext: 'A'.repeat(10000) } }), 400, 'validation_failed'],
  ];

  for (const [name, mutate, status, code] of registrationCases) {
    it(`refuses a registration with ${name} (${status} ${code})`, async () => {
      const before = await countAll();
      const res = await request(service.app).post('/v1/accounts').set('content-type', 'application/json').send(JSON.stringify(mutate(validRegistration)));
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.equal(res.body.error.code, code);
      assert.equal(typeof res.body.error.message, 'string');
      assert.deepEqual(await countAll(), before);
    });
  }

  it('refuses malformed JSON with malformed_json', async () => {
    const before = await countAll();
    const res = await request(service.app).post('/v1/accounts').set('content-type', 'application/json').send('{"handle": "x",');
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'malformed_json');
    assert.deepEqual(await countAll(), before);
  });

  it('refuses a body over the size limit with 413 payload_too_large', async () => {
    const before = await countAll();
    const res = await request(service.app).post('/v1/accounts').send({ ...validRegistration, padding: 'x'.repeat(20 * 1024) });
    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, 'payload_too_large');
    assert.deepEqual(await countAll(), before);
  });

  it('refuses a body that is not JSON with 415 unsupported_media_type', async () => {
    const res = await request(service.app).post('/v1/sessions').set('content-type', 'text/plain').send('handle=x');
    assert.equal(res.status, 415);
    assert.equal(res.body.error.code, 'unsupported_media_type');
  });

  it('refuses a sign-in with unknown fields instead of ignoring them', async () => {
    const res = await request(service.app).post('/v1/sessions').send({ handle: 'template-user', authKey: 'A'.repeat(43), admin: true });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'validation_failed');
  });

  it('refuses a prelogin without a handle or with two', async () => {
    assert.equal((await request(service.app).get('/v1/accounts/prelogin')).body.error.code, 'validation_failed');
    assert.equal((await request(service.app).get('/v1/accounts/prelogin?handle=a1b&handle=b2c')).status, 400);
  });

  for (const [name, header] of [
    ['no token', undefined],
    ['a malformed header', 'Token abc'],
    ['an invented token', `Bearer mw_${'A'.repeat(43)}`],
    ['a token of the wrong shape', 'Bearer not-a-token'],
    ['a very long token', `Bearer mw_${'A'.repeat(5000)}`],
  ] as const) {
    it(`answers 401 unauthorized to ${name}`, async () => {
      const req = request(service.app).get('/v1/sessions');
      if (header) req.set('authorization', header);
      const res = await req;
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, 'unauthorized');
    });
  }

  it('answers 401 to a valid token in the access_token query parameter, and to a request offering one there besides the header', async () => {
    assert.equal((await request(service.app).get('/v1/sessions').set('authorization', `Bearer ${token}`)).status, 200);
    const inUrl = await request(service.app).get(`/v1/sessions?access_token=${encodeURIComponent(token)}`);
    assert.equal(inUrl.status, 401);
    assert.equal(inUrl.body.error.code, 'unauthorized');
    const both = await request(service.app).get(`/v1/teams?access_token=${encodeURIComponent(token)}`).set('authorization', `Bearer ${token}`);
    assert.equal(both.status, 401);
  });

  it('answers a malformed session id like an unknown one (404)', async () => {
    const res = await request(service.app).delete('/v1/sessions/not-an-id').set('authorization', `Bearer ${token}`);
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'not_found');
  });

  it('refuses a password change with a missing current password and changes nothing', async () => {
    const before = await mongoose.connection.db!.collection('accounts').findOne({ handle: 'template-user' });
    const res = await request(service.app)
      .put('/v1/account/password')
      .set('authorization', `Bearer ${token}`)
      .send({ kdf: validRegistration.kdf, authKey: validRegistration.authKey, encryptedPrivateKeys: validRegistration.encryptedPrivateKeys });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'current_password_required');
    const after = await mongoose.connection.db!.collection('accounts').findOne({ handle: 'template-user' });
    assert.deepEqual(after, before);
  });
});

describe('Registration is rate-limited per address', function () {
  let service: TestService;
  before(async function () {
    service = await startTestService({ REGISTRATIONS_PER_ADDRESS_PER_HOUR: 2 });
  });
  after(async () => service?.close());

  it('answers 429 with Retry-After to the registration over the hourly limit, creates no account, and allows more after the hour', async () => {
    const client = await MeshworkClient.connect({ baseUrl: service.baseUrl });
    await client.register('limit-one', 'limit password one');
    await client.register('limit-two', 'limit password two');
    let captured: Record<string, unknown> = {};
    const capturing = await MeshworkClient.connect({
      baseUrl: service.baseUrl,
      fetch: async (url, init) => {
        if (init?.method === 'POST') captured = JSON.parse(init.body ?? '{}');
        return fetch(url, init);
      },
    });
    await assert.rejects(capturing.register('limit-three', 'limit password three'));
    const before = await countAll();
    const res = await request(service.app).post('/v1/accounts').send(captured);
    assert.equal(res.status, 429);
    assert.equal(res.body.error.code, 'too_many_attempts');
    assert.ok(Number(res.headers['retry-after']) > 0);
    assert.equal(await mongoose.connection.db!.collection('accounts').countDocuments({ handle: 'limit-three' }), 0);
    assert.deepEqual((await countAll()).accounts, before.accounts);
    service.clock.advance(61 * 60_000);
    assert.equal((await request(service.app).post('/v1/accounts').send(captured)).status, 201);
  });
});
