import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { promisify } from 'node:util';
import { AlertModel } from '../src/alerts/alert.model';
import { openDuress } from '../src/alerts/alert-secrets';
import { openEvent } from '../src/safety/timeline';
import { TimelineEventModel } from '../src/safety/timeline.model';
import { CheckInModel } from '../src/checkins/check-in.model';
import { CheckInProfileModel } from '../src/safety/check-in-profile.model';
import { TrustedContactModel } from '../src/contacts/contact.model';
import { FakeTwilio, TEST_PUBLIC_URL, twilioConfig } from './support/fake-twilio';
import { startTestService, type TestService } from './support/service';
import { rawDump } from './support/raw-database';
import { ManualClock } from '../src/shared/clock';

const run = promisify(execFile);
const MINUTE = 60_000;

/** What a person types at each prompt of a walkthrough command (PINs and numbers never go in argv). */
const TYPED: Record<string, string[]> = {
  'team add': ['y'],
  'checkin profile': ['2468', '2468', '1357', '1357'],
  'contact add': ['+504 9876 5567'],
  'checkin schedule': ['Call my lawyer Rosa on +504 2222 0000.'],
  'checkin now': ['2468'],
};

/** Splits a README command line as a shell would (double quotes; a # after a space starts a comment). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const pattern = /"([^"]*)"|(\S+)/g;
  for (const match of line.matchAll(pattern)) {
    if (match[2]?.startsWith('#')) break;
    words.push(match[1] ?? match[2]!);
  }
  return words;
}

/**
 * A README output line as a pattern: ids, numbers, paths, dashes and column padding vary between
 * runs (so does the log head's short code); the words do not. Ids already seen must be the same ids (a list shows what add created).
 */
function shapeOf(line: string, ids: Map<string, string>): { pattern: RegExp; readmeIds: string[] } {
  if (/^[-\s]+$/.test(line)) return { pattern: /^[-\s]+$/, readmeIds: [] };
  const readmeIds: string[] = [];
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const source = line.trim().replace(/(?<=code )[\w-]{10}\b|[a-f0-9]{24}|\S*\d\S*\.\.\.|\/[^\s)]+|\d+|\s+|[^a-f0-9\d\s/]+|./g, (token, offset: number, whole: string) => {
    // The log head's short code (base64url of its hash) differs in every run.
    if (whole.slice(0, offset).endsWith('code ') && /^[\w-]{10}$/.test(token)) return '[\\w-]{10}';
    if (/^[a-f0-9]{24}$/.test(token)) {
      readmeIds.push(token);
      const known = ids.get(token);
      return known ? `(${known})` : '([a-f0-9]{24})';
    }
    if (/\.\.\.$/.test(token) && /\d/.test(token)) return '\\S+';
    if (token.startsWith('/')) return '\\S+';
    if (/^\d+$/.test(token)) return '\\d+';
    if (/^\s+$/.test(token)) return '\\s+';
    return escape(token);
  });
  return { pattern: new RegExp(`^${source}$`), readmeIds };
}

describe('The meshwork command-line client', function () {
  // Each command is a child process (tsx, libsodium, often argon2id): the walkthrough alone runs about 30 of them.
  this.timeout(600_000);
  let service: TestService;
  let fake: FakeTwilio;
  let dir: string;
  const clock = new ManualClock(new Date());
  const target = () => ({ baseUrl: service.baseUrl, publicUrl: TEST_PUBLIC_URL });
  // Event kinds are sealed at rest (they would tell duress apart): count them after decrypting.
  const checkedInEvents = async (ownerId: unknown) =>
    (await TimelineEventModel.find({ ownerId }).lean()).filter((e) => openEvent(service.services, e).kind === 'checked_in').length;

  before(async () => {
    fake = await new FakeTwilio(clock).start();
    service = await startTestService({ ...twilioConfig, ESCALATION_REPEATS: 0 }, { clock, smsSender: fake.sender(TEST_PUBLIC_URL) });
    dir = mkdtempSync(path.join(tmpdir(), 'meshwork-cli-'));
  });
  // The CLI reads "18:00" against this computer's clock: the server's starts each test from it too.
  beforeEach(() => clock.set(new Date()));
  after(async () => {
    await service.close();
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const environment = (who: string) => ({ ...process.env, MESHWORK_SERVER: service.baseUrl, MESHWORK_STATE: path.join(dir, who, 'state.json'), MESHWORK_PASSWORD: `a long password for ${who}` });

  /** The real bin, as a child process, against the test server over HTTP. */
  const cli = (who: string, ...args: string[]) => run(process.execPath, ['bin/meshwork.js', ...args], { env: environment(who) });

  /** The same, with lines typed at its prompts (standard input, as a script or a terminal gives them). */
  const typing = (who: string, typed: string[], ...args: string[]) =>
    new Promise<{ stdout: string; stderr: string; code: number }>((resolve, reject) => {
      const child = spawn(process.execPath, ['bin/meshwork.js', ...args], { env: environment(who) });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ stdout, stderr, code: code ?? -1 }));
      child.stdin.end(typed.map((line) => `${line}\n`).join(''));
    });

  it('registers two people, shares a team after comparing safety numbers, stores a risk map and prints its summary', async () => {
    const registered = await cli('ana', 'register', 'ana-cli');
    assert.match(registered.stdout, /Recovery words/);
    assert.equal(registered.stdout.split('\n')[2]!.trim().split(' ').length, 24);
    await cli('rosa', 'register', 'rosa-cli');
    assert.equal(statSync(path.join(dir, 'ana', 'state.json')).mode & 0o777, 0o600);
    assert.ok(!readFileSync(path.join(dir, 'ana', 'state.json'), 'utf8').includes('a long password'), 'the password is not stored');

    const created = await cli('ana', 'team', 'create', 'Marker-CLI-TEAM');
    const teamId = /\(([a-f0-9]{24})\)/.exec(created.stdout)![1]!;
    await cli('ana', 'team', 'invite', teamId, 'rosa-cli');
    assert.match((await cli('rosa', 'team', 'invitations')).stdout, new RegExp(`${teamId}\\s+ana-cli\\s+no`));
    await cli('rosa', 'team', 'accept', teamId);
    const anaSees = /((?:\d{5} ){11}\d{5})/.exec((await cli('ana', 'team', 'verify', teamId, 'rosa-cli')).stdout)![1];
    const rosaSees = /((?:\d{5} ){11}\d{5})/.exec((await cli('rosa', 'team', 'verify', teamId, 'ana-cli')).stdout)![1];
    assert.equal(anaSees, rosaSees);
    await cli('ana', 'team', 'add', teamId, 'rosa-cli', '--yes');

    const put = await cli('ana', 'doc', 'put', 'Marker-CLI-TEAM', 'risk-map', 'docs/examples/risk-map.json');
    const documentId = /risk-map ([a-f0-9]{24}) version 1/.exec(put.stdout)![1]!;
    const summary = await cli('rosa', 'risk', 'summary', 'Marker-CLI-TEAM');
    assert.match(summary.stdout, /2\s+CRITICAL\s+25\s+3\s+3\s+0\s+5\s+5\s+Arbitrary detention/, 'likelihood 3 raised to 5 by vulnerabilities of severity 3: 5 x 5');
    assert.match(summary.stdout, /Arbitrary detention of the spokesperson/);
    const got = await cli('rosa', 'doc', 'get', teamId, documentId);
    assert.equal(JSON.parse(got.stdout).title, 'Risk map: land defence in the valley, 2025');

    await cli('rosa', 'incident', 'add', teamId, '--what', 'Marker-CLI-INCIDENT followed home', '--when', '2025-03-10T18:30:00Z', '--actors', 'two men');
    assert.match((await cli('ana', 'incident', 'list', teamId)).stdout, /2025-03-10 18:30.*Marker-CLI-INCIDENT followed home\s+two men/);
    assert.match((await cli('ana', 'team', 'log', teamId)).stdout, /All 3 entries verified/);

    const dump = await rawDump();
    assert.ok(!dump.includes('Marker-CLI') && !dump.includes('land defence'));

    await cli('rosa', 'logout');
    assert.match((await cli('rosa', 'whoami')).stdout, /Not signed in/);
    await assert.rejects(cli('rosa', 'team', 'list'), (error: { stderr?: string; code?: number }) => /Not signed in/.test(error.stderr ?? '') && error.code === 1);
  });

  it("runs README's walkthrough, check-in included, and prints every line README shows", async function () {
    const readme = readFileSync('README.md', 'utf8');
    const block = /A real session against `npm start`[\s\S]*?```\n([\s\S]*?)```/.exec(readme)![1]!;
    const steps: { line: string; expected: string[] }[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('$ ')) steps.push({ line: line.slice(2), expected: [] });
      else if (line.trim() !== '') steps.at(-1)!.expected.push(line);
    }
    assert.ok(steps.some((s) => s.line.startsWith('A checkin now')), 'the walkthrough includes a check-in');
    const ids = new Map<string, string>();
    for (const step of steps) {
      const [who, ...rest] = shellWords(step.line);
      const args = rest.map((word) => ids.get(word) ?? word);
      const result = await typing(who!, TYPED[args.slice(0, 2).join(' ')] ?? [], ...args);
      assert.equal(result.code, 0, `$ ${step.line}\n${result.stderr}`);
      const actual = result.stdout.split('\n');
      let at = 0;
      // Lines with an ellipsis are abbreviated in README (recovery words): not compared.
      for (const expected of step.expected.filter((e) => !e.includes('…'))) {
        const { pattern, readmeIds } = shapeOf(expected, ids);
        while (at < actual.length && !pattern.test(actual[at]!.trim())) at += 1;
        assert.ok(at < actual.length, `$ ${step.line}\nREADME shows: ${expected}\nbut the CLI printed:\n${result.stdout}`);
        const captured = pattern.exec(actual[at]!.trim())!.slice(1);
        readmeIds.forEach((id, i) => ids.set(id, captured[i]!));
        at += 1;
      }
    }
    // What the walkthrough did, in the database and at the SMS provider.
    const owner = await CheckInProfileModel.findOne({ timeZone: 'America/Tegucigalpa' }).lean();
    assert.ok(owner, 'the profile was saved');
    assert.equal(await CheckInModel.countDocuments({ ownerId: owner.ownerId }), 0, 'the one-off check-in is done');
    assert.equal(await checkedInEvents(owner.ownerId), 1);
    assert.equal(await AlertModel.countDocuments({ ownerId: owner.ownerId }), 0, 'the check-in PIN raised no alert');
    await service.services.scheduler.tick();
    assert.match(fake.to('+50498765567')[0]?.body ?? '', /^Amaru te pide ser su contacto de confianza/);
  });

  /** A signed-in defender with a profile (PINs 2468 and duress 1357), set up through the CLI. */
  async function defender(who: string, name: string) {
    await cli(who, 'register', `${who}-cli`);
    const saved = await typing(who, ['2468', '2468', '1357', '1357'], 'checkin', 'profile', '--name', name, '--time-zone', 'America/Mexico_City', '--language', 'es');
    assert.equal(saved.code, 0, saved.stderr);
    return accountIdOf(who);
  }
  const accountIdOf = (who: string) => new mongoose.Types.ObjectId((JSON.parse(readFileSync(path.join(dir, who, 'state.json'), 'utf8')) as { account: { accountId: string } }).account.accountId);
  const inMinutes = (n: number) => new Date(clock.now().getTime() + n * MINUTE).toISOString();

  it('checks in with the duress PIN printing exactly what the check-in PIN prints, while a duress alert starts', async () => {
    const ownerId = await defender('dora', 'Dora');
    const every = await cli('dora', 'checkin', 'schedule', '--every', '6', '--start', inMinutes(60), '--message', 'Call Rosa.');
    const checkInId = /Scheduled check-in ([a-f0-9]{24})/.exec(every.stdout)![1]!;
    const normal = await typing('dora', ['2468'], 'checkin', 'now');
    const afterNormal = await CheckInModel.findById(checkInId).lean();
    const duress = await typing('dora', ['1357'], 'checkin', 'now', checkInId);
    assert.equal(normal.code, 0);
    assert.equal(duress.code, 0);
    const shape = (text: string) => text.replace(/\d/g, '#');
    assert.equal(shape(duress.stdout), shape(normal.stdout), 'whoever watches the screen cannot tell the PINs apart');
    assert.equal(duress.stderr, normal.stderr);
    assert.match(normal.stdout, /^Checked in at .*\nNext check-in by /);
    assert.equal((await AlertModel.find({ ownerId }).lean()).filter((a) => openDuress(service.services.fieldCipher, a).duress).length, 1, 'the duress PIN started an alert');
    const afterDuress = await CheckInModel.findById(checkInId).lean();
    assert.equal(afterDuress!.dueAt.getTime() - afterNormal!.dueAt.getTime(), 6 * 60 * MINUTE, 'both moved the check-in on by one interval');
  });

  it('refuses a wrong PIN with exit code 1 and changes nothing, changes PINs and the name only after the current one, and cancels with the new PIN; PINs typed differently twice are refused', async () => {
    const ownerId = await defender('wanda', 'Wanda');
    await cli('wanda', 'checkin', 'schedule', '--daily', '08:00,20:00', '--message', 'Call Rosa.');
    // A wrong PIN is counted on the check-in's copy of the PINs (`pins`), as on the profile; nothing else may change.
    const before = await CheckInModel.findOne({ ownerId }, { pins: 0 }).lean();
    const wrong = await typing('wanda', ['9999'], 'checkin', 'now');
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /\(wrong_pin\)/);
    const cancel = await typing('wanda', ['9999'], 'checkin', 'cancel', String(before!._id));
    assert.equal(cancel.code, 1);
    assert.deepEqual(await CheckInModel.findOne({ ownerId }, { pins: 0 }).lean(), before, 'the check-in is untouched');
    assert.equal(await checkedInEvents(ownerId), 0);
    const wrongExtend = await typing('wanda', ['9999'], 'checkin', 'extend', '--minutes', '30');
    assert.equal(wrongExtend.code, 1);
    assert.match(wrongExtend.stderr, /\(wrong_pin\)/);
    assert.deepEqual(await CheckInModel.findOne({ ownerId }, { pins: 0 }).lean(), before, 'a wrong PIN extends nothing');
    const extended = await typing('wanda', ['2468'], 'checkin', 'extend', '--minutes', '30');
    assert.equal(extended.code, 0, extended.stderr);
    assert.match(extended.stdout, /^Extended: check in by /);
    const after = await CheckInModel.findOne({ ownerId }).lean();
    assert.equal(after!.dueAt.getTime() - before!.dueAt.getTime(), 30 * MINUTE, 'the deadline moved 30 minutes later');

    // New PINs only with the current one: a borrowed session must not be able to replace them.
    const pinsBefore = await CheckInProfileModel.findOne({ ownerId }, { pinHash: 1, duressPinHash: 1 }).lean();
    const stolen = await typing('wanda', ['1357', '1111', '1111', '2222', '2222'], 'checkin', 'profile', '--new-pins');
    assert.equal(stolen.code, 1, 'the duress PIN does not count as the current PIN');
    assert.match(stolen.stderr, /\(wrong_pin\)/);
    assert.deepEqual(await CheckInProfileModel.findOne({ ownerId }, { pinHash: 1, duressPinHash: 1 }).lean(), pinsBefore);
    const changed = await typing('wanda', ['2468', '1111', '1111', '2222', '2222'], 'checkin', 'profile', '--new-pins');
    assert.equal(changed.code, 0, changed.stderr);
    const cancelled = await typing('wanda', ['1111'], 'checkin', 'cancel', String(before!._id));
    assert.equal(cancelled.code, 0, cancelled.stderr);
    assert.match(cancelled.stdout, /^Cancelled check-in [a-f0-9]{24}\./);
    assert.equal(await CheckInModel.countDocuments({ ownerId }), 0, 'cancelled with the new PIN');
    // A new name, like new PINs, needs the current PIN at the prompt: the duress PIN renames nobody.
    const nameBefore = await CheckInProfileModel.findOne({ ownerId }, { encryptedDisplayName: 1 }).lean();
    const renamedUnderDuress = await typing('wanda', ['2222'], 'checkin', 'profile', '--name', 'Rosa');
    assert.equal(renamedUnderDuress.code, 1);
    assert.match(renamedUnderDuress.stderr, /\(wrong_pin\)/);
    assert.deepEqual(await CheckInProfileModel.findOne({ ownerId }, { encryptedDisplayName: 1 }).lean(), nameBefore);
    const renamed = await typing('wanda', ['1111'], 'checkin', 'profile', '--name', 'Rosa');
    assert.equal(renamed.code, 0, renamed.stderr);
    assert.match(renamed.stdout, /^Saved your check-in profile: Rosa,/);

    await cli('vera', 'register', 'vera-cli');
    const differ = await typing('vera', ['2468', '2486'], 'checkin', 'profile', '--name', 'Vera');
    assert.equal(differ.code, 1);
    assert.match(differ.stderr, /differ/);
    const sameAsPin = await typing('vera', ['2468', '2468', '2468', '2468'], 'checkin', 'profile', '--name', 'Vera');
    assert.equal(sameAsPin.code, 1);
    assert.match(sameAsPin.stderr, /duress_pin_same_as_pin/);
    const noInput = await typing('vera', [], 'checkin', 'profile', '--name', 'Vera');
    assert.equal(noInput.code, 1, 'input that ends before the PIN is a refusal, not a hang');
    assert.equal(await CheckInProfileModel.countDocuments({ ownerId: accountIdOf('vera') }), 0, 'nothing was saved for vera');
  });

  it('manages the trusted network, shows who agreed, and lists an alert with its timeline after a missed check-in', async function () {
    const ownerId = await defender('mara', 'Mara');
    const added = await typing('mara', ['+502 5123 4567'], 'contact', 'add', 'Bea', '--tier', '1', '--language', 'es');
    assert.equal(added.code, 0, added.stderr);
    await cli('mara', 'contact', 'add', 'Caro', '--tier', '2', '--language', 'pt', '--phone', '+258 84 123 4567');
    await service.services.scheduler.tick();
    assert.equal(fake.to('+50251234567').length, 1, 'the invitation went out');
    assert.match((await cli('mara', 'contact', 'list')).stdout, /Bea\s+\S+567\s+es\s+1\s+invited, no reply yet[\s\S]*Warning: no contact has replied YES/);
    await fake.inbound(target(), '+50251234567', 'SI');
    const agreed = await cli('mara', 'contact', 'list');
    assert.match(agreed.stdout, /Bea\s+\S+567\s+es\s+1\s+agreed \(YES\)/);
    assert.doesNotMatch(agreed.stdout, /Warning/);

    await cli('mara', 'contact', 'set', 'Caro', '--tier', '3', '--language', 'es');
    const caro = await TrustedContactModel.findOne({ ownerId, tier: 3 }).lean();
    assert.equal(caro?.language, 'es');
    await cli('mara', 'contact', 'invite', 'Caro');
    await service.services.scheduler.tick();
    assert.equal(fake.to('+258841234567').length, 2, 'the invitation went out again');

    // Another account's contact id answers exactly like an id that does not exist.
    const other = await defender('olga', 'Olga');
    await cli('olga', 'contact', 'add', 'Zoe', '--tier', '1', '--language', 'en', '--phone', '+263 77 123 4567');
    const zoe = await TrustedContactModel.findOne({ ownerId: other }).lean();
    const foreign = await typing('mara', [], 'contact', 'remove', String(zoe!._id));
    const missing = await typing('mara', [], 'contact', 'remove', 'ffffffffffffffffffffffff');
    assert.equal(foreign.code, 1);
    assert.equal(foreign.stderr.replace(String(zoe!._id), 'ID'), missing.stderr.replace('ffffffffffffffffffffffff', 'ID'));
    assert.equal(await TrustedContactModel.countDocuments({ ownerId: other }), 1);

    await cli('mara', 'checkin', 'schedule', '--by', inMinutes(30), '--grace', '10', '--message', 'Call my lawyer Rosa.', '--place', 'Hotel Sol');
    clock.advance(40 * MINUTE + 10_000);
    await service.services.scheduler.tick();
    assert.match(fake.to('+50251234567').at(-1)!.body, /^ALERTA MESHWORK: Mara no hizo su check-in/);
    const alerts = await cli('mara', 'alert', 'list');
    const alertId = /([a-f0-9]{24})\s+escalating/.exec(alerts.stdout)?.[1];
    assert.ok(alertId, alerts.stdout);
    assert.match((await cli('mara', 'checkin', 'list')).stdout, /MISSED: contacts are being alerted/);
    await fake.inbound(target(), '+50251234567', 'ACK');
    const timeline = await cli('mara', 'alert', 'timeline', alertId);
    assert.match(timeline.stdout, /acknowledged, Bea is acting on it/);
    assert.match(timeline.stdout, /tier alerted\s+1/);
    assert.match(timeline.stdout, /acknowledged\s+\S*\s*Bea/);

    await cli('mara', 'contact', 'remove', 'Bea');
    assert.equal(await TrustedContactModel.countDocuments({ ownerId }), 1);
  });

  it("shows a coordinator the team members' alerts, duress marked, which the member's own screen never shows", async function () {
    await cli('cora', 'register', 'cora-cli');
    const created = await cli('cora', 'team', 'create', 'Night shift');
    const teamId = /\(([a-f0-9]{24})\)/.exec(created.stdout)![1]!;
    await defender('mina', 'Mina');
    await cli('cora', 'team', 'invite', teamId, 'mina-cli');
    await cli('mina', 'team', 'accept', teamId);
    await cli('cora', 'team', 'add', teamId, 'mina-cli', '--yes');
    await cli('mina', 'contact', 'add', 'Ines', '--tier', '1', '--language', 'es', '--phone', '+52 1 55 1234 5678');
    await service.services.scheduler.tick();
    await fake.inbound(target(), '+525512345678', 'SI');

    await cli('mina', 'checkin', 'schedule', '--by', inMinutes(30), '--grace', '10', '--message', 'Call Rosa.');
    const duress = await typing('mina', ['1357'], 'checkin', 'now');
    assert.equal(duress.code, 0);
    assert.equal(await CheckInModel.countDocuments({ ownerId: accountIdOf('mina') }), 0, 'the one-off check-in looks done');
    await service.services.scheduler.tick();
    assert.match(fake.to('+525512345678').at(-1)!.body, /^ALERTA MESHWORK: Mina pide ayuda en silencio/);

    assert.equal((await cli('mina', 'alert', 'list')).stdout.trim(), 'No alerts.', "the member's own screen shows nothing of it");
    const seen = await cli('cora', 'alert', 'list', '--team', teamId);
    const alertId = /([a-f0-9]{24})\s+mina-cli\s+escalating\s+DURESS/.exec(seen.stdout)?.[1];
    assert.ok(alertId, seen.stdout);
    const byName = await cli('cora', 'alert', 'list', '--team', 'Night shift');
    assert.match(byName.stdout, new RegExp(`${alertId}\\s+mina-cli`), 'a team name works too (it asks for the password)');
    const timeline = await cli('cora', 'alert', 'timeline', alertId, '--team', teamId);
    assert.match(timeline.stdout, /\(mina-cli, DURESS\): escalating/);
    assert.match(timeline.stdout, /tier alerted\s+1/);

    // A plain member cannot read the team's alerts: the same answer as for a team that does not exist.
    const member = await typing('mina', [], 'alert', 'list', '--team', teamId);
    const nowhere = await typing('mina', [], 'alert', 'list', '--team', 'ffffffffffffffffffffffff');
    assert.equal(member.code, 1);
    assert.equal(member.stderr, nowhere.stderr);

    await cli('cora', 'team', 'role', teamId, 'mina-cli', 'coordinator');
    // Now a coordinator, she sees the team's alerts, but never her own: her phone may be in someone else's hands.
    assert.equal((await cli('mina', 'alert', 'list', '--team', teamId)).stdout.trim(), 'No alerts in this team.');
  });
  it("keeps a team's urgent-action network from the command line: SMS name, add, list, invite, remove, and a member's choice; others get exit code 1 as for no team", async function () {
    await cli('tara', 'register', 'tara-cli');
    const created = await cli('tara', 'team', 'create', 'Collective of the valley');
    const teamId = /\(([a-f0-9]{24})\)/.exec(created.stdout)![1]!;
    await defender('ula', 'Ula');
    await cli('tara', 'team', 'invite', teamId, 'ula-cli');
    await cli('ula', 'team', 'accept', teamId);
    await cli('tara', 'team', 'add', teamId, 'ula-cli', '--yes');

    const early = await typing('tara', [], 'team', 'network', 'add', teamId, 'Marta', '--role', 'lawyer', '--language', 'es', '--phone', '+52 1 55 1234 6789');
    assert.equal(early.code, 1);
    assert.match(early.stderr, /sms_name_required/);
    assert.match((await cli('tara', 'team', 'network', 'sms-name', teamId, 'Red del Valle')).stdout, /The team's texts now say "Red del Valle"\./);
    const added = await cli('tara', 'team', 'network', 'add', teamId, 'Marta', '--role', 'lawyer', '--language', 'es', '--phone', '+52 1 55 1234 6789');
    assert.match(added.stdout, /^Added Marta \([a-f0-9]{24}\), lawyer, SMS in es, phone .*789\./);
    await service.services.scheduler.tick();
    const invitation = fake.to('+525512346789').at(-1)!.body;
    assert.match(invitation, /^Red del Valle te suma a su red de accion urgente/);
    assert.match((await cli('tara', 'team', 'network', 'invite', teamId, 'Marta')).stdout, /Invitation queued again for Marta\./);
    await fake.inbound(target(), '+525512346789', `SI ${/SI ([0-9A-Z]{2,3}) /.exec(invitation)![1]}`);
    assert.match((await cli('tara', 'team', 'network', 'list', teamId)).stdout, /SMS name: Red del Valle\n[\s\S]*Marta\s+lawyer\s+\S*789\s+es\s+agreed/);

    assert.match((await cli('ula', 'checkin', 'team-network', '--team', teamId)).stdout, new RegExp(`also go to the urgent-action network of team ${teamId}, after your own tiers\\.`));
    const profile = await mongoose.connection.db!.collection('checkinprofiles').findOne({ ownerId: accountIdOf('ula') });
    assert.equal(profile?.teamNetworkTeamId, teamId);
    // Her only opted-in recipient is the team's lawyer: the reach says so instead of "nobody will be alerted".
    const scheduled = await cli('ula', 'checkin', 'schedule', '--by', inMinutes(30), '--message', 'Call Rosa.');
    assert.match(scheduled.stdout, /\+ 1 responder of Red del Valle at tier 1 \(the team's urgent-action network\)\./);
    assert.doesNotMatch(scheduled.stdout, /Warning/);

    // A plain member is told exactly what a team that does not exist tells.
    const member = await typing('ula', [], 'team', 'network', 'list', teamId);
    const nowhere = await typing('ula', [], 'team', 'network', 'list', 'ffffffffffffffffffffffff');
    assert.equal(member.code, 1);
    assert.equal(member.stderr, nowhere.stderr);

    assert.match((await cli('tara', 'team', 'network', 'remove', teamId, 'Marta')).stdout, /Removed Marta\./);
    assert.equal(await mongoose.connection.db!.collection('teamresponders').countDocuments({ teamId }), 0);
    assert.match((await cli('ula', 'checkin', 'list')).stdout, /Warning: no contact and no responder of Red del Valle has replied YES yet, so if you miss a check-in nobody will be alerted\./);
    assert.match((await cli('ula', 'checkin', 'team-network', '--off')).stdout, /own contacts only/);
  });

  it("lists the time zones of the SMS language's region first, then the computer's own, under today's name", async () => {
    const zones = async (tz: string, ...args: string[]) =>
      (await run(process.execPath, ['bin/meshwork.js', 'checkin', 'zones', ...args], { env: { ...environment('zones'), TZ: tz } })).stdout
        .split('\n')
        .slice(2)
        .map((line) => line.split(/\s+/)[0])
        .filter(Boolean);
    assert.deepEqual(await zones('Asia/Rangoon', '--language', 'id'), ['Asia/Jakarta', 'Asia/Pontianak', 'Asia/Makassar', 'Asia/Jayapura', 'Asia/Yangon']);
    assert.deepEqual(await zones('Africa/Lusaka', '--language', 'km'), ['Asia/Phnom_Penh', 'Africa/Lusaka']);
    assert.deepEqual(await zones('America/Guatemala', '--language', 'es'), ['America/Tegucigalpa', 'America/Guatemala', 'America/Mexico_City', 'America/Monterrey', 'America/Merida', 'America/Bahia_Banderas', 'America/Cancun', 'America/Matamoros', 'America/Chihuahua', 'America/Ciudad_Juarez', 'America/Ojinaga', 'America/Mazatlan', 'America/Hermosillo', 'America/Tijuana']);
    // Signed out, no language given: English's region, Southern Africa.
    assert.deepEqual((await zones('Africa/Maputo')).slice(0, 4), ['Africa/Harare', 'Africa/Lusaka', 'Africa/Blantyre', 'Africa/Maputo']);
    const all = await zones('UTC', '--language', 'my', '--all');
    assert.equal(all[0], 'Asia/Yangon');
    assert.ok(all.length > 300 && !all.includes('Asia/Rangoon'), 'every zone once');
  });
});
