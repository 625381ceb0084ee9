import type { Team } from './team.model';
import type { TeamView } from './team.schemas';

/** acceptances: invitees' signed acceptances by account id (only a single team's view carries them). */
export function toTeamView(team: Team, viewerAccountId: string, acceptances: ReadonlyMap<string, string> = new Map()): TeamView {
  const viewer = team.members.find((m) => m.accountId === viewerAccountId);
  return {
    teamId: team._id,
    headSeq: team.headSeq,
    headHash: team.headHash,
    generation: team.generation,
    needsRotation: team.needsRotation,
    role: viewer?.role ?? 'member',
    sealedName: { generation: team.sealedName.generation, nonce: team.sealedName.nonce, ciphertext: team.sealedName.ciphertext },
    members: team.members.map((m) => {
      const acceptance = m.status === 'invited' ? acceptances.get(m.accountId) : undefined;
      return { accountId: m.accountId, handle: m.handle, role: m.role, status: m.status, ...(acceptance ? { acceptance } : {}) };
    }),
    createdAt: team.createdAt.toISOString(),
    updatedAt: team.updatedAt.toISOString(),
  };
}
