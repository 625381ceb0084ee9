import assert from 'node:assert/strict';
import request from 'supertest';
import { CheckInsApi, ContactsApi, MeshworkClient, TeamNetworkApi } from '../src/client';
import { startTestService, type TestService } from './support/service';
import { countAll } from './support/raw-database';
import { signUp, teamOf, type Person } from './support/teams';

// Public by design (inviting someone needs her keys), and answered alike for every handle the caller could guess.
// Valid bodies for operations the set-up does not exercise, so the id (not the body) decides the answer.
const FALLBACK_BODIES: Record<string, unknown> = {
  'POST /v1/check-ins/{checkInId}/check-in': { pin: '2468' },
  'POST /v1/check-ins/{checkInId}/cancel': { pin: '2468' },
  'POST /v1/check-ins/{checkInId}/extend': { pin: '2468', minutes: 30 },
  'PATCH /v1/contacts/{contactId}': { tier: 3 },
};

const PUBLIC_BY_DESIGN = new Set(['GET /v1/accounts/{handle}/public-keys']);

describe("Every route of the OpenAPI document answers another account's ids exactly like ids that do not exist", function () {
  let service: TestService;
  const captured = new Map<string, unknown>();
  let owner: Person;
  let outsider: Person;
  const foreign: Record<string, string> = {};
  let templates: string[] = [];

  const templateOf = (path: string) => templates.find((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path));

  before(async function () {
    service = await startTestService();
    const doc = (await request(service.app).get('/openapi.json').expect(200)).body as { paths: Record<string, unknown> };
    templates = Object.keys(doc.paths);
    const capturing = await MeshworkClient.connect({
      baseUrl: service.baseUrl,
      fetch: async (url, init) => {
        const path = new URL(String(url)).pathname;
        const template = templateOf(path);
        if (template && init?.method && init.method !== 'GET' && init.body) captured.set(`${init.method} ${template}`, JSON.parse(init.body));
        return fetch(url, init);
      },
    });
    const client = await MeshworkClient.connect({ baseUrl: service.baseUrl });
    owner = await signUp(capturing, 'foreign-owner');
    const member = await signUp(capturing, 'foreign-member');
    outsider = await signUp(client, 'foreign-outsider');
    const team = await teamOf('Red', owner, [member]);
    const document = await team.vault.create('incident', { occurredAt: '2025-02-01T09:00:00Z', place: 'market', description: 'incident', actors: ['unknown'] });
    await team.vault.update(document.documentId, { occurredAt: '2025-02-01T09:00:00Z', place: 'market', description: 'incident, edited', actors: ['unknown'] });
    const checkIns = new CheckInsApi(member.account.api);
    await checkIns.setProfile({ displayName: 'Ana', timeZone: 'UTC', language: 'en', pin: '2468', duressPin: '1357' });
    const contact = await new ContactsApi(member.account.api).add({ name: 'Bea', phone: '+447400126001', language: 'en', tier: 1 });
    const { checkIn } = await checkIns.schedule({ schedule: { kind: 'interval', everyHours: 3 }, graceMinutes: 5, alertMessage: 'Call Rosa.' });
    await checkIns.checkIn(checkIn.id, '1357'); // a duress alert: an alert id that exists
    await service.services.scheduler.tick();
    const alertId = (await request(service.app).get(`/v1/teams/${team.teamId}/alerts`).set('authorization', `Bearer ${owner.account.token}`).expect(200)).body.alerts[0]?.id as string | undefined;
    const sessions = (await request(service.app).get('/v1/sessions').set('authorization', `Bearer ${owner.account.token}`).expect(200)).body.sessions as Array<{ id: string }>;
    const network = new TeamNetworkApi(owner.account.api);
    await network.setSmsName(team.teamId, 'Red');
    const responder = await network.add(team.teamId, { name: 'Marta', phone: '+447400126002', language: 'en', role: 'lawyer' });
    Object.assign(foreign, { responderId: responder.id, teamId: team.teamId, documentId: document.documentId, version: '1', contactId: contact.id, checkInId: checkIn.id, sessionId: sessions[0]!.id });
    // A duress alert is hidden from its owner but listed for the team's coordinator.
    foreign.alertId = alertId ?? '';
    assert.ok(foreign.alertId, 'an alert exists to probe');
  });
  after(async () => service.close());

  it('walks every operation with a path id and answers 404 not_found to an outsider, for foreign and missing ids alike, changing nothing', async () => {
    const doc = (await request(service.app).get('/openapi.json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    const missing: Record<string, string> = { version: '999999' };
    let probed = 0;
    for (const [template, operations] of Object.entries(doc.paths)) {
      const names = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
      if (names.length === 0) continue;
      for (const method of Object.keys(operations)) {
        const key = `${method.toUpperCase()} ${template}`;
        if (PUBLIC_BY_DESIGN.has(key)) continue;
        for (const name of names) assert.ok(foreign[name] !== undefined, `${key}: the test has no foreign value for {${name}}: add one`);
        const fill = (values: (name: string) => string) => template.replace(/\{([^}]+)\}/g, (_m, name: string) => values(name));
        const body = captured.get(key) ?? FALLBACK_BODIES[key];
        const send = (path: string) => {
          const req = (request(service.app) as unknown as Record<string, (u: string) => request.Test>)[method]!(path).set('authorization', `Bearer ${outsider.account.token}`);
          return body === undefined ? req : req.send(body as object);
        };
        const before = await countAll();
        const theirs = await send(fill((n) => foreign[n]!));
        const none = await send(fill((n) => missing[n] ?? '0123456789abcdef01234567'));
        assert.equal(theirs.status, 404, `${key} with another account's ids: ${theirs.status} ${JSON.stringify(theirs.body)}`);
        assert.equal(theirs.body.error.code, 'not_found', key);
        assert.deepEqual({ status: none.status, body: { ...none.body, error: { ...none.body.error, requestId: undefined } } }, { status: theirs.status, body: { ...theirs.body, error: { ...theirs.body.error, requestId: undefined } } }, key);
        assert.deepEqual(await countAll(), before, key);
        probed += 1;
      }
    }
    assert.ok(probed >= 15, `probed ${probed} operations`);
  });
});
