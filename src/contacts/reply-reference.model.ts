import { Schema, model, type Types } from 'mongoose';

/**
 * One per reply reference in use ("ACK 4K"), keyed `<phoneLookup>:<ref>`: creating it is how a reference is
 * claimed, so two contact entries of one number can never hold the same one (the unique _id decides, on
 * MongoDB and FerretDB alike, with no range scan and no index over entries that predate references).
 */
export interface ReplyReference {
  _id: string;
  /** The defender's account, for a personal contact's code... */
  ownerId?: Types.ObjectId;
  /** ...or the team, for a responder of a team's urgent-action network. */
  teamId?: string;
  /** The contact or responder entry holding the code. */
  contactId: Types.ObjectId;
  createdAt: Date;
}

const replyReferenceSchema = new Schema<ReplyReference>(
  {
    _id: { type: String, required: true },
    ownerId: { type: Schema.Types.ObjectId, index: true },
    teamId: { type: String, index: true },
    contactId: { type: Schema.Types.ObjectId, required: true, index: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export const ReplyReferenceModel = model<ReplyReference>('ReplyReference', replyReferenceSchema, 'replyreferences');
