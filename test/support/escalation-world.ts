/**
 * The set-up the escalation specs share (escalation-batches, escalation-crashes, escalation-handoff): the safety
 * world of test/support/defenders.ts run as the instance 'survivor' that carries on after a dead one, a tier wait
 * long enough that no second tier comes into a case, no repeats, a one-minute scheduler lease; and what each case
 * starts from: missed check-ins, a dead instance's claim, a message it handed to Twilio. Used by specs only.
 */
import { Types } from 'mongoose';
import type { Config } from '../../src/config/schema';
import { openJson } from '../../src/shared/field-encryption';
import { minuteSlot } from '../../src/shared/time-slots';
import { safetyWorld } from './defenders';

export const MINUTE = 60_000;
export const LEASE_SECONDS = 60;

export interface EscalationWorldOptions {
  /** The handles' start (`crash-1`, `crash-2`...). */
  tag: string;
  /** The contacts' numbers: `phonePrefix` and a three-digit counter; one prefix per file, so no number is reused. */
  phonePrefix: string;
  config?: Partial<Record<keyof Config, unknown>>;
}

/** Call at the top of a `describe`, like safetyWorld. */
export function escalationWorld(options: EscalationWorldOptions) {
  const world = safetyWorld({
    config: { ESCALATION_TIER_WAIT_SECONDS: 600, ESCALATION_REPEATS: 0, SCHEDULER_LEASE_SECONDS: LEASE_SECONDS, ...options.config },
    instanceId: 'survivor',
    phones: { prefix: options.phonePrefix, after: 0 },
  });
  const { clock, fake, tick } = world;
  let counter = 0;

  const alertsTo = (phone: string) => fake.to(phone).filter((m) => m.body.startsWith('MESHWORK ALERT'));

  /**
   * A new defender with one opted-in tier-1 contact (Bea) and one one-off check-in per alert text, all due at the
   * same minute, whose deadline has just passed.
   */
  async function missedCheckIns(alertMessages: string[]) {
    counter += 1;
    const { checkIns, contacts } = await world.defender(`${options.tag}-${counter}`);
    const { phone } = await world.optedInContact({ contacts }, 'Bea', 1);
    const dueAt = new Date(clock.now().getTime() + MINUTE).toISOString();
    const ids: Types.ObjectId[] = [];
    for (const alertMessage of alertMessages) {
      const { checkIn } = await checkIns.schedule({ schedule: { kind: 'once', dueAt }, graceMinutes: 0, alertMessage });
      ids.push(new Types.ObjectId(checkIn.id));
    }
    clock.advance(MINUTE + 1_000);
    return { checkIns, phone, ids };
  }

  /** A new defender with one opted-in contact and one one-off check-in whose deadline has just passed. */
  async function missedCheckIn() {
    const { checkIns, phone, ids } = await missedCheckIns(['Call Rosa.']);
    return { checkIns, phone, checkInId: ids[0]! };
  }

  /** What a claim by an instance that then died leaves: its owner and token, its lease, the lease expiry's slot. */
  function deadClaim() {
    const until = new Date(clock.now().getTime() + LEASE_SECONDS * 1000);
    return { owner: 'dead', token: 'dead-batch', until, slot: minuteSlot(until) };
  }

  /** The survivor carries on after the dead claim's lease: `tick` twice past it. */
  async function afterTheLease() {
    clock.advance(LEASE_SECONDS * 1000 + 1_000);
    await tick();
    await tick();
  }

  /** What the dead instance did before dying: it handed this outbox message to Twilio, which accepted it. */
  function handedToTwilio(phone: string, message: { _id: Types.ObjectId; encryptedBody: string }) {
    const { sms, fieldCipher } = world.service.services;
    return sms.send({ to: phone, body: openJson<string>(fieldCipher, message.encryptedBody), outboxId: String(message._id) });
  }

  return Object.assign(world, { alertsTo, missedCheckIns, missedCheckIn, deadClaim, afterTheLease, handedToTwilio });
}
