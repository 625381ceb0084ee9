import { Schema, model } from 'mongoose';
import type { TeamMemberState, TeamRole } from '../shared/team-log-rules';

/** A log entry as stored: the payload is kept as the exact canonical JSON its author signed. */
export interface StoredLogEntry {
  teamId: string;
  seq: number;
  prevHash: string;
  kind: string;
  payload: string;
  authorAccountId: string;
  signature: string;
  hash: string;
  createdAt: Date;
}

export interface SealedName {
  generation: number;
  nonce: string;
  ciphertext: string;
}

/**
 * Live team state: the log's state after its head entry (members, roles, generation), plus the head entry itself.
 * Every append is ONE guarded update of this document (headSeq must not have moved); the head entry is then
 * copied into the log collection, and copied again (idempotently) before any read or the next append, so a
 * crash between the two writes loses nothing.
 */
export interface Team {
  _id: string;
  headSeq: number;
  headHash: string;
  generation: number;
  needsRotation: boolean;
  members: TeamMemberState[];
  /** Accounts with status member: the authorization index every team route checks. */
  memberAccountIds: string[];
  invitedAccountIds: string[];
  lastEntry: StoredLogEntry;
  /** The team's name, encrypted under the team key; the server never sees it. */
  sealedName: SealedName;
  /** Set when the last member left; the team's data is being deleted. */
  dissolving?: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const memberSchema = new Schema<TeamMemberState>(
  {
    accountId: { type: String, required: true },
    handle: { type: String, required: true },
    role: { type: String, required: true, enum: ['coordinator', 'member'] satisfies TeamRole[] },
    status: { type: String, required: true, enum: ['invited', 'member'] },
    boxPublicKey: { type: String, required: true },
    signPublicKey: { type: String, required: true },
    inviteSeq: { type: Number, required: true },
    inviteHash: { type: String, required: true },
  },
  { _id: false },
);

const logEntryFields = {
  teamId: { type: String, required: true },
  seq: { type: Number, required: true },
  prevHash: { type: String, required: true },
  kind: { type: String, required: true },
  payload: { type: String, required: true },
  authorAccountId: { type: String, required: true },
  signature: { type: String, required: true },
  hash: { type: String, required: true },
  createdAt: { type: Date, required: true },
};

const teamSchema = new Schema<Team>(
  {
    _id: { type: String, required: true },
    headSeq: { type: Number, required: true },
    headHash: { type: String, required: true },
    generation: { type: Number, required: true },
    needsRotation: { type: Boolean, required: true, default: false },
    members: { type: [memberSchema], required: true },
    memberAccountIds: { type: [String], required: true, index: true },
    invitedAccountIds: { type: [String], required: true, index: true },
    lastEntry: { type: new Schema<StoredLogEntry>(logEntryFields, { _id: false }), required: true },
    sealedName: { type: new Schema<SealedName>({ generation: { type: Number, required: true }, nonce: { type: String, required: true }, ciphertext: { type: String, required: true } }, { _id: false }), required: true },
    dissolving: { type: Boolean, index: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export const TeamModel = model<Team>('Team', teamSchema);

// History, read by team with a limit; the unique index makes a fork impossible even if two appends race.
const logEntrySchema = new Schema<StoredLogEntry>(logEntryFields, { versionKey: false });
logEntrySchema.index({ teamId: 1, seq: 1 }, { unique: true });
export const TeamLogEntryModel = model<StoredLogEntry>('TeamLogEntry', logEntrySchema, 'teamlogentries');

/**
 * An invitee's consent, naming the invite entry it answers, with her signature over it (teamAcceptanceMessage): the
 * server only carries it to the coordinator, whose add entry includes it for every client to check.
 */
export interface TeamAcceptance {
  teamId: string;
  accountId: string;
  inviteSeq: number;
  signature: string;
  createdAt: Date;
}
const acceptanceSchema = new Schema<TeamAcceptance>(
  {
    teamId: { type: String, required: true },
    accountId: { type: String, required: true, index: true },
    inviteSeq: { type: Number, required: true },
    signature: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
acceptanceSchema.index({ teamId: 1, accountId: 1 }, { unique: true });
export const TeamAcceptanceModel = model<TeamAcceptance>('TeamAcceptance', acceptanceSchema, 'teamacceptances');
