import type { Clock } from '../../shared/clock';
import { isDuplicateKeyError } from '../../shared/duplicate-key';
import { WebhookReceiptModel } from './webhook-receipt.model';

/**
 * Runs `act` for the first delivery of a webhook only. A replayed signed request (three replays of one
 * duress SMS used to raise three alerts) finds its receipt and gets `replayed`. If acting fails, the
 * receipt is removed so Twilio's own retry of the same request is acted on, not swallowed.
 */
export async function oncePerWebhook<T>(deps: { clock: Clock }, key: string, act: () => Promise<T>): Promise<{ replayed: true } | { replayed: false; result: T }> {
  try {
    await WebhookReceiptModel.create({ _id: key, receivedAt: deps.clock.now() });
  } catch (error) {
    if (isDuplicateKeyError(error)) return { replayed: true };
    throw error;
  }
  try {
    return { replayed: false, result: await act() };
  } catch (error) {
    await WebhookReceiptModel.deleteOne({ _id: key }).catch(() => undefined);
    throw error;
  }
}
