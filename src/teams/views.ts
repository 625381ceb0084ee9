import type { Team } from './team.model';
import type { TeamView } from './team.schemas';

export function toTeamView(team: Team, viewerAccountId: string): TeamView {
  const viewer = team.members.find((m) => m.accountId === viewerAccountId);
  return {
    teamId: team._id,
    headSeq: team.headSeq,
    headHash: team.headHash,
    generation: team.generation,
    needsRotation: team.needsRotation,
    role: viewer?.role ?? 'member',
    sealedName: { generation: team.sealedName.generation, nonce: team.sealedName.nonce, ciphertext: team.sealedName.ciphertext },
    members: team.members.map((m) => ({ accountId: m.accountId, handle: m.handle, role: m.role, status: m.status })),
    createdAt: team.createdAt.toISOString(),
    updatedAt: team.updatedAt.toISOString(),
  };
}
