import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import request from 'supertest';
import { ExcessiveKdfParametersError, MeshworkClient, MeshworkApiError, WeakKdfParametersError } from '../src/client';
import { rawDump } from './support/raw-database';
import { startTestService, type TestService } from './support/service';

async function rejectsWithCode(promise: Promise<unknown>, status: number, code: string) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof MeshworkApiError, `expected a MeshworkApiError, got ${String(error)}`);
    assert.equal(error.status, status);
    assert.equal(error.code, code);
    return true;
  });
}

describe('Accounts and sign-in', function () {
  let service: TestService;
  let client: MeshworkClient;

  before(async function () {
    service = await startTestService({ LOGIN_FAILURES_BEFORE_DELAY: 3, LOGIN_ADDRESS_FAILURES_BEFORE_DELAY: 1000 });
    client = await MeshworkClient.connect({ baseUrl: service.baseUrl });
  });
  after(async () => service?.close());

  it('registers, signs in and unlocks private keys that match the published public keys', async () => {
    const registration = await client.register('Amaru-1', 'correct horse battery staple');
    assert.equal(registration.handle, 'amaru-1');
    assert.equal(registration.recoveryWords.split(' ').length, 24);
    const account = await client.signIn('amaru-1', 'correct horse battery staple', 'phone');
    assert.equal(account.accountId, registration.accountId);
    assert.equal(client.sodium.to_base64(account.keys.box.publicKey), account.publicKeys.boxPublicKey);
    const { sessions } = await account.listSessions();
    assert.equal(sessions.length, 1);
    assert.equal(sessions[0]?.deviceLabel, 'phone');
    assert.equal(sessions[0]?.current, true);
  });

  it('refuses a second account with the same handle and keeps the first untouched', async () => {
    await client.register('taken-handle', 'first password here');
    await rejectsWithCode(client.register('TAKEN-handle', 'second password'), 409, 'handle_taken');
    await client.signIn('taken-handle', 'first password here');
  });

  it('gives unknown handles stable fake KDF parameters shaped like real ones', async () => {
    await client.register('real-person', 'a long pass phrase');
    const real = await request(service.app).get('/v1/accounts/prelogin?handle=real-person').expect(200);
    const fake1 = await request(service.app).get('/v1/accounts/prelogin?handle=nobody-here').expect(200);
    const fake2 = await request(service.app).get('/v1/accounts/prelogin?handle=nobody-here').expect(200);
    const other = await request(service.app).get('/v1/accounts/prelogin?handle=nobody-else').expect(200);
    assert.deepEqual(fake1.body, fake2.body);
    assert.notEqual(fake1.body.kdf.salt, other.body.kdf.salt);
    assert.deepEqual(Object.keys(fake1.body.kdf).sort(), Object.keys(real.body.kdf).sort());
    assert.equal(fake1.body.kdf.salt.length, real.body.kdf.salt.length);
    assert.equal(fake1.body.kdf.opslimit, real.body.kdf.opslimit);
    assert.equal(fake1.body.kdf.memlimit, real.body.kdf.memlimit);
  });

  it('answers a wrong password and an unknown handle with the same error', async () => {
    await client.register('careful-one', 'the right password');
    const wrong = await client.signIn('careful-one', 'the wrong password').catch((e: unknown) => e);
    const unknown = await client.signIn('no-such-handle', 'the wrong password').catch((e: unknown) => e);
    assert.ok(wrong instanceof MeshworkApiError && unknown instanceof MeshworkApiError);
    assert.deepEqual([wrong.status, wrong.code, wrong.message], [unknown.status, unknown.code, unknown.message]);
    assert.equal(wrong.code, 'invalid_credentials');
  });

  it('delays further attempts on a handle after repeated failures, known or unknown alike', async () => {
    await client.register('targeted', 'strong password one');
    for (const handle of ['targeted', 'ghost-handle']) {
      for (let i = 0; i < 3; i += 1) await rejectsWithCode(client.signIn(handle, `guess ${i}`), 401, 'invalid_credentials');
      const locked = await client.signIn(handle, 'guess again').catch((e: unknown) => e);
      assert.ok(locked instanceof MeshworkApiError);
      assert.equal(locked.code, 'too_many_attempts');
      assert.equal(locked.status, 429);
    }
    // Even the right password waits out the delay, then works.
    await rejectsWithCode(client.signIn('targeted', 'strong password one'), 429, 'too_many_attempts');
    service.clock.advance(10 * 60 * 1000);
    await client.signIn('targeted', 'strong password one');
  });

  it('expires a session token after its lifetime', async () => {
    await client.register('short-lived', 'password for expiry');
    const account = await client.signIn('short-lived', 'password for expiry');
    await account.listSessions();
    service.clock.advance(service.config.SESSION_TTL_SECONDS * 1000 + 1000);
    await rejectsWithCode(account.listSessions(), 401, 'unauthorized');
    service.clock.advance(-(service.config.SESSION_TTL_SECONDS * 1000 + 1000));
  });

  it('revokes one session, then signs out everywhere', async () => {
    await client.register('many-devices', 'devices password');
    const phone = await client.signIn('many-devices', 'devices password', 'phone');
    const laptop = await client.signIn('many-devices', 'devices password', 'laptop');
    const tablet = await client.signIn('many-devices', 'devices password', 'tablet');
    await phone.revokeSession(laptop.session.id);
    await rejectsWithCode(laptop.listSessions(), 401, 'unauthorized');
    assert.equal((await tablet.listSessions()).sessions.length, 2);
    assert.equal(await tablet.signOutEverywhere(), 2);
    await rejectsWithCode(phone.listSessions(), 401, 'unauthorized');
  });

  it("cannot revoke another account's session and does not reveal that it exists", async () => {
    await client.register('mine-only', 'password mine');
    await client.register('someone-else', 'password theirs');
    const me = await client.signIn('mine-only', 'password mine');
    const them = await client.signIn('someone-else', 'password theirs');
    await rejectsWithCode(me.revokeSession(them.session.id), 404, 'not_found');
    await rejectsWithCode(me.revokeSession('000000000000000000000000'), 404, 'not_found');
    await them.listSessions();
  });

  it('changes the password: the old one stops working, other sessions close, the keys still unlock', async () => {
    await client.register('changer', 'old password 123');
    const other = await client.signIn('changer', 'old password 123');
    const current = await client.signIn('changer', 'old password 123');
    const renewed = await current.changePassword('old password 123', 'new password 456');
    await rejectsWithCode(other.listSessions(), 401, 'unauthorized');
    await renewed.listSessions();
    await rejectsWithCode(client.signIn('changer', 'old password 123'), 401, 'invalid_credentials');
    const again = await client.signIn('changer', 'new password 456');
    assert.deepEqual(again.keys.sign.privateKey, renewed.keys.sign.privateKey);
  });

  it('refuses a password change with the wrong current password and changes nothing', async () => {
    await client.register('stolen-token', 'real password');
    const account = await client.signIn('stolen-token', 'real password');
    await rejectsWithCode(account.changePassword('attacker guess', 'attacker password'), 401, 'invalid_credentials');
    await client.signIn('stolen-token', 'real password');
  });

  it('recovers a lost password with the recovery words, and the recovery session can do nothing else', async () => {
    const { recoveryWords } = await client.register('forgetful', 'forgotten password');
    const before = await client.signIn('forgetful', 'forgotten password');
    const recovery = await request(service.app).post('/v1/sessions/recovery').send({ handle: 'forgetful', recoveryAuthKey: 'A'.repeat(43) });
    assert.equal(recovery.status, 401);
    const restored = await client.recoverAccount('forgetful', recoveryWords, 'brand new password');
    assert.deepEqual(restored.account.keys.box.privateKey, before.keys.box.privateKey);
    await client.signIn('forgetful', 'brand new password');
    await rejectsWithCode(client.signIn('forgetful', 'forgotten password'), 401, 'invalid_credentials');
  });

  it('replaces the recovery words when they are used: the old words stop working, the new ones open the same keys', async () => {
    const { recoveryWords } = await client.register('recovered-twice', 'first password');
    const before = await client.signIn('recovered-twice', 'first password');
    const first = await client.recoverAccount('recovered-twice', recoveryWords, 'second password');
    assert.equal(first.recoveryWords.split(' ').length, 24);
    assert.notEqual(first.recoveryWords, recoveryWords);
    await rejectsWithCode(client.recoverAccount('recovered-twice', recoveryWords, 'attacker password'), 401, 'invalid_credentials');
    await client.signIn('recovered-twice', 'second password');
    const second = await client.recoverAccount('recovered-twice', first.recoveryWords, 'third password');
    assert.deepEqual(second.account.keys.sign.privateKey, before.keys.sign.privateKey);
    await rejectsWithCode(client.recoverAccount('recovered-twice', first.recoveryWords, 'attacker password'), 401, 'invalid_credentials');
    await client.signIn('recovered-twice', 'third password');
  });

  it('shows recovery words in Spanish and takes them back typed without accents, giving new words in French', async () => {
    const { recoveryWords } = await client.register('palabras', 'contraseña larga', { wordsLanguage: 'es' });
    const before = await client.signIn('palabras', 'contraseña larga');
    assert.equal(recoveryWords.split(' ').length, 24);
    const typedOnAPhoneWithoutAccents = recoveryWords.normalize('NFKD').replace(/\p{M}/gu, '');
    const recovered = await client.recoverAccount('palabras', typedOnAPhoneWithoutAccents, 'nouveau mot de passe', { wordsLanguage: 'fr' });
    assert.deepEqual(recovered.account.keys.box.privateKey, before.keys.box.privateKey);
    assert.notEqual(recovered.recoveryWords, recoveryWords);
    const inList = async (list: string, words: string) => {
      const { wordlist } = (await import(`@scure/bip39/wordlists/${list}.js`)) as { wordlist: string[] };
      return words.split(' ').every((w) => wordlist.includes(w.normalize('NFKD')));
    };
    assert.ok(await inList('spanish', recoveryWords), 'shown in Spanish');
    assert.ok(await inList('french', recovered.recoveryWords), 'the new words in French');
    const again = await client.recoverAccount('palabras', recovered.recoveryWords, 'otra contraseña larga');
    assert.deepEqual(again.account.keys.box.privateKey, before.keys.box.privateKey);
  });

  it('refuses a new password from a recovery session that does not replace the recovery key, and changes nothing', async () => {
    const { recoveryWords } = await client.register('keeps-words', 'old password');
    const { deriveFromRecoveryKey, newKdfParams } = await import('../src/client/crypto/account-keys');
    const { wordsToRecoveryKey } = await import('../src/client/recovery-words');
    const derived = deriveFromRecoveryKey(client.sodium, wordsToRecoveryKey(recoveryWords));
    const opened = await request(service.app).post('/v1/sessions/recovery').send({ handle: 'keeps-words', recoveryAuthKey: client.sodium.to_base64(derived.authKey) }).expect(201);
    const account = await mongoose.connection.db!.collection('accounts').findOne({ handle: 'keeps-words' });
    const { nonce, ciphertext } = account!.encryptedPrivateKeys as { nonce: string; ciphertext: string };
    const body = { kdf: newKdfParams(client.sodium), authKey: client.sodium.to_base64(client.sodium.randombytes_buf(32)), encryptedPrivateKeys: { nonce, ciphertext } };
    const res = await request(service.app).put('/v1/account/password').set('authorization', `Bearer ${opened.body.token}`).send(body);
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal(res.body.error.code, 'recovery_rotation_required', JSON.stringify(res.body));
    assert.deepEqual(await mongoose.connection.db!.collection('accounts').findOne({ handle: 'keeps-words' }), account);
    await client.signIn('keeps-words', 'old password');
    await client.recoverAccount('keeps-words', recoveryWords, 'new password');
  });

  it('lets a recovery session only set a new password', async () => {
    const { recoveryWords } = await client.register('recovering', 'some password');
    const { deriveFromRecoveryKey } = await import('../src/client/crypto/account-keys');
    const { wordsToRecoveryKey } = await import('../src/client/recovery-words');
    const derived = deriveFromRecoveryKey(client.sodium, wordsToRecoveryKey(recoveryWords));
    const opened = await request(service.app)
      .post('/v1/sessions/recovery')
      .send({ handle: 'recovering', recoveryAuthKey: client.sodium.to_base64(derived.authKey) })
      .expect(201);
    const listed = await request(service.app).get('/v1/sessions').set('authorization', `Bearer ${opened.body.token}`);
    assert.equal(listed.status, 403);
    assert.equal(listed.body.error.code, 'recovery_session_restricted');
  });

  it('deletes the account and everything it owns, and the token stops working', async () => {
    await client.register('panic-wipe', 'wipe password');
    const account = await client.signIn('panic-wipe', 'wipe password');
    await client.signIn('panic-wipe', 'wipe password');
    await rejectsWithCode(account.deleteAccount('not the password'), 401, 'invalid_credentials');
    const id = new mongoose.Types.ObjectId(account.accountId);
    await account.deleteAccount('wipe password');
    assert.equal(await mongoose.connection.db!.collection('accounts').countDocuments({ _id: id }), 0);
    assert.equal(await mongoose.connection.db!.collection('sessions').countDocuments({ accountId: id }), 0);
    await rejectsWithCode(client.signIn('panic-wipe', 'wipe password'), 401, 'invalid_credentials');
  });

  it('keeps no password, auth key or private key in clear in the database', async () => {
    const password = 'Plaintext-Marker-Password-42';
    const { recoveryWords } = await client.register('raw-check', password);
    const account = await client.signIn('raw-check', password);
    const { kdf } = (await request(service.app).get('/v1/accounts/prelogin?handle=raw-check')).body;
    const { deriveFromPassword } = await import('../src/client/crypto/account-keys');
    const { authKey, keyEncryptionKey } = deriveFromPassword(client.sodium, password, kdf);
    const dump = await rawDump();
    const s = client.sodium;
    const secrets = {
      password,
      recoveryWords,
      firstRecoveryWord: `${recoveryWords.split(' ').slice(0, 3).join(' ')}`,
      authKey: s.to_base64(authKey),
      authKeyHex: Buffer.from(authKey).toString('hex'),
      authKeyStd: Buffer.from(authKey).toString('base64'),
      keyEncryptionKey: s.to_base64(keyEncryptionKey),
      boxPrivateKey: s.to_base64(account.keys.box.privateKey),
      signPrivateKey: s.to_base64(account.keys.sign.privateKey),
      signSeed: s.to_base64(account.keys.sign.privateKey.slice(0, 32)),
      token: account.token,
    };
    for (const [name, secret] of Object.entries(secrets)) assert.ok(!dump.includes(secret), `${name} found in the raw database`);
    assert.ok(dump.includes(account.publicKeys.boxPublicKey), 'the dump should contain the public key (the check reads real data)');
  });

  it('refuses KDF parameters weaker than 3 passes and 64 MiB before sending anything', async () => {
    let posted = false;
    const weakServer = MeshworkClient.connect({
      baseUrl: 'http://weak.invalid',
      fetch: async (url, init) => {
        if (init?.method === 'POST') posted = true;
        const body = url.includes('prelogin') ? { kdf: { algorithm: 'argon2id13', opslimit: 1, memlimit: 8192, salt: 'AAAAAAAAAAAAAAAAAAAAAA' } } : {};
        return { status: 200, ok: true, text: async () => JSON.stringify(body), headers: { get: () => null } };
      },
    });
    await assert.rejects((await weakServer).signIn('anyone', 'password'), WeakKdfParametersError);
    assert.equal(posted, false);
  });

  it('refuses KDF parameters above its ceiling, which would only hang the device, before running them', async () => {
    for (const kdf of [{ opslimit: 11, memlimit: 64 * 1024 * 1024 }, { opslimit: 3, memlimit: 4 * 1024 * 1024 * 1024 }]) {
      let posted = false;
      const hostileServer = MeshworkClient.connect({
        baseUrl: 'http://hostile.invalid',
        fetch: async (url, init) => {
          if (init?.method === 'POST') posted = true;
          const body = url.includes('prelogin') ? { kdf: { algorithm: 'argon2id13', ...kdf, salt: 'AAAAAAAAAAAAAAAAAAAAAA' } } : {};
          return { status: 200, ok: true, text: async () => JSON.stringify(body), headers: { get: () => null } };
        },
      });
      await assert.rejects((await hostileServer).signIn('anyone', 'password'), ExcessiveKdfParametersError);
      assert.equal(posted, false);
    }
  });
});
