import { readFileSync, writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { MeshworkClient } from '../client/account';
import { computeRiskSummary, DOCUMENT_KINDS, InvalidContentError, type DocumentKind, type Incident, type RiskMap } from '../client/content';
import { DocumentVerificationError } from '../client/crypto/vault-documents';
import { MeshworkApiError } from '../client/http';
import { KeyChangedError } from '../client/key-pins';
import { TeamLogVerificationError } from '../client/teams';
import { RollbackError, type DecryptedDocument } from '../client/vault';
import { isObjectId } from '../shared/ids';
import { loadSodium } from '../shared/sodium';
import { table } from './format';
import { closePrompts, confirm, readPassword } from './prompt';
import { addSafetyCommands } from './safety';
import { logIn, signedInApi, unlock } from './session';
import { defaultStatePath, StateFile } from './state';

const program = new Command();
program
  .name('meshwork')
  .description('End-to-end-encrypted risk maps, security plans and incident logs for your team; safety check-ins and your trusted network.')
  .option('--state <file>', 'where this device keeps its keys and session (MESHWORK_STATE)', defaultStatePath())
  .option('--server <url>', 'the Meshwork server (MESHWORK_SERVER)', process.env.MESHWORK_SERVER || 'http://localhost:3000')
  .showHelpAfterError();

const globals = () => program.opts<{ state: string; server: string }>();
const stateFile = () => new StateFile(globals().state);
const session = async () => {
  const file = stateFile();
  return unlock(await loadSodium(), file, file.load());
};
const out = (text = '') => console.log(text);

program
  .command('register <handle>')
  .description('create an account (a pseudonym is best), then sign in on this device')
  .action(async (handle: string) => {
    const password = await readPassword('Choose a password (long is better than clever): ');
    if (!process.env.MESHWORK_PASSWORD && (await readPassword('Repeat it: ')) !== password) throw new Error('The passwords differ.');
    const client = await MeshworkClient.connect({ baseUrl: globals().server });
    const registration = await client.register(handle, password);
    out(`Registered ${registration.handle}.`);
    out('Recovery words (write them on paper, keep them apart from this device; shown once):');
    out(`  ${registration.recoveryWords}`);
    await logIn(client.sodium, stateFile(), globals().server, registration.handle, password);
    out(`Signed in on this device (${globals().state}).`);
  });

program
  .command('login <handle>')
  .description('sign in on this device')
  .action(async (handle: string) => {
    const password = await readPassword(`Password for ${handle}: `);
    const account = await logIn(await loadSodium(), stateFile(), globals().server, handle, password);
    out(`Signed in as ${account.handle}.`);
  });

program
  .command('logout')
  .description('end the session and remove the keys from this device (pinned keys of others are kept)')
  .action(async () => {
    const file = stateFile();
    const state = file.load();
    if (state.account && state.server) {
      const client = await MeshworkClient.connect({ baseUrl: state.server, token: state.account.token });
      await client.api.delete('/v1/sessions/current').catch(() => undefined);
    }
    delete state.account;
    file.save(state);
    out('Signed out; the private keys are gone from this device.');
  });

program
  .command('whoami')
  .description('who is signed in on this device, and where')
  .action(() => {
    const state = stateFile().load();
    out(state.account ? `${state.account.handle} (${state.account.accountId}) on ${state.server}` : 'Not signed in.');
  });

const team = program.command('team').description('teams: create, invite, verify, add, remove');

team.command('create <name>').description('create a team; you are its first coordinator').action(async (name: string) => {
  const { teams } = await session();
  const created = await teams.create(name);
  out(`Created team "${created.name}" (${created.teamId}).`);
});

team.command('list').description('teams you belong to').action(async () => {
  const { teams } = await session();
  const list = await teams.list();
  out(list.length === 0 ? 'You are in no team yet.' : table(['team id', 'name', 'role', 'members', 'key gen'], list.map((t) => [t.teamId, t.name, t.myRole, t.members().filter((m) => m.status === 'member').length, t.generation])));
});

team.command('invite <team> <handle>').description('invite an account by handle (its keys are pinned on first sight)').action(async (teamRef: string, handle: string) => {
  const { teams } = await session();
  const found = await teams.find(teamRef);
  await found.invite(handle);
  out(`Invited ${handle} to "${found.name}". When they accept, compare safety numbers and run: meshwork team add ${found.teamId} ${handle}`);
});

team.command('invitations').description('teams that invited you').action(async () => {
  const { teams } = await session();
  const invitations = await teams.invitations();
  out(invitations.length === 0 ? 'No invitations.' : table(['team id', 'invited by', 'accepted'], invitations.map((i) => [i.teamId, i.invitedBy.handle, i.accepted ? 'yes' : 'no'])));
});

team.command('accept <teamId>').description('accept an invitation').action(async (teamId: string) => {
  const { teams } = await session();
  await teams.accept(teamId);
  out('Accepted. A coordinator will compare safety numbers with you and then add you.');
});

team.command('members <team>').description('members and invitees, as the verified log says').action(async (teamRef: string) => {
  const { teams } = await session();
  const found = await teams.find(teamRef);
  out(table(['handle', 'role', 'status'], found.members().map((m) => [m.handle, m.role, m.status])));
});

team
  .command('verify <team> <handle>')
  .description('show the safety number to compare face to face')
  .action(async (teamRef: string, handle: string) => {
    const { teams } = await session();
    // An invitee is not a member yet and cannot open the team: they compare against the keys the server gives now (pinned).
    const found = await teams.find(teamRef).catch((error: unknown) => {
      if (error instanceof MeshworkApiError && error.status === 404) return null;
      throw error;
    });
    out(`Safety number with ${handle}:`);
    out(`  ${found ? found.safetyNumberWith(handle) : await teams.safetyNumberWith(handle)}`);
    // Two members shown different log heads are being shown different logs (a frozen or forked one).
    if (found) out(`Team log head: entry ${found.logHead().seq}, code ${found.logHead().short}`);
    out('Compare it in person (or by a call you trust). If it differs, do not add them. Members compare the log head too.');
  });

team
  .command('add <team> <handle>')
  .description('seal the team key to an invitee who accepted (after comparing safety numbers)')
  .option('--yes', 'the safety numbers were already compared')
  .action(async (teamRef: string, handle: string, options: { yes?: boolean }) => {
    const { teams } = await session();
    const found = await teams.find(teamRef);
    out(`Safety number with ${handle}: ${found.safetyNumberWith(handle)}`);
    if (!options.yes && !(await confirm(`Does ${handle} see exactly the same number?`))) {
      out('Not added.');
      return;
    }
    await found.admit(handle);
    out(`Added ${handle} to "${found.name}".`);
  });

team.command('remove <team> <handle>').description('remove a member: new key generation, documents re-encrypted').action(async (teamRef: string, handle: string) => {
  const { teams } = await session();
  const found = await teams.find(teamRef);
  const reencrypted = await found.remove(handle);
  out(`Removed ${handle}. Key generation ${found.generation}; ${reencrypted} document(s) re-encrypted.`);
});

team
  .command('role <team> <handle> <role>')
  .description('make a member a coordinator (sees members\' alerts, duress included; adds and removes people) or a member again')
  .action(async (teamRef: string, handle: string, role: string) => {
    if (role !== 'coordinator' && role !== 'member') throw new Error('role must be coordinator or member');
    const { teams } = await session();
    const found = await teams.find(teamRef);
    await found.setRole(handle, role);
    out(`${handle} is now a ${role} of "${found.name}".`);
  });

team.command('leave <team>').description('leave a team').action(async (teamRef: string) => {
  const { teams } = await session();
  const found = await teams.find(teamRef);
  await found.leave();
  out(`You left "${found.name}".`);
});

team.command('log <team>').description('the verified membership log').action(async (teamRef: string) => {
  const { teams } = await session();
  const found = await teams.find(teamRef);
  out(table(['seq', 'when', 'who', 'what'], found.log.map((e) => [e.seq, (e.createdAt ?? '').slice(0, 16).replace('T', ' '), e.author, e.summary])));
  out(`All ${found.log.length} entries verified (hash chain, signatures, rules). Head ${found.log[found.log.length - 1]?.hash.slice(0, 16)}...`);
});

const doc = program.command('doc').description('encrypted documents: risk maps and security plans');
const kindOption = new Option('--kind <kind>', 'document kind').choices(DOCUMENT_KINDS);

doc
  .command('put <team> <kind> <file>')
  .description('encrypt and save a JSON file as a new document, or (with --id) as a new version')
  .option('--id <documentId>', 'the document to update (its newest version this device has seen is the base)')
  .action(async (teamRef: string, kind: string, file: string, options: { id?: string }) => {
    if (!(DOCUMENT_KINDS as string[]).includes(kind)) throw new Error(`kind must be one of ${DOCUMENT_KINDS.join(', ')}`);
    const content = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    const { teams } = await session();
    const found = await teams.find(teamRef);
    const saved = options.id ? await found.vault.update(options.id, content) : await found.vault.create(kind as DocumentKind, content);
    out(`Saved ${saved.kind} ${saved.documentId} version ${saved.version} (${saved.size} bytes encrypted, key generation ${saved.generation}).`);
  });

doc
  .command('get <team> <documentId>')
  .description('decrypt and verify a document')
  .option('--version <n>', 'an older version', (v) => Number.parseInt(v, 10))
  .option('--out <file>', 'write the JSON to a file instead of the terminal')
  .action(async (teamRef: string, documentId: string, options: { version?: number; out?: string }) => {
    const { teams } = await session();
    const found = await teams.find(teamRef);
    const read = options.version ? await found.vault.getVersion(documentId, options.version) : await found.vault.get(documentId);
    const json = `${JSON.stringify(read.content, null, 2)}\n`;
    if (options.out) {
      writeFileSync(options.out, json, { mode: 0o600 });
      out(`Wrote ${read.kind} version ${read.version} by ${read.author.handle} to ${options.out}.`);
    } else {
      process.stderr.write(`# ${read.kind} ${read.documentId} version ${read.version} by ${read.author.handle}, ${read.writtenAt} (verified)\n`);
      process.stdout.write(json);
    }
  });

doc
  .command('list <team>')
  .description("the team's current documents")
  .addOption(kindOption)
  .action(async (teamRef: string, options: { kind?: DocumentKind }) => {
    const { teams } = await session();
    const found = await teams.find(teamRef);
    const docs = await found.vault.list(options.kind, { limit: 100 });
    out(docs.length === 0 ? 'No documents.' : table(['document id', 'kind', 'title', 'version', 'by', 'saved'], docs.map((d) => [d.documentId, d.kind, titleOf(d), d.version, d.author.handle, d.writtenAt.slice(0, 16).replace('T', ' ')])));
  });

doc
  .command('history <team> <documentId>')
  .description('every version, verified back to version 1')
  .action(async (teamRef: string, documentId: string) => {
    const { teams } = await session();
    const found = await teams.find(teamRef);
    const versions = await found.vault.history(documentId);
    out(table(['version', 'by', 'saved', 'key gen', 'bytes'], versions.map((v) => [v.version, v.author.handle, v.writtenAt.slice(0, 16).replace('T', ' '), v.generation, v.size])));
    out(`Hash chain verified across ${versions.length} version(s).`);
  });

program
  .command('risk')
  .description('risk analysis')
  .command('summary <team> [documentId]')
  .description('the computed risk per threat (risk = threats x vulnerabilities / capacities); default: the newest risk map')
  .action(async (teamRef: string, documentId?: string) => {
    const { teams } = await session();
    const found = await teams.find(teamRef);
    const map = documentId ? await found.vault.get(documentId) : (await found.vault.list('risk-map', { limit: 1 }))[0];
    if (!map || map.kind !== 'risk-map') throw new Error('No risk map in this team yet: meshwork doc put <team> risk-map <file.json>');
    const content = map.content as RiskMap;
    const summary = computeRiskSummary(content);
    out(`${content.title} (version ${map.version}, assessed ${content.assessedOn})`);
    // "L adj": the likelihood once vulnerabilities and capacities are weighed; score = L adj x I (see src/client/content/risk.ts).
    out(table(['#', 'level', 'score', 'L', 'vuln', 'cap', 'L adj', 'I', 'threat', 'from'], summary.threats.map((t) => [t.number, t.level.toUpperCase(), t.score, t.likelihood, t.vulnerability, t.capacity, t.adjustedLikelihood, t.impact, t.description, t.actors.join(', ')])));
    out('');
    out(`Threats by level: ${Object.entries(summary.byLevel).map(([level, n]) => `${level} ${n}`).join(', ')}. Highest: ${summary.highest ?? 'none'}.`);
    if (summary.opponents.length > 0) out(`Opponents by influence: ${summary.opponents.map((o) => `${o.name} (${o.influence})`).join(', ')}.`);
    if (summary.unprotectedVulnerabilities.length > 0) out(`Act first on (high risk, no capacity yet): ${summary.unprotectedVulnerabilities.join('; ')}.`);
  });

const incident = program.command('incident').description("the team's incident log");

incident
  .command('add <team>')
  .description('record an incident')
  .requiredOption('--what <text>', 'what happened')
  .option('--when <time>', 'when (ISO 8601, default now)')
  .option('--where <place>', 'where (optional)')
  .option('--actors <names>', 'who was involved, comma-separated')
  .option('--follow-up <text>', 'what happens next')
  .action(async (teamRef: string, options: { what: string; when?: string; where?: string; actors?: string; followUp?: string }) => {
    const { teams } = await session();
    const found = await teams.find(teamRef);
    const content: Incident = {
      occurredAt: options.when ? new Date(options.when).toISOString() : new Date().toISOString(),
      description: options.what,
      actors: options.actors ? options.actors.split(',').map((a) => a.trim()).filter(Boolean) : [],
      ...(options.where ? { place: options.where } : {}),
      ...(options.followUp ? { followUp: options.followUp } : {}),
    };
    const saved = await found.vault.create('incident', content);
    out(`Recorded incident ${saved.documentId}.`);
  });

incident
  .command('list <team>')
  .description('recent incidents, newest first')
  .option('--limit <n>', 'how many', (v) => Number.parseInt(v, 10), 20)
  .action(async (teamRef: string, options: { limit: number }) => {
    const { teams } = await session();
    const found = await teams.find(teamRef);
    const docs = await found.vault.list('incident', { limit: options.limit });
    const rows = docs
      .map((d) => d.content as Incident)
      .sort((a, b) => b.occurredAt.localeCompare(a.occurredAt))
      .map((i) => [i.occurredAt.slice(0, 16).replace('T', ' '), i.place ?? '', i.description, i.actors.join(', '), i.followUp ?? '']);
    out(rows.length === 0 ? 'No incidents recorded.' : table(['when', 'where', 'what', 'actors', 'follow-up'], rows));
  });

// A team id needs no keys; a team name does (names are encrypted), so only then is the password asked for.
const teamIdOf = async (ref: string) => (isObjectId(ref) ? ref : (await (await session()).teams.find(ref)).teamId);
addSafetyCommands(program, () => signedInApi(stateFile().load()), teamIdOf);

function titleOf(d: DecryptedDocument): string {
  const content = d.content as { title?: string; description?: string };
  return (content.title ?? content.description ?? '').slice(0, 40);
}

/** Exit codes: 1 refused or failed, 3 keys changed (possible attack), 4 verification failed (possible tampering). */
async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof KeyChangedError) {
      console.error(`\n!!! ${error.message}\n`);
      process.exitCode = 3;
    } else if (error instanceof TeamLogVerificationError || error instanceof DocumentVerificationError || error instanceof RollbackError) {
      console.error(`\n!!! ${error.message}\n`);
      process.exitCode = 4;
    } else if (error instanceof MeshworkApiError) {
      console.error(`error: ${error.message} (${error.code})`);
      process.exitCode = 1;
    } else if (error instanceof InvalidContentError) {
      console.error(`error: ${error.message}`);
      process.exitCode = 1;
    } else {
      console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
  } finally {
    closePrompts();
  }
}

void main();
