import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import request from 'supertest';
import { TeamNetworkApi, type ContactsApi, type ScheduleCheckInInput } from '../src/client';
import { countSegments } from '../src/sms/segments';
import { safetyWorld, withCheckInProfile } from './support/defenders';
import { signUp, teamOf, type Person } from './support/teams';

const MINUTE = 60_000;
const TIER_WAIT_SECONDS = 600;

/** The reach and the preview count her team's urgent-action network by the rule the escalation follows. */
describe('The reach and the alert preview with a team network', function () {
  const world = safetyWorld({
    config: { ESCALATION_TIER_WAIT_SECONDS: TIER_WAIT_SECONDS, ESCALATION_REPEATS: 0 },
    phones: { prefix: '+447400126', after: 300 },
  });
  const { clock, fake, target, tick, newPhone } = world;
  const reply = async (from: string, body: string) => /<Message>([\s\S]*)<\/Message>/.exec((await fake.inbound(target, from, body)).text)?.[1]?.replace(/&apos;/g, "'") ?? null;
  const refIn = (text: string, word: string) => new RegExp(`${word} ([0-9A-Z]{2,3})\\b`).exec(text)?.[1];
  const alertsTo = (phone: string) => fake.to(phone).filter((m) => m.body.startsWith('MESHWORK ALERT'));
  const once = (): ScheduleCheckInInput => ({ schedule: { kind: 'once', dueAt: new Date(clock.now().getTime() + 30 * MINUTE).toISOString() }, graceMinutes: 10, alertMessage: 'Call the collective.' });
  /** The raw JSON a route answers her: what a leak would show up in. */
  const rawJson = async (person: Person, method: 'get' | 'post', url: string, body?: object) =>
    JSON.stringify((await request(world.service.app)[method](url).set('authorization', `Bearer ${person.account.token}`).send(body).expect(method === 'post' && url === '/v1/check-ins' ? 201 : 200)).body);

  /** A team with its SMS name, a member with a check-in profile (and no contact yet) who chose its network. */
  async function setUp(tag: string, smsName: string, atTier: number | null = null) {
    const [coordinator, member] = (await Promise.all([`${tag}-coord`, `${tag}-member`].map((h) => signUp(world.client, h)))) as [Person, Person];
    const team = await teamOf(`${tag} team`, coordinator, [member]);
    const network = new TeamNetworkApi(coordinator.account.api);
    await network.setSmsName(team.teamId, smsName);
    const { checkIns, contacts } = await withCheckInProfile(member.account, { timeZone: 'America/Mexico_City' });
    await new TeamNetworkApi(member.account.api).choose({ teamId: team.teamId, atTier });
    return { coordinator, member, team, network, checkIns, contacts };
  }

  async function invitedResponder(network: TeamNetworkApi, teamId: string, name: string, role = 'lawyer', phone = newPhone()) {
    const responder = await network.add(teamId, { name, phone, language: 'en', role });
    await tick();
    return { ...responder, phone, ref: refIn(fake.to(phone).at(-1)!.body, 'YES')! };
  }
  async function optedInResponder(network: TeamNetworkApi, teamId: string, name: string, role = 'lawyer') {
    const responder = await invitedResponder(network, teamId, name, role);
    assert.match((await reply(responder.phone, `YES ${responder.ref}`)) ?? '', /urgent-action network of/);
    return responder;
  }
  async function ownContact(contacts: ContactsApi, name: string, tier: number, optIn: boolean) {
    const phone = newPhone();
    await contacts.add({ name, phone, language: 'en', tier });
    await tick();
    if (optIn) assert.match((await reply(phone, 'YES')) ?? '', /only get a text if Ana/);
    return phone;
  }

  it("says someone will be alerted when her only opted-in recipients are her team network's responders, and lists them at the tier the escalation texts them", async () => {
    const { network, team, checkIns, contacts } = await setUp('only-team', 'Red Sur');
    const lawyer = await optedInResponder(network, team.teamId, 'Lic. Marta Ruiz', 'lawyer');
    await invitedResponder(network, team.teamId, 'Lupe Ortiz', 'journalist');
    await ownContact(contacts, 'Bea', 1, false);

    const preview = await checkIns.preview(once());
    assert.equal(preview.nobodyWillBeAlerted, false);
    assert.deepEqual(preview.recipients.map((r) => [r.name, r.order]), [['Bea', null]], 'her own contact has not replied YES');
    const part = preview.teamNetwork!;
    assert.deepEqual({ ...part, responders: undefined }, { status: 'counted', smsName: 'Red Sur', tier: 1, order: 1, optedIn: 1, waitingForYes: 1, responders: undefined }, 'right after her own (no) tiers: tier 1, texted first');
    assert.deepEqual(part.responders.map((r) => [r.role, r.state, r.order]), [['lawyer', 'opted_in', 1], ['journalist', 'invited', null]]);
    assert.match(part.responders[0]!.text, /^MESHWORK ALERT: Ana did not check in .*Call the collective\..* Reply ACK 4K if you will act on this\.$/);
    assert.deepEqual([part.responders[0]!.segments, part.responders[0]!.encoding], [countSegments(part.responders[0]!.text).segments, 'GSM-7'], 'counted as the outbox counts');

    const { checkIn } = await checkIns.schedule(once());
    assert.deepEqual(checkIn.reach, { optedIn: 1, tiers: [1], waitingForYes: ['Bea'], teamNetwork: { status: 'counted', smsName: 'Red Sur', tier: 1, optedIn: 1, waitingForYes: 1 } });
    assert.deepEqual((await checkIns.list())[0]!.reach, checkIn.reach, 'the list says the same');

    // And the escalation does what the preview said: the lawyer is texted at once, with that text (her own code in it).
    clock.advance(40 * MINUTE + 10_000);
    await tick();
    assert.equal(alertsTo(lawyer.phone).length, 1);
    assert.equal(alertsTo(lawyer.phone)[0]!.body, part.responders[0]!.text.replace('ACK 4K', `ACK ${lawyer.ref}`));
  });

  it("places the team network after her own tiers, or at the tier she chose, exactly where the escalation texts it", async () => {
    const after = await setUp('after-own', 'Red Norte');
    await ownContact(after.contacts, 'Bea', 1, true);
    await ownContact(after.contacts, 'Cata', 2, true);
    await ownContact(after.contacts, 'Dora', 4, false);
    const lawyer = await optedInResponder(after.network, after.team.teamId, 'Marta');
    const preview = await after.checkIns.preview(once());
    assert.deepEqual(preview.recipients.map((r) => [r.name, r.tier, r.order]), [['Bea', 1, 1], ['Cata', 2, 2], ['Dora', 4, null]]);
    assert.deepEqual([preview.teamNetwork!.tier, preview.teamNetwork!.order], [3, 3], 'after her last tier with someone who said YES');
    const { checkIn } = await after.checkIns.schedule(once());
    assert.deepEqual([checkIn.reach.optedIn, checkIn.reach.tiers], [3, [1, 2, 3]]);
    clock.advance(40 * MINUTE + 10_000);
    await tick();
    for (const wait of [1, 2]) {
      assert.equal(alertsTo(lawyer.phone).length, 0, `not yet after ${wait} tier(s)`);
      clock.advance(TIER_WAIT_SECONDS * 1000);
      await tick();
    }
    assert.equal(alertsTo(lawyer.phone).length, 1, 'texted third, as the preview said');

    const atTwo = await setUp('at-two', 'Red Centro', 2);
    await ownContact(atTwo.contacts, 'Eva', 1, true);
    await ownContact(atTwo.contacts, 'Flor', 3, true);
    await optedInResponder(atTwo.network, atTwo.team.teamId, 'Rosa');
    const chosen = await atTwo.checkIns.preview(once());
    assert.deepEqual(chosen.recipients.map((r) => [r.name, r.order]), [['Eva', 1], ['Flor', 3]], 'her tier 3 comes after the team at 2');
    assert.deepEqual([chosen.teamNetwork!.tier, chosen.teamNetwork!.order], [2, 2]);
  });

  it("measures the alert's size in her team responders' languages too: a Khmer responder makes it UCS-2", async () => {
    const { network, team, checkIns, contacts, member } = await setUp('sizes', 'Red Mekong');
    await ownContact(contacts, 'Bea', 1, true);
    assert.equal((await checkIns.schedule(once())).alertSize.encoding, 'GSM-7', 'her own contacts read English');
    await network.add(team.teamId, { name: 'Sokha', phone: newPhone(), language: 'km', role: 'lawyer' });
    const { alertSize } = await checkIns.schedule(once());
    assert.deepEqual([alertSize.encoding, alertSize.segments >= 2], ['UCS-2', true]);
    await (await member.teams.open(team.teamId)).leave();
    assert.equal((await checkIns.schedule(once())).alertSize.encoding, 'GSM-7', 'a team she left is not measured');
  });

  it('says nobody will be alerted when her team network is chosen but no responder and no contact has replied YES', async () => {
    const { network, team, checkIns, contacts } = await setUp('nobody', 'Red Vacia');
    await invitedResponder(network, team.teamId, 'Marta');
    await ownContact(contacts, 'Bea', 1, false);
    const preview = await checkIns.preview(once());
    assert.equal(preview.nobodyWillBeAlerted, true);
    assert.deepEqual([preview.teamNetwork!.status, preview.teamNetwork!.optedIn, preview.teamNetwork!.waitingForYes, preview.teamNetwork!.order], ['counted', 0, 1, null]);
    const { checkIn } = await checkIns.schedule(once());
    assert.deepEqual(checkIn.reach, { optedIn: 0, tiers: [], waitingForYes: ['Bea'], teamNetwork: { status: 'counted', smsName: 'Red Vacia', tier: 1, optedIn: 0, waitingForYes: 1 } });
  });

  it('no longer counts the network of a team she left, says so, and shows nothing else of that team', async () => {
    const { network, team, checkIns, contacts, member } = await setUp('left', 'Red Oeste');
    await optedInResponder(network, team.teamId, 'Marta', 'abogada del colectivo');
    await ownContact(contacts, 'Bea', 1, false);
    assert.equal((await checkIns.preview(once())).nobodyWillBeAlerted, false, 'counted while she is a member');
    await (await member.teams.open(team.teamId)).leave();

    const preview = await checkIns.preview(once());
    assert.equal(preview.nobodyWillBeAlerted, true, 'her only opted-in recipients were the responders of a team she left');
    assert.deepEqual(preview.teamNetwork, { status: 'not_a_member', smsName: null, tier: null, order: null, optedIn: 0, waitingForYes: 0, responders: [] });
    await checkIns.schedule(once());
    const [listed] = await checkIns.list();
    assert.deepEqual(listed!.reach, { optedIn: 0, tiers: [], waitingForYes: ['Bea'], teamNetwork: { status: 'not_a_member', smsName: null, tier: null, optedIn: 0, waitingForYes: 0 } });
    for (const json of [await rawJson(member, 'post', '/v1/check-ins/preview', once()), await rawJson(member, 'get', '/v1/check-ins')]) {
      for (const secret of [team.teamId, 'Red Oeste', 'abogada del colectivo', 'Marta']) assert.ok(!json.includes(secret), `${secret} in ${json}`);
    }
  });

  it("shows a plain member her responders' roles and counts, never their names, numbers or reply codes, and no other team at all", async () => {
    const mine = await setUp('plain', 'Red Plain');
    const lawyer = await optedInResponder(mine.network, mine.team.teamId, 'Lic. Marta Ruiz', 'lawyer');
    const journalist = await invitedResponder(mine.network, mine.team.teamId, 'Lupe Ortiz', 'journalist');
    const other = await setUp('foreign', 'Red Ajena');
    const foreigner = await optedInResponder(other.network, other.team.teamId, 'Ines Foranea', 'aliada regional');

    const roster = await mine.network.get(mine.team.teamId);
    const hints = roster.responders.map((r) => r.phoneHint);
    const json = await rawJson(mine.member, 'post', '/v1/check-ins/preview', once());
    const preview = JSON.parse(json) as { teamNetwork: { responders: Array<Record<string, unknown>> } };
    assert.deepEqual(preview.teamNetwork.responders.map((r) => Object.keys(r).sort()), [0, 1].map(() => ['encoding', 'language', 'order', 'role', 'segments', 'state', 'text']), 'no name field for a plain member');
    const listJson = (await rawJson(mine.member, 'post', '/v1/check-ins', once())) + (await rawJson(mine.member, 'get', '/v1/check-ins'));
    const leaks = ['Lic. Marta Ruiz', 'Lupe Ortiz', lawyer.phone, lawyer.phone.slice(1), journalist.phone.slice(-7), ...hints, `ACK ${lawyer.ref}`, mine.team.teamId, String(lawyer.id)];
    const foreign = [other.team.teamId, 'Red Ajena', 'Ines Foranea', 'aliada regional', foreigner.phone.slice(-7), String(foreigner.id)];
    for (const secret of [...leaks, ...foreign]) assert.ok(!json.includes(secret) && !listJson.includes(secret), secret);
    assert.ok(json.includes('"role":"lawyer"') && json.includes('"smsName":"Red Plain"'), 'what she may see is there');

    // Her team's coordinator, who sees the roster on the network screen anyway, is shown the names in her own preview.
    const { checkIns: coordinatorCheckIns } = await withCheckInProfile(mine.coordinator.account, { displayName: 'Cora', timeZone: 'America/Mexico_City' });
    await new TeamNetworkApi(mine.coordinator.account.api).choose({ teamId: mine.team.teamId, atTier: null });
    const coordinatorView = await coordinatorCheckIns.preview(once());
    assert.deepEqual(coordinatorView.teamNetwork!.responders.map((r) => r.name), ['Lic. Marta Ruiz', 'Lupe Ortiz']);
    assert.ok(coordinatorView.teamNetwork!.responders[0]!.text.endsWith(`Reply ACK ${lawyer.ref} if you will act on this.`), 'with the code the responder will really get');
    assert.ok(!JSON.stringify(coordinatorView).includes(other.team.teamId));
    assert.equal(await mongoose.connection.db!.collection('checkins').countDocuments({ ownerId: new mongoose.Types.ObjectId(mine.coordinator.account.accountId) }), 0, 'a preview saves nothing');
  });
});
