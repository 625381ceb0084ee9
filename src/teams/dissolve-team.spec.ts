import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { MeshworkClient } from '../client';
import { createLogger } from '../shared/logger';
import { recordCommands } from '../../test/support/commands';
import { startTestService, type TestService } from '../../test/support/service';
import { signUp } from '../../test/support/teams';
import type { TeamPurger } from './deps';
import { dissolutionSteps, finishDissolvingTeams, markDissolving } from './dissolve-team';
import { TeamNetworkApi } from '../client/team-network';
import { TeamAcceptanceModel, TeamModel } from './team.model';

/** Every stored document, as text, that names the team: what a copy of the database would still hold of it. */
async function traces(teamId: string): Promise<string[]> {
  const db = mongoose.connection.db!;
  const found: string[] = [];
  for (const { name } of await db.listCollections().toArray()) {
    for (const doc of await db.collection(name).find({}).toArray()) {
      const text = JSON.stringify(doc);
      if (text.includes(teamId)) found.push(`${name}: ${text.slice(0, 160)}`);
    }
  }
  return found;
}

describe('finishDissolvingTeams: a team dissolution interrupted by a crash is finished at start-up', function () {
  let service: TestService;
  let client: MeshworkClient;
  let teams = 0;
  const logger = createLogger('silent');
  /** The team purgers src/compose.ts registers, in its order (taken from it, so teams imports no other domain). */
  let deps: { teamPurgers: TeamPurger[]; logger: typeof logger };

  before(async () => {
    service = await startTestService();
    deps = { teamPurgers: service.services.purgers.team, logger };
    client = await MeshworkClient.connect({ baseUrl: service.baseUrl });
  });
  after(async () => service.close());

  /** A team with a document and its history, a log of three entries, an invitee's acceptance and an urgent-action network. */
  async function teamWithData() {
    teams += 1;
    const [coordinator, invitee] = await Promise.all([signUp(client, `coordinator-${teams}`), signUp(client, `invitee-${teams}`)]);
    const team = await coordinator.teams.create(`Collective ${teams}`);
    const doc = await team.vault.create('incident', { occurredAt: '2025-03-01T08:00:00Z', description: 'men photographed the assembly' });
    await team.vault.update(doc.documentId, { occurredAt: '2025-03-01T08:00:00Z', description: 'men photographed the assembly from a truck' });
    await team.invite(invitee.account.handle);
    await invitee.teams.accept(team.teamId);
    assert.equal(await TeamAcceptanceModel.countDocuments({ teamId: team.teamId }), 1);
    const network = new TeamNetworkApi(coordinator.account.api);
    await network.setSmsName(team.teamId, `Red ${teams}`);
    await network.add(team.teamId, { name: 'Marta', phone: `+44740012${String(6000 + teams)}`, language: 'en', role: 'lawyer' });
    assert.equal(await mongoose.connection.db!.collection('teamresponders').countDocuments({ teamId: team.teamId }), 1);
    return { coordinator, teamId: team.teamId };
  }

  const stepNames = ['its documents', 'its urgent-action network', 'its acceptances', 'its log', 'the team record'];

  it('names the steps it interrupts: the other domains first, the team record last', () => {
    assert.equal(dissolutionSteps(deps).length, stepNames.length);
  });

  for (let done = 0; done < stepNames.length; done += 1) {
    const crashedAt = done === 0 ? 'right after the mark' : `after removing ${stepNames.slice(0, done).join(', ')}`;
    it(`leaves nothing of the team after a crash ${crashedAt}, and serves none of it in between`, async () => {
      const { coordinator, teamId } = await teamWithData();

      // What the database holds when the process dies at this point of dissolveTeam.
      await markDissolving(teamId);
      for (const step of dissolutionSteps(deps).slice(0, done)) await step(teamId);
      assert.equal(await TeamModel.countDocuments({ _id: teamId }), 1, 'the crash left the team half deleted');
      const served = await coordinator.account.api.get(`/v1/teams/${teamId}`).then(
        () => 200,
        (error: { status?: number }) => error.status,
      );
      assert.equal(served, 404, 'a half-dissolved team is not served');

      // Start-up, exactly as server.ts runs it.
      await service.services.recoverInterruptedWork();

      assert.deepEqual(await traces(teamId), [], 'nothing names the team any more');
    });
  }

  it('finds the interrupted dissolutions by equality on the flag, not by reading every team', async () => {
    const { teamId } = await teamWithData();
    const other = await teamWithData();
    await markDissolving(teamId);
    const { result, commands } = await recordCommands(() => finishDissolvingTeams(deps), (c) => c.collection === 'teams' && c.method === 'find');
    assert.equal(result, 1);
    assert.deepEqual(
      commands.map((c) => c.filter),
      [{ dissolving: true }],
    );
    assert.equal(await TeamModel.countDocuments({ _id: teamId }), 0);
    assert.equal(await TeamModel.countDocuments({ _id: other.teamId }), 1, 'a team nobody dissolved stays');
  });
});
