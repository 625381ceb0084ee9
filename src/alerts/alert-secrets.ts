import { createHmac, randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import { openJson, sealJson, type FieldCipher } from '../shared/field-encryption';
import type { Alert } from './alert.model';

/**
 * Whether an alert is a duress alert, and when a duress PIN took over a missed check-in's alert.
 * Sealed in one fixed-length field that every alert carries: whoever holds a copy of the database
 * or a backup must not learn that she used the duress PIN (by a flag, a field's presence or a length).
 */
export interface DuressState {
  duress: boolean;
  /** The defender's session is shown the taken-over alert as resolved at this time. */
  coverResolvedAt: Date | null;
}

export function sealDuress(cipher: FieldCipher, state: DuressState): string {
  return sealJson(cipher, { duress: state.duress, coverResolvedAt: state.coverResolvedAt ? state.coverResolvedAt.toISOString() : null }, 96);
}

export function openDuress(cipher: FieldCipher, alert: Pick<Alert, 'encryptedDuress'>): DuressState {
  const sealed = openJson<{ duress: boolean; coverResolvedAt: string | null }>(cipher, alert.encryptedDuress);
  return { duress: sealed.duress === true, coverResolvedAt: sealed.coverResolvedAt ? new Date(sealed.coverResolvedAt) : null };
}

/**
 * A missed occurrence's alert key: a keyed hash of check-in + deadline, so a retried tick finds the
 * same alert. A duress alert's key is 32 random bytes in the same encoding: the two look alike.
 */
export function missedOccurrenceKey(lookupKey: Uint8Array, checkInId: Types.ObjectId, deadline: Date): string {
  return createHmac('sha256', lookupKey).update(`occurrence:${String(checkInId)}:${deadline.toISOString()}`).digest('base64url');
}

export function duressOccurrenceKey(): string {
  return randomBytes(32).toString('base64url');
}
