import { z, base64Bytes, decimalInt, objectId } from '../http/zod';
import { teamLogEntrySchema, teamRoleSchema } from '../shared/team-log-rules';

export const TEAM_NAME_MAX_BYTES = 256;

export const sealedNameSchema = z
  .object({
    generation: z.number().int().min(1),
    nonce: base64Bytes({ exact: 24 }),
    ciphertext: base64Bytes({ max: TEAM_NAME_MAX_BYTES + 16 }).refine((v) => v.length > 0, 'must not be empty'),
  })
  .strict()
  .openapi('SealedTeamName', { description: "The team's name, encrypted by the client under the team key (XChaCha20-Poly1305)" });

// A fresh instance: team-log-rules (shared with the browser) builds its schema with plain zod, which may load before
// zod-to-openapi extends it, and zod 4 attaches .openapi per instance.
export const logEntryBody = z.discriminatedUnion('kind', teamLogEntrySchema.options).openapi('TeamLogEntryInput');

export const createTeamBody = z
  .object({
    teamId: objectId.meta({ description: 'Minted by POST /v1/team-ids for this account (12 bytes, hex): it is bound into the signed genesis entry' }),
    entry: logEntryBody,
    sealedName: sealedNameSchema,
  })
  .strict();
export type CreateTeamInput = z.infer<typeof createTeamBody>;

export const appendLogBody = z
  .object({
    entry: logEntryBody,
    sealedName: sealedNameSchema.optional().openapi({ description: 'Required with a new key generation: the name re-encrypted under the new key' }),
  })
  .strict();
export type AppendLogInput = z.infer<typeof appendLogBody>;

export { teamIdParams } from '../shared/ids';

export const acceptInvitationBody = z
  .object({
    signature: base64Bytes({ exact: 64, description: "The invitee's Ed25519 signature over the acceptance message: team id, invite seq, invite entry hash" }),
  })
  .strict();
export type AcceptInvitationInput = z.infer<typeof acceptInvitationBody>;
export const logQuery = z
  .object({
    afterSeq: decimalInt({ min: 0 }).default(0),
    limit: decimalInt({ min: 1, max: 1000 }).default(1000),
  })
  .strict();

export const logEntryView = z
  .object({
    seq: z.number().int(),
    prevHash: z.string(),
    kind: z.string(),
    payload: z.record(z.string(), z.unknown()),
    authorAccountId: z.string(),
    signature: z.string(),
    createdAt: z.string(),
  })
  .strict()
  .openapi('TeamLogEntry');

export const logReply = z.object({ entries: z.array(logEntryView) }).strict();
export const appendReply = z.object({ seq: z.number().int(), hash: z.string() }).strict();

export const teamView = z
  .object({
    teamId: objectId,
    headSeq: z.number().int(),
    headHash: z.string(),
    generation: z.number().int(),
    needsRotation: z.boolean(),
    role: teamRoleSchema,
    sealedName: sealedNameSchema,
    members: z.array(
      z
        .object({
          accountId: objectId, handle: z.string(), role: teamRoleSchema, status: z.enum(['invited', 'member']),
          acceptance: z.string().optional().openapi({ description: "An invitee's signed acceptance, for a coordinator to carry into the add entry" }),
        })
        .strict(),
    ),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .strict()
  .openapi('Team', { description: "The server's view; clients trust only what the signed log backs" });
export type TeamView = z.infer<typeof teamView>;

export const teamList = z.object({ teams: z.array(teamView) }).strict();

export const invitationView = z
  .object({
    teamId: objectId,
    inviteSeq: z.number().int(),
    invitedBy: z.object({ accountId: objectId, handle: z.string() }).strict(),
    accepted: z.boolean(),
    createdAt: z.string(),
    inviteEntry: logEntryView.openapi({ description: 'The signed invite entry, which the invitee checks and whose hash her acceptance signs' }),
  })
  .strict()
  .openapi('Invitation');
export const invitationList = z.object({ invitations: z.array(invitationView) }).strict();

export const mintedTeamId = z.object({ teamId: objectId, expiresAt: z.string() }).strict();
