import { Schema, model, type Types } from 'mongoose';

export const MESSAGE_KINDS = ['invitation', 'alert', 'handled_by', 'all_clear', 'phone_code'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/**
 * The hot outbox: messages not yet accepted by the provider (pending, or sending under a lease).
 * Once accepted, a message moves to `sentmessages` without its number or text.
 */
export interface MessageIdentity {
  /** alert + contact + tier + round + kind (or contact + invitation number): enqueueing twice is a no-op. */
  key: string;
  ownerId: Types.ObjectId;
  alertId?: Types.ObjectId;
  contactId?: Types.ObjectId;
  kind: MessageKind;
  tierIndex?: number;
  round?: number;
}

export interface OutboxMessage extends MessageIdentity {
  encryptedTo: string;
  encryptedBody: string;
  state: 'pending' | 'sending';
  attempts: number;
  nextAttemptAt: Date;
  /**
   * Minute slot (src/shared/time-slots.ts) of the next attempt while pending, or of the lease's expiry
   * while sending: the scheduler finds due messages (and ones a crashed instance left) by equality on it.
   */
  attemptSlot: number;
  leaseOwner?: string | null;
  leaseUntil?: Date | null;
  /** The batch claim holding it while sending: a claim's `updateMany` writes it, `find({claimToken})` reads the batch back. */
  claimToken?: string | null;
  attemptStartedAt?: Date;
  /** Set by a status callback that arrived before we recorded the send (we crashed in between). */
  providerSid?: string;
  lastError?: string;
  createdAt: Date;
}

const outboxSchema = new Schema<OutboxMessage>(
  {
    key: { type: String, required: true, unique: true },
    ownerId: { type: Schema.Types.ObjectId, required: true, index: true },
    alertId: { type: Schema.Types.ObjectId },
    contactId: { type: Schema.Types.ObjectId },
    kind: { type: String, required: true, enum: MESSAGE_KINDS },
    tierIndex: { type: Number },
    round: { type: Number },
    encryptedTo: { type: String, required: true },
    encryptedBody: { type: String, required: true },
    state: { type: String, required: true, enum: ['pending', 'sending'] },
    attempts: { type: Number, required: true, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    attemptSlot: { type: Number, required: true },
    leaseOwner: { type: String },
    leaseUntil: { type: Date },
    claimToken: { type: String },
    attemptStartedAt: { type: Date },
    providerSid: { type: String },
    lastError: { type: String },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);
outboxSchema.index({ attemptSlot: 1 });
outboxSchema.index({ claimToken: 1 });

export const OutboxModel = model<OutboxMessage>('OutboxMessage', outboxSchema, 'outbox');

export const SENT_STATES = ['sent', 'delivered', 'undelivered', 'failed', 'skipped'] as const;
export type SentState = (typeof SENT_STATES)[number];

/** What happened to each message, without the number or the text. Same _id and key as its outbox entry. */
export interface SentMessage extends MessageIdentity {
  state: SentState;
  providerSid?: string;
  attempts: number;
  lastError?: string;
  finishedAt: Date;
  updatedAt: Date;
}

const sentSchema = new Schema<SentMessage>(
  {
    key: { type: String, required: true, unique: true },
    ownerId: { type: Schema.Types.ObjectId, required: true, index: true },
    alertId: { type: Schema.Types.ObjectId, index: true },
    contactId: { type: Schema.Types.ObjectId, index: true },
    kind: { type: String, required: true, enum: MESSAGE_KINDS },
    tierIndex: { type: Number },
    round: { type: Number },
    state: { type: String, required: true, enum: SENT_STATES },
    providerSid: { type: String, index: true },
    attempts: { type: Number, required: true },
    lastError: { type: String },
    finishedAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export const SentMessageModel = model<SentMessage>('SentMessage', sentSchema, 'sentmessages');
