import assert from 'node:assert/strict';
import request from 'supertest';
import { MeshworkClient } from '../src/client';
import { startTestService, type TestService } from './support/service';
import { countAll } from './support/raw-database';
import { signUp, teamOf } from './support/teams';

describe('Team ids are minted by the server, so POST /v1/teams is no existence oracle', function () {
  let service: TestService;

  before(async function () {
    service = await startTestService();
  });
  after(async () => service.close());

  it('answers a taken team id exactly like an unminted, expired or foreign one, and changes nothing', async () => {
    let createBody: Record<string, unknown> = {};
    const capturing = await MeshworkClient.connect({
      baseUrl: service.baseUrl,
      fetch: async (url, init) => {
        if (init?.method === 'POST' && String(url).endsWith('/v1/teams')) createBody = JSON.parse(init.body ?? '{}');
        return fetch(url, init);
      },
    });
    const client = await MeshworkClient.connect({ baseUrl: service.baseUrl });
    const coordinator = await signUp(capturing, 'minting-coord');
    const removed = await signUp(client, 'removed-member');
    const team = await teamOf('Red', coordinator, [removed]);
    await team.remove('removed-member');
    const post = (token: string, body: unknown) => request(service.app).post('/v1/teams').set('authorization', `Bearer ${token}`).send(body as object);
    const mint = async (token: string) => (await request(service.app).post('/v1/team-ids').set('authorization', `Bearer ${token}`).expect(201)).body.teamId as string;

    const freshForRemoved = await mint(removed.account.token);
    const expired = await mint(removed.account.token);
    const before = await countAll();
    const answers: Array<[string, { status: number; body: unknown }]> = [];
    const record = async (name: string, token: string, body: unknown) => {
      const res = await post(token, body);
      answers.push([name, { status: res.status, body: res.body }]);
    };
    // The creator replays her own create (her minted id, valid signature): the id is taken.
    await record('the taken id, replayed by its creator', coordinator.account.token, createBody);
    // The removed member probes with the team's id, and with ids that name no team.
    await record("the existing team's id, from a removed member", removed.account.token, { ...createBody, teamId: team.teamId });
    await record('a random id', removed.account.token, { ...createBody, teamId: 'a1b2c3d4e5f60718293a4b5c' });
    await record('an id minted for someone else', coordinator.account.token, { ...createBody, teamId: freshForRemoved });
    service.clock.advance(16 * 60_000);
    await record('an expired minted id', removed.account.token, { ...createBody, teamId: expired });
    for (const [name, answer] of answers) assert.deepEqual(answer, answers[0]![1], name);
    assert.equal(answers[0]![1].status, 400);
    assert.equal((answers[0]![1].body as { error: { code: string } }).error.code, 'team_id_refused');
    assert.deepEqual(await countAll(), before);
  });

  it('creates a team with a freshly minted id through the client', async () => {
    const client = await MeshworkClient.connect({ baseUrl: service.baseUrl });
    const ana = await signUp(client, 'fresh-creator');
    const team = await ana.teams.create('Nueva red');
    assert.match(team.teamId, /^[0-9a-f]{24}$/);
    assert.equal(team.name, 'Nueva red');
  });
});
