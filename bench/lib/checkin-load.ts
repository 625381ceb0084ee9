import type { Request } from 'autocannon';
import { CheckInsApi } from '../../src/client';
import { signUp } from './accounts';
import { BENCH_DURESS_PIN, BENCH_PIN } from './seed';

export interface CheckInTarget {
  checkInId: string;
  token: string;
}

/**
 * Defenders set up through the real API (register, sign in, profile with PINs, schedule): `count`
 * daily-interval check-ins spread over `accounts` accounts. One per load-generator connection, so
 * that two connections never race on one check-in (the real route would answer 409 check_in_changed).
 */
export async function prepareCheckIns(baseUrl: string, count: number, accounts: number): Promise<CheckInTarget[]> {
  const targets: CheckInTarget[] = [];
  for (let a = 0; a < accounts; a += 1) {
    const account = await signUp(baseUrl, `benchci${a}`);
    const api = new CheckInsApi(account.api);
    await api.setProfile({ displayName: `Defender ${a}`, timeZone: 'America/Mexico_City', language: 'es', pin: BENCH_PIN, duressPin: BENCH_DURESS_PIN });
    const mine = Math.ceil((count - targets.length) / (accounts - a));
    for (let i = 0; i < mine; i += 1) {
      const { checkIn } = await api.schedule({ schedule: { kind: 'interval', everyHours: 24 }, graceMinutes: 60, alertMessage: 'No check-in after the hearing. Call the lawyer.' });
      targets.push({ checkInId: checkIn.id, token: account.token });
    }
  }
  return targets;
}

/** Connection i checks in to target i (mod targets) with the PIN, again and again. */
export function checkInRequests(targets: CheckInTarget[], pathFor: (checkInId: string) => string) {
  const body = JSON.stringify({ pin: BENCH_PIN });
  return (connection: number): Request[] => {
    const target = targets[connection % targets.length]!;
    return [{ method: 'POST', path: pathFor(target.checkInId), headers: { 'content-type': 'application/json', authorization: `Bearer ${target.token}` }, body }];
  };
}

export const realCheckInPath = (id: string) => `/v1/check-ins/${id}/check-in`;
export const baselineCheckInPath = (id: string) => `/baseline/check-ins/${id}`;
export const baselineWithPinHashesPath = (id: string) => `/baseline/check-ins/${id}/with-pin-hashes`;
