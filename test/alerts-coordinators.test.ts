import assert from 'node:assert/strict';
import request from 'supertest';
import { CheckInsApi, ContactsApi, MeshworkClient } from '../src/client';
import { startTestService, type TestService } from './support/service';
import { signUp, teamOf } from './support/teams';

describe("Team coordinators see members' alerts", function () {
  let service: TestService;

  before(async function () {
    service = await startTestService();
  });
  after(async () => service.close());

  it('shows a coordinator a member’s duress alert and its timeline, and nobody else', async () => {
    const client = await MeshworkClient.connect({ baseUrl: service.baseUrl });
    const [coordinator, defender, member, outsider] = await Promise.all(['coord', 'defender', 'member', 'outsider'].map((h) => signUp(client, h)));
    const team = await teamOf('Red de apoyo', coordinator!, [defender!, member!]);
    const checkIns = new CheckInsApi(defender!.account.api);
    await checkIns.setProfile({ displayName: 'Ana', timeZone: 'UTC', language: 'es', pin: '2468', duressPin: '1357' });
    await new ContactsApi(defender!.account.api).add({ name: 'Bea', phone: '+447400123555', language: 'es', tier: 1 });
    const { checkIn } = await checkIns.schedule({ schedule: { kind: 'interval', everyHours: 3 }, graceMinutes: 5, alertMessage: 'Llama a Rosa.' });
    await checkIns.checkIn(checkIn.id, '1357');
    await service.services.scheduler.tick();

    assert.deepEqual(await checkIns.alerts(), [], "the defender's own phone shows nothing");
    const seen = await request(service.app).get(`/v1/teams/${team.teamId}/alerts`).set('authorization', `Bearer ${coordinator!.account.token}`).expect(200);
    assert.equal(seen.body.alerts.length, 1);
    assert.equal(seen.body.alerts[0].duress, true);
    assert.equal(seen.body.alerts[0].ownerHandle, 'defender');
    const timeline = await request(service.app).get(`/v1/teams/${team.teamId}/alerts/${seen.body.alerts[0].id}/timeline`).set('authorization', `Bearer ${coordinator!.account.token}`).expect(200);
    assert.ok(timeline.body.timeline.some((e: { kind: string }) => e.kind === 'duress'));
    for (const person of [member!, outsider!, defender!]) {
      const res = await request(service.app).get(`/v1/teams/${team.teamId}/alerts`).set('authorization', `Bearer ${person.account.token}`);
      assert.equal(res.status, 404, person.account.handle);
      const tl = await request(service.app).get(`/v1/teams/${team.teamId}/alerts/${seen.body.alerts[0].id}/timeline`).set('authorization', `Bearer ${person.account.token}`);
      assert.equal(tl.status, 404);
    }
  });
});
