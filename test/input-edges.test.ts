import assert from 'node:assert/strict';
import request from 'supertest';
import { CheckInsApi, MeshworkClient } from '../src/client';
import { startTestService, type TestService } from './support/service';
import { countAll } from './support/raw-database';
import { signUp, teamOf, type Person } from './support/teams';

describe('Numbers are decimal and text is well-formed Unicode at the edge', function () {
  let service: TestService;
  let ana: Person;
  let teamId = '';
  let documentId = '';

  before(async function () {
    service = await startTestService();
    const client = await MeshworkClient.connect({ baseUrl: service.baseUrl });
    ana = await signUp(client, 'edges-ana');
    const team = await teamOf('Red', ana, []);
    teamId = team.teamId;
    documentId = (await team.vault.create('incident', { occurredAt: '2025-02-01T09:00:00Z', place: 'market', description: 'incident', actors: ['unknown'] })).documentId;
    await new CheckInsApi(ana.account.api).setProfile({ displayName: 'Ana', timeZone: 'UTC', language: 'en', pin: '2468', duressPin: '1357' });
  });
  after(async () => service.close());

  const get = (path: string) => request(service.app).get(path).set('authorization', `Bearer ${ana.account.token}`);

  it('reads query integers in decimal digits only: 0x10, 1e3, +5, " 5" and 5.0 get 400', async () => {
    assert.equal((await get(`/v1/teams/${teamId}/log?limit=16`)).status, 200);
    assert.equal((await get(`/v1/teams/${teamId}/documents?limit=10`)).status, 200);
    for (const value of ['0x10', '1e3', '%2B5', '%205', '5.0', '010', '', '99999999999999999999']) {
      for (const path of [`/v1/teams/${teamId}/log?limit=${value}`, `/v1/teams/${teamId}/log?afterSeq=${value}`, `/v1/teams/${teamId}/documents?limit=${value}`, `/v1/teams/${teamId}/documents/${documentId}/versions?beforeVersion=${value}`]) {
        const res = await get(path);
        assert.equal(res.status, 400, `${path}: ${res.status}`);
        assert.equal(res.body.error.code, 'validation_failed');
      }
    }
  });

  it('answers a path integer that is not decimal (versions/0x1) like an unknown version: 404', async () => {
    assert.equal((await get(`/v1/teams/${teamId}/documents/${documentId}/versions/1`)).status, 200);
    for (const value of ['0x1', '1e0', '01', '%2B1']) assert.equal((await get(`/v1/teams/${teamId}/documents/${documentId}/versions/${value}`)).status, 404, value);
  });

  it('refuses a lone UTF-16 surrogate in any text field with 400 and changes nothing, and keeps paired ones (emoji)', async () => {
    const put = (json: string) => request(service.app).put('/v1/check-in-profile').set('authorization', `Bearer ${ana.account.token}`).set('content-type', 'application/json').send(json);
    const contact = (json: string) => request(service.app).post('/v1/contacts').set('authorization', `Bearer ${ana.account.token}`).set('content-type', 'application/json').send(json);
    const cases: Array<[string, () => request.Test]> = [
      ['a high surrogate alone', () => put('{"displayName":"Ana\\ud800","timeZone":"UTC","language":"en"}')],
      ['a low surrogate alone', () => put('{"displayName":"\\udc00Ana","timeZone":"UTC","language":"en"}')],
      ['two high surrogates', () => put('{"displayName":"\\ud83c\\ud83c","timeZone":"UTC","language":"en"}')],
      ['a surrogate in a contact name', () => contact('{"name":"Bea\\udfff","phone":"+447400123456","language":"en","tier":1}')],
      ['a surrogate in an object key', () => put('{"displayName":"Ana","timeZone":"UTC","language":"en","\\ud800":1}')],
    ];
    for (const [name, send] of cases) {
      const before = await countAll();
      const res = await send();
      assert.equal(res.status, 400, name);
      assert.equal(res.body.error.code, 'validation_failed', name);
      assert.deepEqual(await countAll(), before, name);
    }
    const emoji = await put('{"displayName":"Ana \\ud83c\\udf38","timeZone":"UTC","language":"en","currentPin":"2468"}');
    assert.equal(emoji.status, 200);
    assert.equal(emoji.body.displayName, 'Ana 🌸');
  });
});
