import assert from 'node:assert/strict';
import { Types } from 'mongoose';
import request from 'supertest';
import { sealDuress } from '../src/alerts/alert-secrets';
import { AlertModel } from '../src/alerts/alert.model';
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

  it("lists the newest 50 of all members' alerts together, newest first, without alerts still opening or the coordinator's own", async () => {
    const client = await MeshworkClient.connect({ baseUrl: service.baseUrl });
    const [coordinator, ana, bea] = await Promise.all(['coord-50', 'ana-50', 'bea-50'].map((h) => signUp(client, h)));
    const team = await teamOf('Cincuenta', coordinator!, [ana!, bea!]);
    const cipher = service.services.fieldCipher;
    const start = service.clock.now().getTime();
    // Stored as the scheduler stores them, each at its own minute: ana's and bea's interleave in time.
    const alert = (owner: string, minutesAgo: number, state = 'resolved') => {
      const at = new Date(start - minutesAgo * 60_000);
      return { _id: new Types.ObjectId(), ownerId: new Types.ObjectId(owner), occurrenceKey: `fifty-${owner}-${minutesAgo}`, state, encryptedDuress: sealDuress(cipher, { duress: false, coverResolvedAt: null }), delayed: false, missedAt: at, dueAt: at, tierIndex: 0, round: 0, encryptedDisplayName: cipher.encrypt('X'), encryptedAlertMessage: cipher.encrypt('Y'), timeZone: 'UTC', createdAt: at, updatedAt: at };
    };
    const members = [ana!, bea!].map((p) => p.account.accountId);
    const stored = Array.from({ length: 60 }, (_, n) => alert(members[n % 2]!, 10 + n));
    await AlertModel.collection.insertMany([...stored, alert(members[0]!, 1, 'opening'), alert(coordinator!.account.accountId, 2)]);

    const seen = await request(service.app).get(`/v1/teams/${team.teamId}/alerts`).set('authorization', `Bearer ${coordinator!.account.token}`).expect(200);
    const newest = stored.slice(0, 50);
    assert.deepEqual(seen.body.alerts.map((a: { id: string }) => a.id), newest.map((a) => String(a._id)));
    assert.deepEqual(seen.body.alerts.slice(0, 4).map((a: { ownerHandle: string }) => a.ownerHandle), ['ana-50', 'bea-50', 'ana-50', 'bea-50']);
  });
});
