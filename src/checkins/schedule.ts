import { DateTime } from 'luxon';
import type { Schedule } from './check-in.model';

const HOUR_MS = 60 * 60 * 1000;

/** The first occurrence of a new schedule. `once` and an explicit interval start are given by the client. */
export function firstDueAt(schedule: Schedule & { dueAt?: Date; startAt?: Date }, timeZone: string, now: Date): Date {
  switch (schedule.kind) {
    case 'once':
      return schedule.dueAt!;
    case 'interval':
      return schedule.startAt ?? new Date(now.getTime() + schedule.everyHours! * HOUR_MS);
    case 'daily':
      return nextDailyOccurrence(schedule.times!, timeZone, now);
  }
}

/**
 * The occurrence after the current one once it is satisfied: strictly after both the current due
 * time and now, so a late check-in never lands on an occurrence already in the past. Null for `once`.
 */
export function nextDueAt(schedule: Schedule, timeZone: string, currentDueAt: Date, now: Date): Date | null {
  switch (schedule.kind) {
    case 'once':
      return null;
    case 'interval': {
      const period = schedule.everyHours! * HOUR_MS;
      const periods = Math.max(1, Math.floor((now.getTime() - currentDueAt.getTime()) / period) + 1);
      return new Date(currentDueAt.getTime() + periods * period);
    }
    case 'daily':
      return nextDailyOccurrence(schedule.times!, timeZone, new Date(Math.max(currentDueAt.getTime(), now.getTime())));
  }
}

/** The first "HH:mm" local time strictly after `after`, in the zone (luxon moves times a DST gap skips forward). */
export function nextDailyOccurrence(times: string[], timeZone: string, after: Date): Date {
  const reference = DateTime.fromJSDate(after).setZone(timeZone);
  const sorted = [...times].sort();
  for (let day = 0; day <= 2; day += 1) {
    const date = reference.plus({ days: day });
    for (const time of sorted) {
      const [hour, minute] = time.split(':').map(Number);
      const candidate = date.set({ hour, minute, second: 0, millisecond: 0 });
      if (candidate.toMillis() > after.getTime()) return candidate.toJSDate();
    }
  }
  throw new Error('no daily occurrence found within two days');
}

export function deadlineFor(dueAt: Date, graceMinutes: number): Date {
  return new Date(dueAt.getTime() + graceMinutes * 60 * 1000);
}
