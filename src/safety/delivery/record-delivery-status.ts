import { Types } from 'mongoose';
import { describeProviderError } from '../../sms/sms-sender';
import type { SafetyDeps } from '../deps';
import { afterFailedForGood } from './deliver-outbox';
import { OutboxModel, SentMessageModel, type SentState } from '../outbox/outbox.model';
import { recordEvent } from '../timeline';

const FINAL: Record<string, SentState> = { delivered: 'delivered', undelivered: 'undelivered', failed: 'failed' };

/**
 * A Twilio status callback, already verified. Moves a sent message forward (sent -> delivered,
 * undelivered or failed; never backwards, whatever order callbacks arrive in). A message that never
 * reached its contact pulls the next tier forward. If the callback beats our own record of the send
 * (we crashed in between), the provider's id is kept on the outbox entry so it is not sent again.
 */
export async function recordDeliveryStatus(deps: Pick<SafetyDeps, 'clock' | 'logger' | 'fieldCipher' | 'serverKeys'>, input: { outboxId?: string; messageSid?: string; status?: string; errorCode?: string }): Promise<void> {
  const now = deps.clock.now();
  const validId = input.outboxId && Types.ObjectId.isValid(input.outboxId) ? new Types.ObjectId(input.outboxId) : undefined;
  const match = validId ? { _id: validId } : input.messageSid ? { providerSid: input.messageSid } : undefined;
  if (!match) return;
  const finalState = input.status ? FINAL[input.status] : undefined;

  if (!finalState) {
    if (validId && input.messageSid) await OutboxModel.updateOne({ _id: validId, providerSid: { $exists: false } }, { $set: { providerSid: input.messageSid } });
    return;
  }
  const updated = await SentMessageModel.findOneAndUpdate(
    { ...match, state: 'sent' },
    { $set: { state: finalState, updatedAt: now, ...(finalState === 'delivered' ? {} : { lastError: describeProviderError(input.errorCode, `provider status ${finalState}`) }) } },
    { new: true },
  ).lean();
  if (!updated) {
    if (validId && input.messageSid) await OutboxModel.updateOne({ _id: validId, providerSid: { $exists: false } }, { $set: { providerSid: input.messageSid } });
    return;
  }
  if (updated.alertId) {
    await recordEvent(deps, {
      ownerId: updated.ownerId,
      alertId: updated.alertId,
      contactId: updated.contactId,
      kind: finalState === 'delivered' ? 'message_delivered' : 'message_failed',
      at: now,
      key: `status:${String(updated._id)}:${finalState}`,
      // Built from our own words only: the callback's fields are Twilio's, and only its numeric code is kept.
      detail: finalState === 'delivered' ? updated.kind : `${updated.kind}: ${describeProviderError(input.errorCode, finalState)}`,
    });
  }
  if (finalState !== 'delivered') await afterFailedForGood(updated, input.errorCode === undefined ? undefined : Number(input.errorCode), now);
}
