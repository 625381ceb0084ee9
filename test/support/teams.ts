import assert from 'node:assert/strict';
import { MeshworkApiError, MeshworkClient, MemoryTrustStore, Teams, type Team, type UnlockedAccount } from '../../src/client';

export async function rejectsWithCode(promise: Promise<unknown>, status: number, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof MeshworkApiError, `expected a MeshworkApiError, got ${String(error)}`);
    assert.equal(error.status, status, `expected ${status} ${code}, got ${error.status} ${error.code}: ${error.message}`);
    assert.equal(error.code, code);
    return true;
  });
}

export interface Person {
  account: UnlockedAccount;
  teams: Teams;
  trust: MemoryTrustStore;
}

/** Registers and signs in (two argon2id derivations: about half a second). */
export async function signUp(client: MeshworkClient, handle: string): Promise<Person> {
  await client.register(handle, `password of ${handle}`);
  const account = await client.signIn(handle, `password of ${handle}`);
  const trust = new MemoryTrustStore();
  return { account, teams: new Teams(account, trust), trust };
}

/** A team with a coordinator and members who were invited, accepted and admitted. */
export async function teamOf(name: string, coordinator: Person, members: Person[]): Promise<Team> {
  const team = await coordinator.teams.create(name);
  for (const member of members) {
    await team.invite(member.account.handle);
    await member.teams.accept(team.teamId);
    await team.admit(member.account.handle);
  }
  return team;
}
