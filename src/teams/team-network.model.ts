import { Schema, model } from 'mongoose';
import { CONTACT_STATES, type ContactState } from '../contacts/contact.model';
import { LANGUAGES, type Language } from '../sms/catalogue';

/**
 * A team's urgent-action network: responders its coordinators keep for every member (the collective's lawyer, the
 * regional network's coordinator, a journalist ally). Like personal contacts, the server must read names and
 * numbers to text them, so they are secretbox-encrypted with a server key; `phoneLookup` is the keyed hash.
 */
export interface TeamResponder {
  teamId: string;
  encryptedName: string;
  encryptedPhone: string;
  /** "lawyer", "journalist": chosen by the coordinators, encrypted like the name. */
  encryptedRole: string;
  phoneLookup: string;
  language: Language;
  /** Consent is per team: YES 7P opts in to this team's network only, LEAVE 7P leaves it only. */
  state: ContactState;
  stateChangedAt: Date;
  invitationsSent: number;
  /** Reply code, unique among all the entries (personal and team) of this number (contacts/reply-references.ts). */
  replyRef?: string;
  createdAt: Date;
  updatedAt: Date;
}

const responderSchema = new Schema<TeamResponder>(
  {
    teamId: { type: String, required: true, index: true },
    encryptedName: { type: String, required: true },
    encryptedPhone: { type: String, required: true },
    encryptedRole: { type: String, required: true },
    phoneLookup: { type: String, required: true, index: true },
    language: { type: String, required: true, enum: LANGUAGES },
    state: { type: String, required: true, enum: CONTACT_STATES },
    stateChangedAt: { type: Date, required: true },
    invitationsSent: { type: Number, required: true, default: 0 },
    replyRef: { type: String },
  },
  { timestamps: true, versionKey: false },
);
// The same number twice in one team's network would get every alert twice.
responderSchema.index({ teamId: 1, phoneLookup: 1 }, { unique: true });

export const TeamResponderModel = model<TeamResponder>('TeamResponder', responderSchema, 'teamresponders');

/**
 * The name a team's texts use ("Red Mesoamericana"), chosen by its coordinators. The team's real name is end-to-end
 * encrypted and never reaches the server; this one must be readable to be texted, so it is encrypted at rest only.
 */
export interface TeamSmsName {
  _id: string; // the team id
  encryptedSmsName: string;
  updatedAt: Date;
}

const smsNameSchema = new Schema<TeamSmsName>({ _id: { type: String, required: true }, encryptedSmsName: { type: String, required: true }, updatedAt: { type: Date, required: true } }, { versionKey: false });

export const TeamSmsNameModel = model<TeamSmsName>('TeamSmsName', smsNameSchema, 'teamsmsnames');
