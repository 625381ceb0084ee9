import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import request from 'supertest';
import { TeamNetworkApi, type CheckInsApi } from '../src/client';
import { safetyWorld, withCheckInProfile } from './support/defenders';
import { countAll, rawDump } from './support/raw-database';
import { rejectsWithCode, signUp, teamOf, type Person } from './support/teams';

const MINUTE = 60_000;
const TIER_WAIT_SECONDS = 600;

describe("A team's urgent-action network", function () {
  const world = safetyWorld({
    config: { ESCALATION_TIER_WAIT_SECONDS: TIER_WAIT_SECONDS, ESCALATION_REPEATS: 0 },
    phones: { prefix: '+447400125', after: 700 },
  });
  const { clock, fake, target, tick, newPhone, optedInContact } = world;
  const reply = async (from: string, body: string) => /<Message>([\s\S]*)<\/Message>/.exec((await fake.inbound(target, from, body)).text)?.[1]?.replace(/&apos;/g, "'") ?? null;
  const refIn = (text: string, word: string) => new RegExp(`${word} ([0-9A-Z]{2,3})\\b`).exec(text)?.[1];
  const alertsTo = (phone: string) => fake.to(phone).filter((m) => m.body.startsWith('MESHWORK ALERT'));
  const responderState = async (id: string) => (await mongoose.connection.db!.collection('teamresponders').findOne({ _id: new mongoose.Types.ObjectId(id) }))?.state;

  /** A team whose coordinator set its SMS name, and a member with a check-in profile and one contact of her own. */
  async function setUp(tag: string, smsName: string) {
    const [coordinator, member] = await Promise.all([`${tag}-coord`, `${tag}-member`].map((h) => signUp(world.client, h))) as [Person, Person];
    const team = await teamOf(`${tag} team`, coordinator, [member]);
    const network = new TeamNetworkApi(coordinator.account.api);
    await network.setSmsName(team.teamId, smsName);
    const { checkIns, contacts } = await withCheckInProfile(member.account, { timeZone: 'America/Mexico_City' });
    const { phone: own, reply: consent } = await optedInContact({ contacts }, 'Bea', 1);
    assert.match(consent ?? '', /only get a text if Ana/);
    return { coordinator, member, team, network, checkIns, own, memberNetwork: new TeamNetworkApi(member.account.api) };
  }

  async function optedInResponder(network: TeamNetworkApi, teamId: string, name: string, phone = newPhone()) {
    const responder = await network.add(teamId, { name, phone, language: 'en', role: 'lawyer' });
    await tick();
    const invitation = fake.to(phone).at(-1)!;
    const ref = refIn(invitation.body, 'YES')!;
    assert.match(await reply(phone, `YES ${ref}`) ?? '', /urgent-action network of/);
    return { ...responder, phone, ref };
  }

  async function missedCheckIn(checkIns: CheckInsApi) {
    const dueAt = new Date(clock.now().getTime() + 30 * MINUTE).toISOString();
    await checkIns.schedule({ schedule: { kind: 'once', dueAt }, graceMinutes: 10, alertMessage: 'Call the collective.' });
    clock.advance(40 * MINUTE + 10_000);
    await tick();
  }

  it("invites a responder by the team's SMS name, never its real name, with a code, and keeps name, role and number encrypted", async () => {
    const { network, team } = await setUp('invite', 'Red Mesoamericana');
    const phone = newPhone();
    const responder = await network.add(team.teamId, { name: 'Lic. Marta Ruiz', phone, language: 'es', role: 'abogada del colectivo' });
    assert.equal(responder.state, 'invited');
    assert.equal(responder.phoneHint.slice(-3), phone.slice(-3));
    await tick();
    const [invitation] = fake.to(phone);
    assert.match(invitation!.body, /^Red Mesoamericana te suma a su red de accion urgente en Meshwork: .* Responde SI [0-9A-Z]{2} para aceptar, LEAVE [0-9A-Z]{2} para rechazar\.$/);
    assert.ok(!invitation!.body.includes('invite team'), "the team's real name is never texted");
    const raw = await rawDump();
    for (const secret of ['Lic. Marta Ruiz', 'abogada del colectivo', phone.slice(1), 'Red Mesoamericana']) assert.ok(!raw.includes(secret), secret);
    assert.deepEqual((await network.get(team.teamId)).responders.map((r) => [r.name, r.role, r.state]), [['Lic. Marta Ruiz', 'abogada del colectivo', 'invited']]);
  });

  it("alerts the team's opted-in responders after the member's own tiers, and a removal takes effect on the next tier", async () => {
    const { network, team, checkIns, own, memberNetwork, coordinator } = await setUp('escalate', 'Red Sur');
    const lawyer = await optedInResponder(network, team.teamId, 'Marta');
    const journalist = await optedInResponder(network, team.teamId, 'Lupe');
    assert.deepEqual(await memberNetwork.choose({ teamId: team.teamId, atTier: null }), { teamId: team.teamId, atTier: null });
    await missedCheckIn(checkIns);
    assert.equal(alertsTo(own).length, 1, 'her own tier 1 first');
    assert.equal(alertsTo(lawyer.phone).length, 0, 'the team network waits for her own tiers');

    await network.remove(team.teamId, journalist.id);
    clock.advance(TIER_WAIT_SECONDS * 1000);
    await tick();
    assert.equal(alertsTo(lawyer.phone).length, 1, "then the team's network");
    assert.match(alertsTo(lawyer.phone)[0]!.body, new RegExp(`^MESHWORK ALERT: Ana did not check in .* Reply ACK ${lawyer.ref} if you will act on this\\.$`));
    assert.equal(alertsTo(journalist.phone).length, 0, 'the responder removed before that tier is not texted');

    assert.match(await reply(lawyer.phone, `ACK ${lawyer.ref}`) ?? '', /thank you for acting on the alert for Ana/);
    const alert = await mongoose.connection.db!.collection('alerts').findOne({ acknowledgedByContactId: new mongoose.Types.ObjectId(lawyer.id) });
    assert.equal(alert?.state, 'acknowledged');
    await tick();
    assert.match(fake.to(own).at(-1)!.body, /^Meshwork: Marta is acting on the alert for Ana\./, 'her own contact hears who is handling it');
    const seen = await request(world.service.app).get(`/v1/teams/${team.teamId}/alerts`).set('authorization', `Bearer ${coordinator.account.token}`).expect(200);
    assert.equal(seen.body.alerts[0].acknowledgedBy, 'Marta', "the team's coordinators see the alert as today");
  });

  it('lets a responder leave one team with LEAVE and its code while staying in another', async () => {
    const phone = newPhone();
    const one = await setUp('leave-one', 'Red Norte');
    const two = await setUp('leave-two', 'Red Centro');
    const inOne = await optedInResponder(one.network, one.team.teamId, 'Marta', phone);
    const inTwo = await optedInResponder(two.network, two.team.teamId, 'Marta', phone);
    assert.notEqual(inOne.ref, inTwo.ref);
    const which = await reply(phone, 'LEAVE');
    assert.ok(which?.includes(`Red Norte (LEAVE ${inOne.ref})`) && which.includes(`Red Centro (LEAVE ${inTwo.ref})`), which ?? '');
    assert.deepEqual([await responderState(inOne.id), await responderState(inTwo.id)], ['opted_in', 'opted_in'], 'a bare LEAVE in two networks leaves neither');
    assert.equal(await reply(phone, `leave ${inOne.ref.toLowerCase()}`), 'Meshwork: you left the network of Red Norte. Your other networks are unchanged.');
    assert.deepEqual([await responderState(inOne.id), await responderState(inTwo.id)], ['opted_out', 'opted_in']);

    await one.memberNetwork.choose({ teamId: one.team.teamId, atTier: 1 });
    await two.memberNetwork.choose({ teamId: two.team.teamId, atTier: 1 });
    await missedCheckIn(one.checkIns);
    await missedCheckIn(two.checkIns);
    assert.equal(alertsTo(phone).length, 1, 'only the team she stayed in texts her');
    await reply(phone, 'STOP');
    assert.deepEqual([await responderState(inOne.id), await responderState(inTwo.id)], ['opted_out', 'opted_out'], 'STOP still leaves everything at once');
  });

  it("stops alerting a team's network once the member is no longer in the team", async () => {
    const { network, team, checkIns, own, memberNetwork, member } = await setUp('removed-member', 'Red Oeste');
    const lawyer = await optedInResponder(network, team.teamId, 'Marta');
    await memberNetwork.choose({ teamId: team.teamId, atTier: 1 });
    await team.remove(member.account.handle);
    await missedCheckIn(checkIns);
    assert.equal(alertsTo(own).length, 1, 'her own contacts are still alerted');
    clock.advance(TIER_WAIT_SECONDS * 1000);
    await tick();
    assert.equal(alertsTo(lawyer.phone).length, 0, "a team she left does not receive her alerts");
  });

  it("answers 404 to anyone but the team's coordinators, and to another team's ids, and refuses bad input with a stable code, writing nothing", async () => {
    const a = await setUp('authz-a', 'Red A');
    const b = await setUp('authz-b', 'Red B');
    const phoneA = newPhone();
    const responderA = await a.network.add(a.team.teamId, { name: 'Marta', phone: phoneA, language: 'en', role: 'lawyer' });
    const responderB = await b.network.add(b.team.teamId, { name: 'Lupe', phone: newPhone(), language: 'en', role: 'journalist' });
    const outsider = await signUp(world.client, 'authz-outsider');
    const before = await countAll();
    const valid = { name: 'X', phone: newPhone(), language: 'en', role: 'ally' };
    const attempts: Array<[string, Person | { account: { token: string } }, string, string, object?]> = [
      ['a plain member', a.member, 'get', `/v1/teams/${a.team.teamId}/network`],
      ['a plain member', a.member, 'post', `/v1/teams/${a.team.teamId}/network/responders`, valid],
      ['a plain member', a.member, 'put', `/v1/teams/${a.team.teamId}/network/sms-name`, { smsName: 'Mine' }],
      ['an outsider', outsider, 'get', `/v1/teams/${a.team.teamId}/network`],
      ["another team's coordinator", b.coordinator, 'get', `/v1/teams/${a.team.teamId}/network`],
      ["another team's coordinator", b.coordinator, 'delete', `/v1/teams/${a.team.teamId}/network/responders/${responderA.id}`],
      ["another team's responder id", a.coordinator, 'delete', `/v1/teams/${a.team.teamId}/network/responders/${responderB.id}`],
      ["another team's responder id", a.coordinator, 'post', `/v1/teams/${a.team.teamId}/network/responders/${responderB.id}/invitation`],
      ['an id that does not exist', a.coordinator, 'delete', `/v1/teams/${a.team.teamId}/network/responders/000000000000000000000000`],
      ['a team that does not exist', a.coordinator, 'get', '/v1/teams/000000000000000000000000/network'],
      ["another team, chosen by a member", a.member, 'put', '/v1/check-in-profile/team-network', { teamNetwork: { teamId: b.team.teamId, atTier: null } }],
    ];
    for (const [who, person, method, url, body] of attempts) {
      const res = await (request(world.service.app) as unknown as Record<string, (u: string) => request.Test>)[method]!(url).set('authorization', `Bearer ${person.account.token}`).send(body);
      assert.equal(res.status, 404, `${who}: ${method} ${url} ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, 'not_found');
    }
    const bad: Array<[string, string, string, object, number, string]> = [
      ['a landline', 'post', '/network/responders', { ...valid, phone: '+57 601 2345678' }, 400, 'invalid_phone'],
      ['no role', 'post', '/network/responders', { ...valid, role: undefined }, 400, 'validation_failed'],
      ['a name with a line break', 'post', '/network/responders', { ...valid, name: 'Marta\nSTOP' }, 400, 'validation_failed'],
      ['an unknown language', 'post', '/network/responders', { ...valid, language: 'de' }, 400, 'validation_failed'],
      ['an unknown field', 'post', '/network/responders', { ...valid, email: 'x@example.org' }, 400, 'validation_failed'],
      ['the same number twice', 'post', '/network/responders', { ...valid, phone: phoneA }, 409, 'responder_exists'],
      ['an empty SMS name', 'put', '/network/sms-name', { smsName: '  ' }, 400, 'validation_failed'],
      ['an SMS name over 30 characters', 'put', '/network/sms-name', { smsName: 'x'.repeat(31) }, 400, 'validation_failed'],
    ];
    for (const [name, method, path, body, status, code] of bad) {
      const res = await (request(world.service.app) as unknown as Record<string, (u: string) => request.Test>)[method]!(`/v1/teams/${a.team.teamId}${path}`).set('authorization', `Bearer ${a.coordinator.account.token}`).send(body);
      assert.equal(res.status, status, `${name}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, code, name);
    }
    const tier0 = await request(world.service.app).put('/v1/check-in-profile/team-network').set('authorization', `Bearer ${a.member.account.token}`).send({ teamNetwork: { teamId: a.team.teamId, atTier: 0 } });
    assert.equal(tier0.status, 400);
    assert.deepEqual(await countAll(), before, 'nothing was written');
    await rejectsWithCode(new TeamNetworkApi(outsider.account.api).get(a.team.teamId), 404, 'not_found');
  });
});
