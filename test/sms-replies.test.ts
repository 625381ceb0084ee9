import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { REF_DIGITS, REF_LETTERS } from '../src/sms/keywords';
import { phoneLookupKey } from '../src/sms/phone';
import { safetyWorld, type Defender as ProfiledDefender } from './support/defenders';
import { FAKE_ACCOUNT_SID, FAKE_FROM } from './support/fake-twilio';

const MINUTE = 60_000;

/** What a reply may change: contacts' consent, alerts' state, the messages queued. */
async function safetyState(): Promise<string> {
  const db = mongoose.connection.db!;
  const parts: string[] = [];
  for (const name of ['trustedcontacts', 'alerts', 'outbox', 'alertevents', 'replyreferences']) {
    parts.push(`${name}:${JSON.stringify(await db.collection(name).find({}).sort({ _id: 1 }).toArray())}`);
  }
  return parts.join('\n');
}

describe('SMS replies name what they answer', function () {
  const world = safetyWorld({ config: { ESCALATION_REPEATS: 0 }, phones: { prefix: '+447400124', after: 500 } });
  const { clock, fake, target, tick, newPhone } = world;
  let sid = 0;
  let networkSets = 0;

  /** An inbound SMS with its own MessageSid, returned so a test can replay it. */
  const sms = async (from: string, body: string, messageSid = `SMreply${String((sid += 1)).padStart(28, '0')}`) => {
    const res = await fake.postWebhook(target, '/v1/sms/inbound', { AccountSid: FAKE_ACCOUNT_SID, MessageSid: messageSid, From: from, To: FAKE_FROM, Body: body, NumMedia: '0' });
    assert.equal(res.status, 200);
    const message = /<Message>([\s\S]*)<\/Message>/.exec(res.text)?.[1];
    return { reply: message?.replace(/&apos;/g, "'").replace(/&amp;/g, '&') ?? null, messageSid };
  };

  interface Defender extends Pick<ProfiledDefender, 'checkIns' | 'contacts'> {
    name: string;
    contactId: string;
  }

  /** Defenders (by their display names) who each add the same responder's number. */
  async function networksOf(phone: string, names: string[], language: 'en' | 'es' = 'en'): Promise<Defender[]> {
    const defenders: Defender[] = [];
    networkSets += 1;
    for (const name of names) {
      const { checkIns, contacts } = await world.defender(`${name.toLowerCase()}-${networkSets}-${defenders.length}`, { displayName: name, timeZone: 'America/Mexico_City', language });
      const contact = await contacts.add({ name: 'Rosa', phone, language, tier: 1 });
      defenders.push({ name, checkIns, contacts, contactId: contact.id });
    }
    await tick();
    return defenders;
  }

  const invitationFrom = (phone: string, name: string) => fake.to(phone).find((m) => m.body.startsWith(`${name} `));
  const stateOf = async (d: Defender) => (await d.contacts.list()).find((c) => c.id === d.contactId)?.state;
  const refIn = (text: string, word: string) => new RegExp(`${word} ([0-9A-Z]{2,3})\\b`).exec(text)?.[1];
  /** Each defender's alert state, read from the database. */
  const alertStates = async (ds: Defender[]) => {
    const db = mongoose.connection.db!;
    const states: Array<string | undefined> = [];
    for (const d of ds) {
      const contact = await db.collection('trustedcontacts').findOne({ _id: new mongoose.Types.ObjectId(d.contactId) });
      states.push((await db.collection('alerts').findOne({ ownerId: contact?.ownerId }))?.state);
    }
    return states;
  };

  async function missAll(ds: Defender[]): Promise<void> {
    const dueAt = new Date(clock.now().getTime() + 30 * MINUTE).toISOString();
    for (const d of ds) await d.checkIns.schedule({ schedule: { kind: 'once', dueAt }, graceMinutes: 10, alertMessage: `Call ${d.name}'s lawyer.` });
    clock.advance(40 * MINUTE + 10_000);
    await tick();
  }

  async function optedInNetworks(phone: string, names: string[]): Promise<Defender[]> {
    const ds = await networksOf(phone, names);
    assert.match((await sms(phone, 'YES ALL')).reply ?? '', new RegExp(`You agreed for ${names.length} people`));
    return ds;
  }

  it('gives each invitation its own code, asks which one a bare YES is for, and YES with the code opts in only that network', async () => {
    const phone = newPhone();
    const [ana, bea] = await networksOf(phone, ['Ana', 'Bea']);
    const toAna = invitationFrom(phone, 'Ana');
    const toBea = invitationFrom(phone, 'Bea');
    const refAna = refIn(toAna!.body, 'YES');
    const refBea = refIn(toBea!.body, 'YES');
    assert.ok(refAna && refBea && refAna !== refBea, `two different codes: ${toAna!.body} / ${toBea!.body}`);

    const before = await safetyState();
    const { reply } = await sms(phone, 'yes');
    assert.equal(reply, `Meshwork: 2 invitations waiting: Ana (YES ${refAna}), Bea (YES ${refBea}). Reply YES and the code, or YES ALL.`);
    assert.equal(await safetyState(), before, 'a bare YES with two waiting opts in nobody');
    assert.deepEqual([await stateOf(ana!), await stateOf(bea!)], ['invited', 'invited']);

    assert.equal((await sms(phone, `yes${refBea.toLowerCase()}`)).reply, 'Meshwork: thank you. You will only get a text if Bea misses a check-in. Reply STOP at any time to stop all texts.');
    assert.deepEqual([await stateOf(ana!), await stateOf(bea!)], ['invited', 'opted_in']);
  });

  it('says a wrong code is wrong, lists the right ones, and changes nothing', async () => {
    const phone = newPhone();
    await networksOf(phone, ['Ana', 'Bea']);
    const refs = ['Ana', 'Bea'].map((name) => refIn(invitationFrom(phone, name)!.body, 'YES')!);
    const wrong = ['4K', '7P', '9T', 'X3'].find((r) => !refs.includes(r))!;
    const before = await safetyState();
    const { reply } = await sms(phone, `YES ${wrong}`);
    assert.equal(reply, `Meshwork: no invitation has the code ${wrong}. Waiting: Ana (YES ${refs[0]}), Bea (YES ${refs[1]}). Reply YES and the code.`);
    assert.equal(await safetyState(), before);
  });

  it('answers a bare ACK with two alerts open by listing them and acknowledging nothing, then ACK with a code acknowledges only that alert', async () => {
    const phone = newPhone();
    const [ana, bea] = await optedInNetworks(phone, ['Ana', 'Bea']);
    await missAll([ana!, bea!]);
    const alerts = fake.to(phone).filter((m) => m.body.startsWith('MESHWORK ALERT'));
    assert.equal(alerts.length, 2, 'both alerts reached the responder');
    const refAna = refIn(alerts.find((m) => m.body.includes('Ana did not'))!.body, 'ACK')!;
    const refBea = refIn(alerts.find((m) => m.body.includes('Bea did not'))!.body, 'ACK')!;
    assert.notEqual(refAna, refBea);

    const before = await safetyState();
    const { reply } = await sms(phone, 'ACK');
    assert.match(reply ?? '', /^Meshwork: 2 alerts open: /);
    assert.ok(reply!.includes(`Ana (ACK ${refAna})`) && reply!.includes(`Bea (ACK ${refBea})`), reply!);
    assert.ok(reply!.endsWith('Reply ACK and the code, or ACK ALL.'));
    assert.equal(await safetyState(), before, 'nothing acknowledged');
    assert.deepEqual(await alertStates([ana!, bea!]), ['escalating', 'escalating']);

    const ackBea = await sms(phone, `${refBea.toLowerCase()} ack`);
    assert.equal(ackBea.reply, 'Meshwork: thank you for acting on the alert for Bea. The others are being told.');
    assert.deepEqual(await alertStates([ana!, bea!]), ['escalating', 'acknowledged']);
    const afterAck = await safetyState();
    assert.equal((await sms(phone, `${refBea.toLowerCase()} ack`, ackBea.messageSid)).reply, null, 'a replayed ACK gets no second reply');
    assert.equal(await safetyState(), afterAck, 'and changes nothing');

    // Now only Ana's is open: a bare ACK is unambiguous.
    assert.equal((await sms(phone, 'Ack, on my way')).reply, 'Meshwork: thank you for acting on the alert for Ana. The others are being told.');
    assert.deepEqual(await alertStates([ana!, bea!]), ['acknowledged', 'acknowledged']);
  });

  it('acknowledges every open alert on ACK ALL and says how many and whose', async () => {
    const phone = newPhone();
    const ds = await optedInNetworks(phone, ['Ana', 'Bea']);
    await missAll(ds);
    assert.equal((await sms(phone, 'ack all')).reply, 'Meshwork: you acknowledged 2 alerts: Ana, Bea. The others are being told you are acting on them.');
    assert.deepEqual(await alertStates(ds), ['acknowledged', 'acknowledged']);
  });

  it('changes nothing on a wrong ACK code, and says which codes are open', async () => {
    const phone = newPhone();
    const ds = await optedInNetworks(phone, ['Ana', 'Bea']);
    await missAll(ds);
    const refs = fake.to(phone).filter((m) => m.body.startsWith('MESHWORK ALERT')).map((m) => refIn(m.body, 'ACK')!);
    const wrong = ['4K', '7P', '9T', 'X3'].find((r) => !refs.includes(r))!;
    const before = await safetyState();
    const { reply } = await sms(phone, `ACK ${wrong}`);
    assert.match(reply ?? '', new RegExp(`^Meshwork: no open alert has the code ${wrong}\\. Open: `));
    for (const ref of refs) assert.ok(reply!.includes(`(ACK ${ref})`), reply!);
    assert.equal(await safetyState(), before);
    assert.deepEqual(await alertStates(ds), ['escalating', 'escalating']);
  });

  it('changes nothing when a signed reply is replayed', async () => {
    const phone = newPhone();
    const ds = await networksOf(phone, ['Ana', 'Bea']);
    const ref = refIn(invitationFrom(phone, 'Ana')!.body, 'YES')!;
    const yes = await sms(phone, `YES ${ref}`);
    assert.match(yes.reply ?? '', /only get a text if Ana/);
    await sms(phone, 'STOP');
    assert.deepEqual([await stateOf(ds[0]!), await stateOf(ds[1]!)], ['opted_out', 'opted_out'], 'STOP stops every network at once');
    const before = await safetyState();
    const replay = await sms(phone, `YES ${ref}`, yes.messageSid);
    assert.equal(replay.reply, null);
    assert.equal(await safetyState(), before);
  });

  it('reads localised words with a code, and never texts an opted-out responder an alert', async () => {
    const phone = newPhone();
    const [ana, bea] = await networksOf(phone, ['Ana', 'Bea'], 'es');
    const refAna = refIn(invitationFrom(phone, 'Ana')!.body, 'SI')!;
    assert.match((await sms(phone, `Sí ${refAna}`)).reply ?? '', /^Meshwork: gracias\. Solo te escribiremos si Ana no hace su check-in/);
    assert.deepEqual([await stateOf(ana!), await stateOf(bea!)], ['opted_in', 'invited']);
    const sent = fake.to(phone).length;
    await missAll([ana!, bea!]);
    const alerts = fake.to(phone).slice(sent);
    assert.equal(alerts.length, 1, 'only the network she agreed to texts her');
    assert.match(alerts[0]!.body, /^ALERTA MESHWORK: Ana/);
    const ref = refIn(alerts[0]!.body, 'ACK')!;
    assert.match((await sms(phone, `recibido ${ref}`)).reply ?? '', /^Meshwork: gracias por encargarte de la alerta de Ana/);
    assert.deepEqual(await alertStates([ana!]), ['acknowledged']);
  });

  it("gives a removed contact's code back, so a bare YES for the one invitation left is unambiguous again", async () => {
    const phone = newPhone();
    const [ana, bea] = await networksOf(phone, ['Ana', 'Bea']);
    const references = () => mongoose.connection.db!.collection('replyreferences').countDocuments({ _id: { $regex: `^${phoneLookupKey(world.service.services.serverKeys.lookupKey, phone)}:` } as never });
    assert.equal(await references(), 2);
    await ana!.contacts.remove(ana!.contactId);
    assert.equal(await references(), 1, 'the removed entry no longer holds a code (nor the keyed hash of the number)');
    assert.match((await sms(phone, 'YES')).reply ?? '', /only get a text if Bea/);
    assert.equal(await stateOf(bea!), 'opted_in');
  });

  it('retries a taken code, and gives a number whose two-character codes are all taken a three-character one', async () => {
    const phone = newPhone();
    const lookup = phoneLookupKey(world.service.services.serverKeys.lookupKey, phone);
    const taken = [];
    for (const digit of REF_DIGITS) for (const letter of REF_LETTERS) taken.push(`${digit}${letter}`, `${letter}${digit}`);
    const owner = new mongoose.Types.ObjectId();
    await mongoose.connection.db!.collection('replyreferences').insertMany(taken.map((ref) => ({ _id: `${lookup}:${ref}` as never, ownerId: owner, contactId: owner, createdAt: new Date() })));
    const [ana] = await networksOf(phone, ['Ana']);
    const ref = refIn(invitationFrom(phone, 'Ana')!.body, 'YES')!;
    assert.equal(ref.length, 3, invitationFrom(phone, 'Ana')!.body);
    const contact = await mongoose.connection.db!.collection('trustedcontacts').findOne({ _id: new mongoose.Types.ObjectId(ana!.contactId) });
    assert.equal(contact?.replyRef, ref);
    assert.match((await sms(phone, `YES ${ref}`)).reply ?? '', /only get a text if Ana/);
  });
});
