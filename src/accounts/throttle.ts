import { findEachById } from '../shared/each-by-equality';
import { errors } from '../shared/errors';
import type { AccountDeps } from './deps';
import { LoginThrottleModel } from './login-throttle.model';

const FORGET_FAILURES_AFTER_MS = 60 * 60 * 1000;

type Deps = Pick<AccountDeps, 'clock' | 'serverKeys' | 'config'>;

function keysFor(deps: Deps, handle: string, address: string) {
  return [
    { id: deps.serverKeys.throttleKeyFor('handle', handle), allowance: deps.config.LOGIN_FAILURES_BEFORE_DELAY },
    { id: deps.serverKeys.throttleKeyFor('address', address), allowance: deps.config.LOGIN_ADDRESS_FAILURES_BEFORE_DELAY },
  ];
}

/** The counters among these keys still in a delay window; by `_id` one at a time, as `_id: {$in}` reads every counter on FerretDB. */
export function lockedThrottles(ids: readonly string[], now: Date): Promise<Array<{ _id: string; lockedUntil?: Date | null }>> {
  return findEachById(LoginThrottleModel, ids, { where: { lockedUntil: { $gt: now } } });
}

/** Refuses with 429 while either the handle or the address is in a delay window; same answer for known and unknown handles. */
export async function assertSignInAllowed(deps: Deps, handle: string, address: string): Promise<void> {
  const now = deps.clock.now();
  const ids = keysFor(deps, handle, address).map((k) => k.id);
  const locked = await lockedThrottles(ids, now);
  const until = Math.max(0, ...locked.map((doc) => doc.lockedUntil?.getTime() ?? 0));
  if (until > now.getTime()) throw errors.tooManyAttempts(Math.ceil((until - now.getTime()) / 1000));
}

/** Reaching the allowance starts a 1 s delay; each further failure doubles it, up to LOGIN_MAX_DELAY_SECONDS. */
export async function recordSignInFailure(deps: Deps, handle: string, address: string): Promise<void> {
  const now = deps.clock.now();
  for (const { id, allowance } of keysFor(deps, handle, address)) {
    await LoginThrottleModel.updateOne({ _id: id, lastFailureAt: { $lt: new Date(now.getTime() - FORGET_FAILURES_AFTER_MS) } }, { $set: { failures: 0 } });
    const doc = await LoginThrottleModel.findOneAndUpdate({ _id: id }, { $inc: { failures: 1 }, $set: { lastFailureAt: now } }, { upsert: true, new: true }).lean();
    const excess = (doc?.failures ?? 0) - allowance;
    if (excess >= 0) {
      const delaySeconds = Math.min(2 ** excess, deps.config.LOGIN_MAX_DELAY_SECONDS);
      await LoginThrottleModel.updateOne({ _id: id }, { $set: { lockedUntil: new Date(now.getTime() + delaySeconds * 1000) } });
    }
  }
}

/** A success clears the handle's counter only: clearing the address would let one valid account reset an attacker's budget. */
export async function clearSignInFailures(deps: Deps, handle: string): Promise<void> {
  await LoginThrottleModel.deleteOne({ _id: deps.serverKeys.throttleKeyFor('handle', handle) });
}

const REGISTRATION_WINDOW_MS = 60 * 60 * 1000;

/**
 * Counts a registration attempt for the address in a fixed one-hour window (one guarded reset, then one
 * atomic increment, so concurrent attempts cannot slip past the limit); over the limit answers 429. Run
 * before the slow key hashing, so scripted registrations cost the server little.
 */
export async function countRegistrationAttempt(deps: Deps, address: string): Promise<void> {
  const now = deps.clock.now();
  const id = deps.serverKeys.throttleKeyFor('register', address);
  const windowStartedBefore = new Date(now.getTime() - REGISTRATION_WINDOW_MS);
  await LoginThrottleModel.updateOne({ _id: id, lastFailureAt: { $lt: windowStartedBefore } }, { $set: { failures: 0, lastFailureAt: now } });
  // `failures` counts attempts here and `lastFailureAt` marks the window's start (the sign-in throttle's fields).
  const doc = await LoginThrottleModel.findOneAndUpdate({ _id: id }, { $inc: { failures: 1 }, $setOnInsert: { lastFailureAt: now } }, { upsert: true, new: true }).lean();
  if ((doc?.failures ?? 0) > deps.config.REGISTRATIONS_PER_ADDRESS_PER_HOUR) {
    const endsAt = (doc?.lastFailureAt ?? now).getTime() + REGISTRATION_WINDOW_MS;
    throw errors.tooManyAttempts(Math.max(1, Math.ceil((endsAt - now.getTime()) / 1000)));
  }
}
