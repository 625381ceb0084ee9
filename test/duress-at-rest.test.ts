import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { safetyWorld } from './support/defenders';
import { openDuress } from '../src/alerts/alert-secrets';
import { enqueueMessage } from '../src/safety/outbox/enqueue-message';
import { resolveAlert } from '../src/checkins/resolve-alert';
import { readAlertEvents, recordEvent } from '../src/safety/timeline';
import { afterRepliesSettled } from '../src/checkins/check-in-outcomes';

/**
 * What a copy of the database (or a backup) shows of one account, with ids, times and key hashes
 * replaced by placeholders and each sealed field by its length: two accounts with the same shape
 * cannot be told apart by any field name or clear value.
 */
function shapeOf(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if ((value as { _bsontype?: string })._bsontype === 'ObjectId') return '<id>';
  if (value instanceof Date) return '<time>';
  if (Array.isArray(value)) return value.map(shapeOf);
  if (typeof value === 'object') {
    // Minute slots (deadlineSlot, actionSlot, ...) are times in clear like the dates beside them.
    // A reply code ("ACK 4K") is random per contact entry, like an id.
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, k.endsWith('Slot') && typeof v === 'number' ? '<time>' : k === 'replyRef' ? '<reply code>' : shapeOf(v)]));
  }
  if (typeof value === 'string') {
    if (value.startsWith('v1.')) return `<sealed ${value.length}>`;
    if (/^[A-Za-z0-9_-]{43}$/.test(value)) return '<keyed hash or random key>';
    if (/^[A-Za-z0-9_-]{43}:[0-9A-Z]{2,3}$/.test(value)) return '<keyed hash>:<reply code>';
    if (/^SM[0-9a-f]{32}$/.test(value)) return '<provider sid>';
    if (value.startsWith('hmac-sha256$')) return '<salted PIN hash>';
    return value.replace(/[0-9a-f]{24}/g, '<id>');
  }
  return value;
}

async function shapesOfOwner(ownerId: unknown): Promise<Record<string, string[]>> {
  const db = mongoose.connection.db!;
  const shapes: Record<string, string[]> = {};
  for (const { name } of await db.listCollections().toArray()) {
    const docs = await db.collection(name).find({ ownerId }).toArray();
    if (docs.length) shapes[name] = docs.map((d) => JSON.stringify(shapeOf(d))).sort();
  }
  return shapes;
}

async function rawDatabase(): Promise<string> {
  const db = mongoose.connection.db!;
  const parts: string[] = [];
  for (const { name } of await db.listCollections().toArray()) parts.push(name, JSON.stringify(await db.collection(name).find({}).toArray()));
  return parts.join('\n');
}

describe('Duress and schedules at rest', function () {
  // A fixed start, so the daily times below fall where the scenario needs them.
  const world = safetyWorld({ config: { ESCALATION_TIER_WAIT_SECONDS: 600, ESCALATION_REPEATS: 0 }, startAt: new Date('2031-03-10T12:00:00Z'), instanceId: 'at-rest', profile: { displayName: 'Ana' } });
  const { clock, fake, tick } = world;

  async function defender(handle: string, contactPhone: string) {
    const ana = await world.defender(handle);
    await world.optedInContact(ana, 'Bea', 1, 'en', contactPhone);
    return { checkIns: ana.checkIns };
  }

  it('leaves a duress alert and a missed check-in alert indistinguishable in the raw database, and no schedule detail in clear', async () => {
    const duressPhone = '+447400555001';
    const missedPhone = '+447400555002';
    const dana = await defender('at-rest-dana', duressPhone);
    const mara = await defender('at-rest-mara', missedPhone);
    // Twelve daily times each (the most allowed), with a marker place: none may be readable at rest.
    const daily = (first: string[]) => [...first, '20:15', '20:45', '21:15', '21:45', '22:15', '22:45', '23:15', '23:45', '23:55'];
    const danaCheckIn = (await dana.checkIns.schedule({ schedule: { kind: 'daily', times: daily(['12:30', '14:30', '18:30']) }, graceMinutes: 10, alertMessage: 'Call Rosa.', place: 'Marker Place Oaxaca' })).checkIn;
    const maraCheckIn = (await mara.checkIns.schedule({ schedule: { kind: 'daily', times: daily(['13:05', '15:05', '17:05']) }, graceMinutes: 10, alertMessage: 'Call Rosa.', place: 'Marker Place Oaxaca' })).checkIn;

    // Each checks in twice: Dana once with her PIN, then with her duress PIN (12:30 -> 14:30 -> 18:30);
    // Mara twice with her PIN (13:05 -> 15:05 -> 17:05), then misses 17:05.
    await dana.checkIns.checkIn(danaCheckIn.id, '2468');
    await dana.checkIns.checkIn(danaCheckIn.id, '1357');
    await mara.checkIns.checkIn(maraCheckIn.id, '2468');
    await mara.checkIns.checkIn(maraCheckIn.id, '2468');
    clock.set(new Date('2031-03-10T17:15:10Z'));
    await tick();

    // Both alerts escalated to their contact: one in duress, one for the missed check-in.
    assert.equal(fake.to(duressPhone).length, 2);
    assert.equal(fake.to(missedPhone).length, 2);
    assert.notEqual(fake.to(duressPhone).at(-1)!.body.length, fake.to(missedPhone).at(-1)!.body.length, 'the duress alert text differs, in length too');
    const db = mongoose.connection.db!;
    const danaId = (await db.collection('checkins').findOne({ _id: new mongoose.Types.ObjectId(danaCheckIn.id) }))!.ownerId;
    const maraId = (await db.collection('checkins').findOne({ _id: new mongoose.Types.ObjectId(maraCheckIn.id) }))!.ownerId;
    const alertOf = async (ownerId: unknown) => (await db.collection('alerts').findOne({ ownerId }))!;
    assert.equal(openDuress(world.service.services.fieldCipher, (await alertOf(danaId)) as never).duress, true);
    assert.equal(openDuress(world.service.services.fieldCipher, (await alertOf(maraId)) as never).duress, false);

    const dana_ = await shapesOfOwner(danaId);
    const mara_ = await shapesOfOwner(maraId);
    // Known and documented (SECURITY.md): the live check-in itself moved on after the duress PIN
    // (state "scheduled") where a missed one waits ("missed", alertId). Everything else must match.
    const withoutLiveState = (docs: string[]) => docs.map((d) => { const { state: _s, alertId: _a, ...rest } = JSON.parse(d) as Record<string, unknown>; return JSON.stringify(rest); });
    assert.deepEqual(withoutLiveState(dana_.checkins!), withoutLiveState(mara_.checkins!));
    delete dana_.checkins;
    delete mara_.checkins;
    assert.deepEqual(Object.keys(dana_).sort(), Object.keys(mara_).sort());
    for (const name of Object.keys(dana_)) assert.deepEqual(dana_[name], mara_[name], `${name} tells a duress alert from a missed one`);

    // A message still waiting in the outbox: the duress text is longer, its sealed body must not be.
    const ownerId = new mongoose.Types.ObjectId();
    for (const [i, body] of [fake.to(duressPhone).at(-1)!.body, fake.to(missedPhone).at(-1)!.body].entries()) {
      await enqueueMessage({ clock, fieldCipher: world.service.services.fieldCipher }, { key: `padding:${i}`, ownerId, kind: 'alert', to: duressPhone, body });
    }
    const pending = await db.collection('outbox').find({ ownerId }).toArray();
    assert.equal(pending.length, 2);
    assert.equal(new Set(pending.map((m) => (m.encryptedBody as string).length)).size, 1, 'pending bodies have one length');
    await db.collection('outbox').deleteMany({ ownerId });

    const dump = await rawDatabase();
    // Every profile has a duressPinHash and every alert an encryptedDuress: names that tell nothing about one alert.
    const named = /.{0,200}(duress|hiddenFromOwner|coverResolved).{0,80}/i.exec(dump.replace(/"(duressPinHash|encryptedDuress)"/g, ''));
    assert.equal(named?.[0], undefined, 'no field or value names duress');
    for (const detail of ['"12:30"', '"14:30"', '"18:30"', '"13:05"', '"17:05"', '"23:55"', 'daily', 'everyHours', 'graceMinutes', '"times"', 'Marker Place']) {
      assert.ok(!dump.includes(detail), `${detail} found in the raw database`);
    }
    // Timeline events keep only what their reads query or sort by in clear.
    for (const event of await db.collection('alertevents').find({}).toArray()) {
      assert.deepEqual(Object.keys(event).filter((k) => k !== 'alertId').sort(), ['_id', 'at', 'encryptedEvent', 'key', 'ownerId']);
    }
  });

  it('lets a duress PIN take over a missed check-in\'s alert: it keeps escalating, her session sees it resolved, and a resolve attempt changes nothing', async () => {
    const contactPhone = '+447400555003';
    const tess = await defender('at-rest-tess', contactPhone);
    const dueAt = new Date(clock.now().getTime() + 30 * 60_000).toISOString();
    const { checkIn } = await tess.checkIns.schedule({ schedule: { kind: 'once', dueAt }, graceMinutes: 10, alertMessage: 'Call Rosa.' });
    clock.advance(40 * 60_000 + 10_000);
    await tick();
    assert.equal(fake.to(contactPhone).length, 2, 'invitation, then the missed check-in alert');
    await tess.checkIns.checkIn(checkIn.id, '1357');
    await afterRepliesSettled(); // the take-over follows the reply (src/checkins/check-in-outcomes.ts)

    const [seen] = await tess.checkIns.alerts();
    assert.equal(seen?.state, 'resolved', 'her session sees what a real late check-in would show');
    const { timeline } = await tess.checkIns.timeline(seen!.id);
    assert.ok(!timeline.some((e) => e.kind === 'duress'));
    assert.equal(timeline.at(-1)?.kind, 'resolved');

    const alertId = new mongoose.Types.ObjectId(seen!.id);
    const raw = (await mongoose.connection.db!.collection('alerts').findOne({ _id: alertId }))!;
    assert.equal(raw.state, 'escalating');
    const sealed = openDuress(world.service.services.fieldCipher, raw as never);
    assert.equal(sealed.duress, true);
    assert.ok(sealed.coverResolvedAt);
    // The phone that would resolve it may be in someone else's hands: resolving reads the sealed flag and refuses.
    assert.equal(await resolveAlert({ clock, fieldCipher: world.service.services.fieldCipher, serverKeys: world.service.services.serverKeys }, alertId, 'checked_in'), false);
    assert.equal((await mongoose.connection.db!.collection('alerts').findOne({ _id: alertId }))!.state, 'escalating');
    await tick();
    assert.ok(!fake.to(contactPhone).some((m) => /The alert is over/.test(m.body)), 'no all-clear');
  });

  it("gives the defender's own timeline its full limit of events however many hidden events lie among them", async () => {
    const deps = world.service.services;
    const ownerId = new mongoose.Types.ObjectId();
    const alertId = new mongoose.Types.ObjectId();
    const start = clock.now().getTime();
    // 700 events, every third one hidden from the owner (as duress events are).
    for (let i = 0; i < 700; i += 1) {
      await recordEvent(deps, { ownerId, alertId, kind: i % 3 === 0 ? 'duress' : 'message_sent', at: new Date(start + i * 1000), hiddenFromOwner: i % 3 === 0, key: `limit-test:${i}` });
    }
    const visible = await readAlertEvents(deps, { alertId, ownerId }, 400, (e) => !e.hiddenFromOwner);
    assert.equal(visible.length, 400);
    assert.ok(visible.every((e) => e.kind === 'message_sent'));
    const expected = [...Array(700).keys()].filter((i) => i % 3 !== 0).slice(0, 400).map((i) => start + i * 1000);
    assert.deepEqual(visible.map((e) => e.at.getTime()), expected, 'oldest first, none skipped');
    assert.equal((await readAlertEvents(deps, { alertId, ownerId }, 500, (e) => !e.hiddenFromOwner)).length, 466, 'all visible ones when fewer than the limit');
  });
});
