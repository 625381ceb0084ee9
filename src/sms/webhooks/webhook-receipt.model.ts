import { Schema, model } from 'mongoose';

/**
 * One per Twilio webhook acted on, keyed by what Twilio sends again when it retries or someone replays
 * a captured request: `inbound:<MessageSid>` or `status:<MessageSid>:<MessageStatus>`. Written before
 * acting, so a replay (which carries a valid signature: Twilio's signature has no timestamp) finds the key
 * taken and does nothing. Durable, so a restart or another instance does not forget. Kept for as long as the
 * message exists at Twilio (SIDs only: no number or text).
 */
export interface WebhookReceipt {
  _id: string;
  receivedAt: Date;
}

const receiptSchema = new Schema<WebhookReceipt>({ _id: { type: String, required: true }, receivedAt: { type: Date, required: true } }, { versionKey: false });

export const WebhookReceiptModel = model<WebhookReceipt>('WebhookReceipt', receiptSchema, 'webhookreceipts');
