/**
 * On the embedded FerretDB on PostgreSQL, every hot equality query is answered from a GIN index.
 *
 * FerretDB v1 answers `{field: value}` by sending PostgreSQL `_jsonb -> 'field' @> value`; only the GIN
 * twins that src/db/embedded/postgresql-indexes.ts gives FerretDB's indexes serve that. Without them
 * each such query reads the whole collection (see the team's shared DATABASE.md notes). These tests
 * look at PostgreSQL itself, so a FerretDB upgrade that changes the pushdown, a missing twin or a
 * generic plan fails here. On MongoDB (MONGODB_URI) they are skipped; test/indexes.test.ts checks
 * MongoDB's own plans there.
 *
 * To add a hot query (e.g. a new slot field): add a row to HOT_QUERIES with a seed that makes
 * documents like the real ones and the filter the code runs (file named in `source`).
 */
import assert from 'node:assert/strict';
import mongoose, { Types, type Model } from 'mongoose';
import { SessionModel } from '../src/accounts/session.model';
import { AlertModel } from '../src/alerts/alert.model';
import { OutboxModel, SentMessageModel } from '../src/safety/outbox/outbox.model';
import { WebhookReceiptModel } from '../src/sms/webhooks/webhook-receipt.model';
import { CheckInProfileModel } from '../src/safety/check-in-profile.model';
import { CheckInModel } from '../src/checkins/check-in.model';
import { VerifiedPhoneModel } from '../src/checkins/verified-phone.model';
import { TrustedContactModel } from '../src/contacts/contact.model';
import { lockedThrottles } from '../src/accounts/throttle';
import { LoginThrottleModel } from '../src/accounts/login-throttle.model';
import { alertsStillOpenOrHandled } from '../src/alerts/acknowledge-alert';
import { optedInEntries } from '../src/alerts/recipients';
import { newestAlertsOf } from '../src/alerts/team-alerts';
import { timelineEventsOf } from '../src/alerts/view-alerts';
import { TimelineEventModel } from '../src/safety/timeline.model';
import { TeamResponderModel } from '../src/teams/team-network.model';
import { optOut, type NumberEntry } from '../src/sms/webhooks/contact-replies';
import { ManualClock } from '../src/shared/clock';
import type { PostgresConnection } from '../src/db/embedded';
import { installGinTwins } from '../src/db/embedded/postgresql-indexes';
// Every other model too, so that "every collection" means every one the service declares.
import '../src/accounts/account.model';
import '../src/safety/wipe/pending-wipe.model';
import '../src/teams/team.model';
import '../src/vault/document.model';
import { sharedDatabaseServer, testLogger, useFreshDatabase } from './support/database';
import { PostgresProbe, fieldExpression } from './support/postgresql';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyModel = Model<any>;
type Doc = Record<string, unknown>;

/** Documents per hot collection: enough that reading the table costs PostgreSQL more than the index. */
const POPULATION = 4_000;
/** Stands in for the encrypted fields real documents carry, so that tables have a realistic size. */
const PADDING = 'x'.repeat(300);

interface HotQuery {
  name: string;
  /** where the code runs it */
  source: string;
  model: AnyModel;
  /** the n-th document of the population, shaped like the real ones (the fields the query reads, at least) */
  seed: (n: number) => Doc;
  /** the query for one seeded document; it must find that document */
  run: (model: AnyModel, doc: Doc) => Promise<unknown>;
  /** the top-level field whose equality FerretDB pushes down, served by that field's GIN twin */
  field: string;
}

const oid = (n: number) => new Types.ObjectId(n.toString(16).padStart(24, '0'));
const findOne = (filter: (doc: Doc) => Doc) => (model: AnyModel, doc: Doc) => model.findOne(filter(doc)).lean().exec();

/** Shared by the alert rows below, so they query one population. */
const escalatingAlert = (n: number): Doc => ({ _id: oid(n + 1), ownerId: oid(n), occurrenceKey: `occurrence-${n}`, state: 'escalating', encryptedDuress: PADDING, missedAt: new Date(), dueAt: new Date(), createdAt: new Date(), tierIndex: 0, round: 0 });
/** Shared by the contact rows below. */
const optedInContact = (n: number): Doc => ({ _id: oid(n + 1), ownerId: oid(n), phoneLookup: `contact-lookup-${n}`, state: 'opted_in', padding: PADDING });
/** The first of a list the code returns that is this document, else null (the row then fails: "found nothing"). */
const same = (doc: Doc) => (found: Array<{ _id: unknown }>) => (found.find((f) => String(f._id) === String(doc._id)) as Doc | undefined) ?? null;
const replies = { clock: new ManualClock(new Date()), logger: testLogger() };

const HOT_QUERIES: HotQuery[] = [
  {
    name: 'session by token hash (every authenticated request)',
    source: 'src/accounts/resolve-session.ts',
    model: SessionModel,
    seed: (n) => ({ tokenHash: `token-hash-${n}`, accountId: oid(n), expiresAt: new Date(2_000_000_000_000 + n), lastUsedAt: new Date(), padding: PADDING }),
    run: findOne((doc) => ({ tokenHash: doc.tokenHash })),
    field: 'tokenHash',
  },
  {
    name: "check-in profile by owner (a due defender's profile, a check-in)",
    source: 'src/checkins/phone-verification.ts',
    model: CheckInProfileModel,
    seed: (n) => ({ ownerId: oid(n), encryptedDisplayName: PADDING, timeZone: 'UTC', language: 'en', pinHash: 'p', duressPinHash: 'd', pinFailures: 0 }),
    run: findOne((doc) => ({ ownerId: doc.ownerId })),
    field: 'ownerId',
  },
  {
    name: 'outbox message by idempotency key',
    source: 'src/safety/outbox/enqueue-message.ts',
    model: OutboxModel,
    seed: (n) => ({ key: `alert:${n}:tier-1`, ownerId: oid(n), kind: 'alert', encryptedTo: PADDING, encryptedBody: PADDING, state: 'pending', attempts: 0, nextAttemptAt: new Date() }),
    run: findOne((doc) => ({ key: doc.key })),
    field: 'key',
  },
  {
    name: 'sent message by idempotency key',
    source: 'src/safety/outbox/enqueue-message.ts',
    model: SentMessageModel,
    seed: (n) => ({ key: `alert:${n}:tier-1`, ownerId: oid(n), providerSid: `SM${n}`, padding: PADDING }),
    run: findOne((doc) => ({ key: doc.key })),
    field: 'key',
  },
  {
    name: 'verified phone by its keyed hash (_id)',
    source: 'src/checkins/phone-verification.ts',
    model: VerifiedPhoneModel,
    seed: (n) => ({ _id: `phone-lookup-${n}`, ownerId: oid(n), verifiedAt: new Date(), padding: PADDING }),
    run: findOne((doc) => ({ _id: doc._id })),
    field: '_id',
  },
  {
    name: 'webhook receipt by its id (replayed Twilio callbacks)',
    source: 'src/sms/webhooks/webhook-receipt.model.ts',
    model: WebhookReceiptModel,
    seed: (n) => ({ _id: `receipt-${n}`, receivedAt: new Date(), padding: PADDING }),
    run: findOne((doc) => ({ _id: doc._id })),
    field: '_id',
  },
  {
    name: 'check-in by _id (a check-in, a claim)',
    source: 'src/checkins/check-in.ts',
    model: CheckInModel,
    seed: (n) => ({ _id: oid(n + 1), ownerId: oid(n), encryptedSchedule: PADDING, timeZone: 'UTC', encryptedAlertMessage: PADDING, state: 'scheduled', dueAt: new Date(), deadline: new Date() }),
    run: (model, doc) => model.findOneAndUpdate({ _id: doc._id, state: 'scheduled' }, { $set: { dueAt: new Date() } }, { new: true }).lean().exec(),
    field: '_id',
  },
  {
    name: 'alert by _id (advancing an escalation)',
    source: 'src/alerts/advance-escalations.ts',
    model: AlertModel,
    seed: escalatingAlert,
    run: findOne((doc) => ({ _id: doc._id })),
    field: '_id',
  },
  {
    name: 'alert of an occurrence (idempotent open)',
    source: 'src/checkins/escalate-missed-check-ins.ts',
    model: AlertModel,
    seed: escalatingAlert,
    run: findOne((doc) => ({ occurrenceKey: doc.occurrenceKey })),
    field: 'occurrenceKey',
  },
  {
    name: "a defender's trusted contacts",
    source: 'src/alerts/advance-escalations.ts',
    model: TrustedContactModel,
    seed: optedInContact,
    run: findOne((doc) => ({ ownerId: doc.ownerId })),
    field: 'ownerId',
  },
  // The rows below run the code's own read (or update) by a list of ids: one equality per id, not an `$in`.
  {
    name: 'alerts that reached a number, still open or handled (an ACK reply)',
    source: 'src/alerts/acknowledge-alert.ts',
    model: AlertModel,
    seed: escalatingAlert,
    run: async (_model, doc) => same(doc)(await alertsStillOpenOrHandled([String(doc._id)])),
    field: '_id',
  },
  {
    name: 'opted-in personal contacts an alert reached (handled-by, all-clear)',
    source: 'src/alerts/recipients.ts',
    model: TrustedContactModel,
    seed: optedInContact,
    run: async (_model, doc) => same(doc)(await optedInEntries([String(doc._id)])),
    field: '_id',
  },
  {
    name: 'opted-in team responders an alert reached (handled-by, all-clear)',
    source: 'src/alerts/recipients.ts',
    model: TeamResponderModel,
    seed: (n) => ({ _id: oid(n + 400_000), teamId: `team-${n}`, phoneLookup: `responder-lookup-${n}`, state: 'opted_in', padding: PADDING }),
    run: async (_model, doc) => same(doc)(await optedInEntries([String(doc._id)])),
    field: '_id',
  },
  {
    name: "every entry of a number opted out (a STOP reply's guarded updates)",
    source: 'src/sms/webhooks/contact-replies.ts',
    model: TrustedContactModel,
    seed: (n) => ({ _id: oid(n + 500_000), ownerId: oid(n + 500_000), phoneLookup: `stop-lookup-${n}`, state: 'opted_in', padding: PADDING }),
    run: async (_model, doc) => ((await optOut(replies, [{ kind: 'contact', doc } as unknown as NumberEntry])) === 1 ? doc : null),
    field: '_id',
  },
  {
    name: 'sign-in delay windows of a handle and an address (every sign-in)',
    source: 'src/accounts/throttle.ts',
    model: LoginThrottleModel,
    seed: (n) => ({ _id: `throttle-key-${n}`, failures: 9, lastFailureAt: new Date(), lockedUntil: new Date(Date.now() + 3_600_000) }),
    run: async (_model, doc) => same(doc)(await lockedThrottles([String(doc._id)], new Date())),
    field: '_id',
  },
  {
    name: "a team's newest alerts, read member by member (coordinators' view)",
    source: 'src/alerts/team-alerts.ts',
    model: AlertModel,
    seed: escalatingAlert,
    run: async (_model, doc) => same(doc)(await newestAlertsOf([String(doc.ownerId)])),
    field: 'ownerId',
  },
  {
    name: 'timeline events of the alerts shown (did an alert reach nobody?)',
    source: 'src/alerts/view-alerts.ts',
    model: TimelineEventModel,
    seed: (n) => ({ ownerId: oid(n), alertId: oid(n + 1), key: `event-key-${n}`, at: new Date(), encryptedEvent: PADDING }),
    run: async (_model, doc) => (await timelineEventsOf([String(doc.alertId)]))[0] ?? null,
    field: 'alertId',
  },
  {
    name: 'scheduled check-ins of one deadline slot (every scheduler pass)',
    source: 'src/checkins/escalate-missed-check-ins.ts',
    model: CheckInModel,
    seed: (n) => ({ _id: oid(n + 100_000), ownerId: oid(n), encryptedSchedule: PADDING, timeZone: 'UTC', encryptedAlertMessage: PADDING, state: 'scheduled', dueAt: new Date(), deadline: new Date(), deadlineSlot: 29_000_000 + n }),
    run: findOne((doc) => ({ deadlineSlot: doc.deadlineSlot, state: 'scheduled' })),
    field: 'deadlineSlot',
  },
  {
    name: 'escalating alerts of one action slot (tier waits)',
    source: 'src/alerts/advance-escalations.ts',
    model: AlertModel,
    seed: (n) => ({ _id: oid(n + 100_000), ownerId: oid(n), occurrenceKey: `slot-occurrence-${n}`, state: 'escalating', encryptedDuress: PADDING, missedAt: new Date(), dueAt: new Date(), createdAt: new Date(), tierIndex: 0, round: 0, actionSlot: 29_000_000 + n }),
    run: findOne((doc) => ({ actionSlot: doc.actionSlot, state: 'escalating' })),
    field: 'actionSlot',
  },
  {
    name: 'resolved alerts of one recovery slot (check-ins stranded by a crash)',
    source: 'src/checkins/recover-stranded-check-ins.ts',
    model: AlertModel,
    seed: (n) => ({ _id: oid(n + 200_000), ownerId: oid(n), occurrenceKey: `recovery-occurrence-${n}`, state: 'resolved', encryptedDuress: PADDING, missedAt: new Date(), dueAt: new Date(), createdAt: new Date(), tierIndex: 0, round: 0, recoverySlot: 29_000_000 + n }),
    run: findOne((doc) => ({ recoverySlot: doc.recoverySlot, state: 'resolved' })),
    field: 'recoverySlot',
  },
  {
    name: 'outbox messages of one attempt slot (sending and retries)',
    source: 'src/safety/delivery/deliver-outbox.ts',
    model: OutboxModel,
    seed: (n) => ({ key: `slot:${n}:tier-1`, ownerId: oid(n), kind: 'alert', encryptedTo: PADDING, encryptedBody: PADDING, state: 'pending', attempts: 0, nextAttemptAt: new Date(), attemptSlot: 29_000_000 + n }),
    run: findOne((doc) => ({ attemptSlot: doc.attemptSlot })),
    field: 'attemptSlot',
  },
];

/** Top-level fields of every index mongoose declares on a model, `_id` included (compound keys give each field). */
/** The fields that get a twin: `_id`, the leading field of every index, every field of a unique index. */
function twinnedFields(model: AnyModel): string[] {
  const fields = new Set(['_id']);
  for (const [key, options] of model.schema.indexes()) {
    const keys = Object.keys(key);
    for (const field of options?.unique ? keys : keys.slice(0, 1)) fields.add(field);
  }
  return [...fields];
}

/** Trailing fields of non-unique compound indexes that no other index twins. */
function untwinnedFields(model: AnyModel): string[] {
  const twinned = new Set(twinnedFields(model));
  return [...new Set(model.schema.indexes().flatMap(([key]) => Object.keys(key)))].filter((field) => !twinned.has(field));
}

describe('PostgreSQL under the embedded FerretDB serves the hot equality queries from GIN indexes', function () {
  this.timeout(300_000);
  let dbName: string;
  let postgresql: PostgresConnection;
  let probe: PostgresProbe;
  // One population per seed: rows of the same collection with their own seed add their own documents.
  const populated = new Map<HotQuery['seed'], Doc[]>();

  before(async function () {
    ({ dbName } = await useFreshDatabase());
    const server = await sharedDatabaseServer();
    if (!server.embedded?.postgresql) {
      console.error(`      PostgreSQL plan checks skipped: the server is ${server.embedded ? server.embedded.kind : 'the MongoDB of MONGODB_URI'}, not the embedded FerretDB on PostgreSQL; test/indexes.test.ts checks MongoDB's plans`);
      this.skip();
    }
    postgresql = server.embedded.postgresql;
    probe = await PostgresProbe.connect(postgresql);
    await Promise.all(Object.values(mongoose.models).map((model) => model.init()));
  });

  after(async () => {
    await probe?.close();
  });

  /** Fills a hot collection once (raw inserts: only the plan matters here), and lets PostgreSQL know its size. */
  async function populationOf(query: HotQuery): Promise<Doc[]> {
    let docs = populated.get(query.seed);
    if (!docs) {
      docs = Array.from({ length: POPULATION }, (_, n) => query.seed(n));
      for (let at = 0; at < docs.length; at += 1_000) await query.model.collection.insertMany(docs.slice(at, at + 1_000));
      const table = await probe.tableOf(dbName, query.model.collection.collectionName);
      await probe.query(`ANALYZE "${dbName}"."${table}"`);
      populated.set(query.seed, docs);
    }
    return docs;
  }

  it('gives the leading field of every index mongoose declares, and every field of a unique one, a GIN twin, _id included, on every collection', async () => {
    const missing: string[] = [];
    const extra: string[] = [];
    for (const model of Object.values(mongoose.models)) {
      const collection = model.collection.collectionName;
      const table = await probe.tableOf(dbName, collection);
      for (const field of twinnedFields(model)) {
        if (!(await probe.ginTwinOf(dbName, table, fieldExpression(field)))) missing.push(`${collection}.${field}`);
      }
      for (const field of untwinnedFields(model)) {
        if (await probe.ginTwinOf(dbName, table, fieldExpression(field))) extra.push(`${collection}.${field}`);
      }
    }
    assert.deepEqual(missing, [], 'fields of declared indexes without a GIN twin');
    // A twin of checkins.state makes PostgreSQL read every scheduled check-in's entry on each guarded update by _id.
    assert.ok(untwinnedFields(CheckInModel).includes('state'), 'checkins.state is expected to be a trailing field of a non-unique index');
    assert.deepEqual(extra, [], 'trailing fields of non-unique indexes with a GIN twin');
    for (const hot of ['checkins', 'alerts', 'outbox', 'sentmessages', 'webhookreceipts', 'verifiedphones', 'checkinprofiles', 'trustedcontacts', 'sessions']) {
      assert.ok(Object.values(mongoose.models).some((m) => m.collection.collectionName === hot), `no model for the hot collection ${hot}`);
    }
  });

  it('gives a collection that is dropped and created again its GIN twins again', async () => {
    for (const model of [CheckInModel, SessionModel]) {
      const dropped = await probe.tableOf(dbName, model.collection.collectionName);
      await model.collection.drop();
      const [gone] = await probe.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [`"${dbName}"."${dropped}"`]);
      assert.equal(gone?.t, null, 'FerretDB kept the table of a dropped collection');
      await model.createCollection();
      await model.createIndexes();
      const table = await probe.tableOf(dbName, model.collection.collectionName);
      for (const field of twinnedFields(model)) {
        assert.ok(await probe.ginTwinOf(dbName, table, fieldExpression(field)), `${model.collection.collectionName}.${field} has no GIN twin after the collection was recreated`);
      }
    }
  });

  it('drops a GIN twin with the last FerretDB index that needs it, and keeps one that another index still needs', async () => {
    const collection = mongoose.connection.collection('pgplanstwins');
    await collection.createIndexes([
      { key: { a: 1 }, name: 'a_1' },
      { key: { a: 1, b: -1 }, name: 'a_1_b_-1' },
      { key: { c: 1 }, name: 'c_1' },
      { key: { d: 1, e: 1 }, name: 'd_1_e_1', unique: true },
    ]);
    const table = await probe.tableOf(dbName, 'pgplanstwins');
    for (const field of ['_id', 'a', 'c', 'd', 'e']) assert.ok(await probe.ginTwinOf(dbName, table, fieldExpression(field)), `no twin for ${field}`);
    assert.equal(await probe.ginTwinOf(dbName, table, fieldExpression('b')), undefined, 'a trailing field of a non-unique index got a twin');

    await collection.dropIndex('c_1');
    await collection.dropIndex('a_1');

    assert.equal(await probe.ginTwinOf(dbName, table, fieldExpression('c')), undefined, 'the twin of a dropped index stays and costs every write');
    assert.ok(await probe.ginTwinOf(dbName, table, fieldExpression('a')), "a_1_b_-1 still leads with a, so a's twin must stay");
    assert.ok(await probe.ginTwinOf(dbName, table, fieldExpression('e')), "the unique d_1_e_1 still needs e's twin");
  });

  it("drops, at the next start, an older version's twin of a trailing field of a non-unique index", async () => {
    const collection = mongoose.connection.collection('pgplansoldtwins');
    await collection.createIndex({ f: 1, g: 1 }, { name: 'f_1_g_1' });
    const table = await probe.tableOf(dbName, 'pgplansoldtwins');
    // What the older version made: a twin for every field of every index.
    const [{ name } = { name: '' }] = await probe.query<{ name: string }>(`SELECT public.meshwork_gin_twin_name($1, $2) AS name`, [table, fieldExpression('g')]);
    await probe.query(`CREATE INDEX "${name}" ON "${dbName}"."${table}" USING gin ((${fieldExpression('g')}))`);
    assert.ok(await probe.ginTwinOf(dbName, table, fieldExpression('g')));

    await installGinTwins(postgresql, testLogger());

    assert.equal(await probe.ginTwinOf(dbName, table, fieldExpression('g')), undefined, 'the start-up pass kept a twin no index needs');
    assert.ok(await probe.ginTwinOf(dbName, table, fieldExpression('f')), "the start-up pass dropped the leading field's twin");
  });

  it('twins, at the next start, indexes FerretDB created while no trigger was installed (data folders from before)', async () => {
    await probe.query('ALTER EVENT TRIGGER meshwork_gin_twins_on_create_index DISABLE');
    let table: string;
    try {
      await mongoose.connection.collection('pgplansolder').createIndex({ olderField: 1 });
      table = await probe.tableOf(dbName, 'pgplansolder');
      assert.equal(await probe.ginTwinOf(dbName, table, fieldExpression('olderField')), undefined, 'the trigger was meant to be off');
    } finally {
      // The launcher's start-up step: it also installs the trigger again, enabled.
      await installGinTwins(postgresql, testLogger());
    }
    assert.ok(await probe.ginTwinOf(dbName, table, fieldExpression('olderField')), 'the start-up pass made no twin');
    assert.ok(await probe.ginTwinOf(dbName, table, fieldExpression('_id')));
    const triggers = await probe.query<{ evtenabled: string }>(`SELECT evtenabled FROM pg_event_trigger WHERE evtname = 'meshwork_gin_twins_on_create_index'`);
    assert.deepEqual(triggers, [{ evtenabled: 'O' }]);
  });

  it("keeps PostgreSQL on custom plans, set on the server's command line so every session of FerretDB has it", async () => {
    const rows = await probe.query<{ setting: string; source: string }>(`SELECT setting, source FROM pg_settings WHERE name = 'plan_cache_mode'`);
    assert.deepEqual(rows, [{ setting: 'force_custom_plan', source: 'command line' }]);
  });

  describe('each hot query, run once through mongoose on a populated collection', () => {
    const scansBefore = new Map<HotQuery, { twin: string | undefined; before: number; found: Doc | null; target: Doc }>();

    // All queries run first and the statistics are read after: PostgreSQL flushes an idle session's
    // index counters only every few seconds, so one wait serves them all. Only a row whose index an
    // earlier row read waits first for that read to show, so it cannot pass on the earlier row's count.
    before(async () => {
      for (const query of HOT_QUERIES) await populationOf(query);
      const expected = new Map<string, number>();
      for (const query of HOT_QUERIES) {
        const docs = populated.get(query.seed)!;
        const table = await probe.tableOf(dbName, query.model.collection.collectionName);
        const twin = await probe.ginTwinOf(dbName, table, fieldExpression(query.field));
        const target = docs[Math.floor(docs.length / 2)]!;
        const before = twin ? await probe.waitForScans(dbName, twin, expected.get(twin) ?? 0) : 0;
        if (twin) expected.set(twin, before + 1);
        const found = (await query.run(query.model, target)) as Doc | null;
        scansBefore.set(query, { twin, before, found, target });
      }
    });

    for (const query of HOT_QUERIES) {
      it(`${query.name} (${query.source}): PostgreSQL reads the GIN index of ${query.field}, in its plan and in what it executed`, async () => {
        const { twin, before, found, target } = scansBefore.get(query)!;
        assert.ok(twin, `no GIN twin for ${query.model.collection.collectionName}.${query.field}`);
        assert.ok(found, 'the query found nothing');
        assert.equal(String(found[query.field]), String(target[query.field]));
        const after = await probe.waitForScans(dbName, twin, before + 1);
        assert.ok(after > before, `PostgreSQL never read ${twin} for this query (idx_scan stayed ${before}): FerretDB no longer pushes this equality down, or PostgreSQL chose another plan`);

        const table = await probe.tableOf(dbName, query.model.collection.collectionName);
        const value = await probe.storedValue(dbName, table, query.field, Math.floor(POPULATION / 2));
        const plan = await probe.indexesInPlan(dbName, table, query.field, value);
        assert.ok(plan.indexes.includes(twin), `the plan for _jsonb -> '${query.field}' @> value is ${plan.nodes.join(' <- ')}, not a scan of ${twin}`);
      });
    }
  });

  describe('a hot query run again and again', () => {
    it('stays on the index over 200 runs of the same query (FerretDB prepares its statements; a generic plan could drop the index)', async () => {
      const query = HOT_QUERIES[0]!;
      const docs = await populationOf(query);
      const table = await probe.tableOf(dbName, query.model.collection.collectionName);
      const twin = (await probe.ginTwinOf(dbName, table, fieldExpression(query.field)))!;
      const before = await probe.waitForScans(dbName, twin, 0);

      for (let i = 0; i < 200; i++) assert.ok(await query.run(query.model, docs[(i * 37) % docs.length]!), `run ${i} found nothing`);

      const after = await probe.waitForScans(dbName, twin, before + 200);
      assert.ok(after - before >= 200, `the GIN index was read ${after - before} times for 200 queries`);
    });
  });
});
