import { openJson, sealJson, type FieldCipher } from '../shared/field-encryption';
import type { CheckIn, Schedule } from './check-in.model';
import { deadlineFor, nextDueAt } from './schedule';

/**
 * The parts of a check-in the scheduler never queries (its kind, daily times or interval, grace
 * period) are sealed at rest: daily times say when and how often she fears for herself. Only the
 * next due time, deadline and state stay in clear, because the tick and the guards query them.
 */
export interface ScheduleAtRest {
  schedule: Schedule;
  graceMinutes: number;
}

/** Larger than the longest schedule (twelve daily times), so every one seals to the same length. */
const SCHEDULE_BLOCK = 256;

export function sealSchedule(cipher: FieldCipher, value: ScheduleAtRest): string {
  const schedule: Schedule = { kind: value.schedule.kind };
  if (value.schedule.everyHours !== undefined) schedule.everyHours = value.schedule.everyHours;
  if (value.schedule.times?.length) schedule.times = [...value.schedule.times];
  return sealJson(cipher, { schedule, graceMinutes: value.graceMinutes }, SCHEDULE_BLOCK);
}

export function openSchedule(cipher: FieldCipher, checkIn: Pick<CheckIn, 'encryptedSchedule'>): ScheduleAtRest {
  return openJson<ScheduleAtRest>(cipher, checkIn.encryptedSchedule);
}

/**
 * Where a check-in goes once its current occurrence is over (checked in, or its alert ended): the fields
 * that move it to the next occurrence, or null for a one-off, which then ends. The one rule both the
 * check-in and the stranded-check-in recovery apply, so the two can never move a check-in differently.
 */
export function nextOccurrenceOf(cipher: FieldCipher, checkIn: Pick<CheckIn, 'encryptedSchedule' | 'timeZone' | 'dueAt'>, now: Date): { state: 'scheduled'; dueAt: Date; deadline: Date } | null {
  const { schedule, graceMinutes } = openSchedule(cipher, checkIn);
  const next = nextDueAt(schedule, checkIn.timeZone, checkIn.dueAt, now);
  return next ? { state: 'scheduled', dueAt: next, deadline: deadlineFor(next, graceMinutes) } : null;
}
