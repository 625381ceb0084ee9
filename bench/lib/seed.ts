/**
 * Bulk seeding in the real models' shape (insertMany through the mongoose models, unordered, in
 * batches), with fields encrypted by the same FieldCipher and lookup keys the server derives from
 * SERVER_SECRET, so the server processes can read what the bench wrote.
 */
import { Types } from 'mongoose';
import { CheckInProfileModel } from '../../src/safety/check-in-profile.model';
import { CheckInModel } from '../../src/checkins/check-in.model';
import { hashPin } from '../../src/checkins/pin-hash';
import { sealSchedule } from '../../src/checkins/schedule-at-rest';
import { TrustedContactModel } from '../../src/contacts/contact.model';
import { ReplyReferenceModel } from '../../src/contacts/reply-reference.model';
import { createFieldCipher, type FieldCipher } from '../../src/shared/field-encryption';
import { deriveServerKeys, type ServerKeys } from '../../src/shared/server-keys';
import type { Sodium } from '../../src/shared/sodium';
import { phoneLookupKey } from '../../src/sms/phone';

export const BENCH_PIN = '2468';
export const BENCH_DURESS_PIN = '1357';
/** insertMany batch: large, so a 1,000,000 population seeds in minutes (each batch is one command, well under 48 MB). */
const BATCH = 10_000;
/** Tier-2 contacts' numbers: phoneFor(index + TIER_2_OFFSET), distinct from every tier-1 number. */
export const TIER_2_OFFSET = 50_000_000;

export interface SeedKeys {
  fieldCipher: FieldCipher;
  serverKeys: ServerKeys;
}

export function seedKeys(sodium: Sodium, serverSecretBase64: string): SeedKeys {
  const serverKeys = deriveServerKeys(sodium, new Uint8Array(Buffer.from(serverSecretBase64, 'base64')));
  return { serverKeys, fieldCipher: createFieldCipher(sodium, serverKeys.fieldEncryptionKey) };
}

/** A distinct, valid Mexican mobile number per index (+52 55 xxxx xxxx). */
export function phoneFor(index: number): string {
  return `+5255${String(10_000_000 + index).slice(-8)}`;
}

export interface DefenderSeed {
  /** check-in deadline; dueAt is grace minutes earlier */
  deadline: Date;
  /** true: fields encrypted one by one (they will be read: alerts); false: ciphertexts shared to seed fast */
  live: boolean;
  /** also an opted-in tier-2 contact, number phoneFor(index + TIER_2_OFFSET) (the tier-wait measure) */
  tier2?: boolean;
}

let cachedHashes: { pinHash: string; duressPinHash: string } | undefined;
function pinHashes(pinKey: Uint8Array) {
  cachedHashes ??= { pinHash: hashPin(pinKey, BENCH_PIN), duressPinHash: hashPin(pinKey, BENCH_DURESS_PIN) };
  return cachedHashes;
}

/**
 * One defender per entry: a check-in profile, one interval check-in with the given deadline, and one
 * opted-in tier-1 contact whose number is phoneFor(firstIndex + i). Returns the ids in order.
 */
export async function seedDefenders(keys: SeedKeys, defenders: DefenderSeed[], firstIndex = 0, onProgress?: (done: number) => void) {
  const { pinHash, duressPinHash } = pinHashes(keys.serverKeys.pinKey);
  const now = new Date();
  // Encrypting each field separately costs ~20 µs; sharing one ciphertext between non-due check-ins only saves seeding time.
  const sharedMessage = keys.fieldCipher.encrypt('I did not check in after the meeting at the district office. Call Ana.');
  const sharedName = keys.fieldCipher.encrypt('Defender');
  const sharedContactName = keys.fieldCipher.encrypt('Contact');
  const sharedPhone = keys.fieldCipher.encrypt(phoneFor(0));
  const graceMinutes = 30;
  const sharedSchedule = sealSchedule(keys.fieldCipher, { schedule: { kind: 'interval', everyHours: 24 }, graceMinutes });
  const ids: Array<{ ownerId: Types.ObjectId; checkInId: Types.ObjectId; phone: string }> = [];
  // Each opted-in contact holds its reply code, as one invited through the API does (src/contacts/manage-contacts.ts
  // claims it before the invitation): without one, the first alert would claim it, a write per contact no real alert pays.
  const references: Array<Record<string, unknown>> = [];
  const replyRefOf = (ownerId: Types.ObjectId, phoneLookup: string) => {
    const contactId = new Types.ObjectId();
    references.push({ _id: `${phoneLookup}:4K`, ownerId, contactId, createdAt: now });
    return { _id: contactId, replyRef: '4K' };
  };
  for (let start = 0; start < defenders.length; start += BATCH) {
    const slice = defenders.slice(start, start + BATCH);
    const profiles = [];
    const checkIns = [];
    const contacts = [];
    for (let i = 0; i < slice.length; i += 1) {
      const d = slice[i]!;
      const index = firstIndex + start + i;
      const ownerId = new Types.ObjectId();
      const checkInId = new Types.ObjectId();
      const dueAt = new Date(d.deadline.getTime() - graceMinutes * 60_000);
      profiles.push({ ownerId, encryptedDisplayName: d.live ? keys.fieldCipher.encrypt(`Defender ${index}`) : sharedName, timeZone: 'America/Mexico_City', language: 'es', pinHash, duressPinHash, pinFailures: 0, createdAt: now, updatedAt: now });
      checkIns.push({
        _id: checkInId, ownerId, encryptedSchedule: sharedSchedule, timeZone: 'America/Mexico_City',
        encryptedAlertMessage: d.live ? keys.fieldCipher.encrypt(`Check on defender ${index}`) : sharedMessage,
        state: 'scheduled', dueAt, deadline: d.deadline, createdAt: now, updatedAt: now,
      });
      const phone = phoneFor(index);
      contacts.push({
        ownerId, encryptedName: d.live ? keys.fieldCipher.encrypt(`Contact ${index}`) : sharedContactName, encryptedPhone: d.live ? keys.fieldCipher.encrypt(phone) : sharedPhone,
        phoneLookup: phoneLookupKey(keys.serverKeys.lookupKey, phone), language: 'es', tier: 1, state: 'opted_in', stateChangedAt: now, invitationsSent: 1, createdAt: now, updatedAt: now,
        ...replyRefOf(ownerId, phoneLookupKey(keys.serverKeys.lookupKey, phone)),
      });
      if (d.tier2) {
        const phone2 = phoneFor(index + TIER_2_OFFSET);
        contacts.push({
          ownerId, encryptedName: keys.fieldCipher.encrypt(`Contact ${index} (tier 2)`), encryptedPhone: keys.fieldCipher.encrypt(phone2),
          phoneLookup: phoneLookupKey(keys.serverKeys.lookupKey, phone2), language: 'es', tier: 2, state: 'opted_in', stateChangedAt: now, invitationsSent: 1, createdAt: now, updatedAt: now,
          ...replyRefOf(ownerId, phoneLookupKey(keys.serverKeys.lookupKey, phone2)),
        });
      }
      ids.push({ ownerId, checkInId, phone });
    }
    await CheckInProfileModel.insertMany(profiles, { ordered: false, lean: true });
    await CheckInModel.insertMany(checkIns, { ordered: false, lean: true });
    await TrustedContactModel.insertMany(contacts, { ordered: false, lean: true });
    await ReplyReferenceModel.insertMany(references.splice(0), { ordered: false, lean: true });
    onProgress?.(Math.min(defenders.length, start + BATCH));
  }
  return ids;
}

/**
 * Moves seeded check-ins' deadlines to one moment, as a defender's schedule would have set them (dueAt
 * the grace period earlier). The one place the bench writes a deadline after seeding: a field the engine
 * derives from the deadline must be set here too.
 */
export async function moveDeadlines(checkInIds: Types.ObjectId[], deadline: Date, graceMinutes = 30): Promise<void> {
  await CheckInModel.updateMany({ _id: { $in: checkInIds } }, { $set: { deadline, dueAt: new Date(deadline.getTime() - graceMinutes * 60_000) } });
}

/** Deadlines spread over the next `days` days, none before `after`: a population with nothing due. */
export function futureDeadlines(count: number, after: Date, days = 7): Date[] {
  const span = days * 24 * 3600 * 1000;
  return Array.from({ length: count }, (_, i) => new Date(after.getTime() + 3600_000 + Math.floor((i * span) / count)));
}
