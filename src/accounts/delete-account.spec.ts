import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { CheckInsApi, ContactsApi, MeshworkClient } from '../client';
import { createLogger } from '../shared/logger';
import { recordCommands } from '../../test/support/commands';
import { startTestService, type TestService } from '../../test/support/service';
import { signUp } from '../../test/support/teams';
import { AccountModel } from './account.model';
import { deletionSteps, finishInterruptedDeletions, markForDeletion } from './delete-account';

/** Every stored document, as text, that names this account or its team: what a copy of the database would still hold. */
async function traces(...needles: string[]): Promise<string[]> {
  const db = mongoose.connection.db!;
  const found: string[] = [];
  for (const { name } of await db.listCollections().toArray()) {
    for (const doc of await db.collection(name).find({}).toArray()) {
      const text = JSON.stringify(doc);
      if (needles.some((needle) => text.includes(needle))) found.push(`${name}: ${text.slice(0, 160)}`);
    }
  }
  return found;
}

describe('finishInterruptedDeletions: a panic wipe interrupted by a crash is finished at start-up', function () {
  let service: TestService;
  let client: MeshworkClient;
  let people = 0;
  const logger = createLogger('silent');

  before(async () => {
    service = await startTestService();
    client = await MeshworkClient.connect({ baseUrl: service.baseUrl });
  });
  after(async () => service.close());

  /** The purgers src/compose.ts registers, in its order (taken from it, so accounts imports no other domain). */
  const purgers = () => service.services.purgers.account;

  /** A defender with something in every domain: a session, a team of her own with a document, a check-in profile and a contact. */
  async function defenderWithData() {
    people += 1;
    const person = await signUp(client, `wiped-${people}`);
    const team = await person.teams.create(`Solo team ${people}`);
    await team.vault.create('incident', { occurredAt: '2025-03-01T08:00:00Z', description: 'a raid on the office' });
    const checkIns = new CheckInsApi(person.account.api);
    await checkIns.setProfile({ displayName: 'Ana', timeZone: 'America/Mexico_City', language: 'en', pin: '2468', duressPin: '1357' });
    await new ContactsApi(person.account.api).add({ name: 'Bea', phone: `+4474001230${String(people).padStart(2, '0')}`, language: 'en', tier: 1 });
    return { person, accountId: person.account.accountId, teamId: team.teamId, handle: person.account.handle };
  }

  const stepNames = ['sessions', 'teams', 'check-ins, contacts and alerts', 'the account record'];

  it('names the steps it interrupts: one per purger, sessions first, the account record last', () => {
    assert.equal(deletionSteps({ purgers: purgers(), logger }).length, stepNames.length);
  });

  for (let done = 0; done < stepNames.length; done += 1) {
    const crashedAt = done === 0 ? 'right after the mark' : `after removing ${stepNames.slice(0, done).join(', ')}`;
    it(`leaves nothing of the account or its team after a crash ${crashedAt}`, async () => {
      const { person, accountId, teamId, handle } = await defenderWithData();
      assert.ok((await traces(accountId, teamId)).length > 0, 'the account has data to wipe');

      // What the database holds when the process dies at this point of deleteAccount.
      await markForDeletion(service, accountId);
      for (const step of deletionSteps({ purgers: purgers(), logger }).slice(0, done)) await step(accountId);
      assert.equal(await AccountModel.countDocuments({ _id: accountId }), 1, 'the crash left the account half deleted');

      // Start-up, exactly as server.ts runs it.
      await service.services.recoverInterruptedWork();

      assert.deepEqual(await traces(accountId, teamId, handle), [], 'nothing names the account, its handle or its team');
      const me = await person.account.api.get('/v1/check-ins').then(
        () => 'answered',
        (error: { status?: number }) => error.status,
      );
      assert.equal(me, 401, 'her session token no longer works');
    });
  }

  it('finds the interrupted deletions by equality on the flag, not by reading every account', async () => {
    const { accountId } = await defenderWithData();
    await defenderWithData();
    await markForDeletion(service, accountId);
    const { result, commands } = await recordCommands(() => finishInterruptedDeletions({ purgers: purgers(), logger }), (c) => c.collection === 'accounts' && c.method === 'find');
    assert.equal(result, 1);
    assert.deepEqual(
      commands.map((c) => c.filter),
      [{ deleting: true }],
    );
    assert.equal(await AccountModel.countDocuments({ _id: accountId }), 0);
  });

  it('does nothing at start-up when no deletion was interrupted', async () => {
    const { accountId } = await defenderWithData();
    assert.equal(await finishInterruptedDeletions({ purgers: purgers(), logger }), 0);
    assert.equal(await AccountModel.countDocuments({ _id: accountId }), 1);
  });
});
