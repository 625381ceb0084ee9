import assert from 'node:assert/strict';
import { Types } from 'mongoose';
import { startTestService, type TestService } from '../../test/support/service';
import type { SafetyDeps } from '../safety/deps';
import type { AuthenticatedAccount } from '../shared/authenticated-account';
import { AppError } from '../shared/errors';
import { afterRepliesSettled } from './check-in-outcomes';
import { CheckInModel } from './check-in.model';
import { cancelCheckIn, checkInWithPin } from './check-in';
import { extendCheckIn } from './extend-check-in';
import { scheduleCheckIn } from './schedule-check-in';
import { setCheckInProfile } from './set-profile';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * The check-in state machine, one use case at a time: the real database, a manual clock, no HTTP.
 * scheduled -> (due) -> checked in: the next occurrence, or gone for a one-off; missed is the escalation's
 * side and is covered there. Every step is asserted on the stored check-in, not only on the reply.
 */
describe('Check-in use cases: each PIN moves a check-in exactly one step, or nothing', function () {
  let service: TestService;
  let deps: SafetyDeps;
  let people = 0;

  before(async () => {
    service = await startTestService();
    deps = service.services.safety;
  });
  after(async () => service.close());

  async function defender(): Promise<AuthenticatedAccount> {
    people += 1;
    const who = { accountId: new Types.ObjectId().toHexString(), handle: `spec-${people}`, sessionId: `session-${people}`, viaRecovery: false };
    await setCheckInProfile(deps, who, { displayName: 'Ana', timeZone: 'UTC', language: 'en', pin: '2468', duressPin: '1357' });
    return who;
  }
  const stored = (id: string) => CheckInModel.findById(id).lean();
  const refusedWith = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;

  it('moves an interval check-in to its next occurrence, with its deadline, in the same update that records the check-in', async () => {
    const who = await defender();
    const { checkIn } = await scheduleCheckIn(deps, who, { schedule: { kind: 'interval', everyHours: 6 }, graceMinutes: 10, alertMessage: 'Call Rosa.' });
    const due = new Date(checkIn.dueAt).getTime();
    const checked = await checkInWithPin(deps, who, checkIn.id, '2468');
    assert.equal(checked.reply.nextDueAt, new Date(due + 6 * HOUR).toISOString());
    const moved = await stored(checkIn.id);
    assert.equal(moved?.state, 'scheduled');
    assert.equal(moved?.dueAt.getTime(), due + 6 * HOUR);
    assert.equal(moved?.deadline.getTime(), due + 6 * HOUR + 10 * MINUTE);
    assert.equal(moved?.outcomesPending, true, 'the outcome waits to be settled right after the reply');
    await checked.afterReply();
    assert.equal((await stored(checkIn.id))?.outcomesPending, undefined, 'settled: nothing left for the recovery sweep');
  });

  it('lands a late check-in on an occurrence after now, never on one already past', async () => {
    const who = await defender();
    const { checkIn } = await scheduleCheckIn(deps, who, { schedule: { kind: 'interval', everyHours: 1 }, graceMinutes: 30, alertMessage: 'Call Rosa.' });
    const due = new Date(checkIn.dueAt).getTime();
    service.clock.advance(3 * HOUR + 20 * MINUTE);
    const checked = await checkInWithPin(deps, who, checkIn.id, '2468');
    await checked.afterReply();
    const next = (await stored(checkIn.id))!.dueAt.getTime();
    assert.ok(next > service.clock.now().getTime(), 'the next due time is in the future');
    // Due an hour after scheduling; now is 2 h 20 min past that: the next occurrence is due + 3 h.
    assert.equal(next, due + 3 * HOUR, 'and on the schedule: the first occurrence after now');
  });

  it('ends a one-off: settling at once (never served or checked in again), deleted once settled', async () => {
    const who = await defender();
    const dueAt = new Date(service.clock.now().getTime() + 30 * MINUTE).toISOString();
    const { checkIn } = await scheduleCheckIn(deps, who, { schedule: { kind: 'once', dueAt }, graceMinutes: 10, alertMessage: 'Call Rosa.' });
    const checked = await checkInWithPin(deps, who, checkIn.id, '2468');
    assert.equal(checked.reply.nextDueAt, null);
    assert.equal((await stored(checkIn.id))?.state, 'settling');
    await assert.rejects(checkInWithPin(deps, who, checkIn.id, '2468'), refusedWith('not_found'));
    await checked.afterReply();
    assert.equal(await stored(checkIn.id), null);
  });

  it('answers the duress PIN with the same reply and the same move as the PIN', async () => {
    const who = await defender();
    const { checkIn } = await scheduleCheckIn(deps, who, { schedule: { kind: 'interval', everyHours: 6 }, graceMinutes: 10, alertMessage: 'Call Rosa.' });
    const checked = await checkInWithPin(deps, who, checkIn.id, '1357');
    assert.deepEqual(Object.keys(checked.reply).sort(), ['checkInId', 'checkedInAt', 'nextDueAt']);
    assert.equal(checked.reply.nextDueAt, new Date(new Date(checkIn.dueAt).getTime() + 6 * HOUR).toISOString());
    assert.equal((await stored(checkIn.id))?.state, 'scheduled');
    await checked.afterReply();
    await afterRepliesSettled();
  });

  it('changes nothing on a wrong PIN, for checking in, extending and cancelling', async () => {
    const who = await defender();
    const { checkIn } = await scheduleCheckIn(deps, who, { schedule: { kind: 'interval', everyHours: 6 }, graceMinutes: 10, alertMessage: 'Call Rosa.' });
    const before = await stored(checkIn.id);
    await assert.rejects(checkInWithPin(deps, who, checkIn.id, '0000'), refusedWith('wrong_pin'));
    await assert.rejects(extendCheckIn(deps, who, checkIn.id, '0000', 30), refusedWith('wrong_pin'));
    await assert.rejects(cancelCheckIn(deps, who, checkIn.id, '0000'), refusedWith('wrong_pin'));
    const after = await stored(checkIn.id);
    assert.deepEqual({ dueAt: after?.dueAt, deadline: after?.deadline, state: after?.state }, { dueAt: before?.dueAt, deadline: before?.deadline, state: before?.state });
  });

  it("answers another defender's check-in id exactly like one that does not exist", async () => {
    const [owner, other] = [await defender(), await defender()];
    const { checkIn } = await scheduleCheckIn(deps, owner, { schedule: { kind: 'interval', everyHours: 6 }, graceMinutes: 10, alertMessage: 'Call Rosa.' });
    await assert.rejects(checkInWithPin(deps, other, checkIn.id, '2468'), refusedWith('not_found'));
    await assert.rejects(checkInWithPin(deps, other, new Types.ObjectId().toHexString(), '2468'), refusedWith('not_found'));
    assert.equal((await stored(checkIn.id))?.dueAt.toISOString(), checkIn.dueAt);
  });

  it('extends the deadline from the current due time, and cancelling deletes the check-in', async () => {
    const who = await defender();
    const { checkIn } = await scheduleCheckIn(deps, who, { schedule: { kind: 'interval', everyHours: 6 }, graceMinutes: 10, alertMessage: 'Call Rosa.' });
    const extended = await extendCheckIn(deps, who, checkIn.id, '2468', 45);
    assert.equal(extended.dueAt, new Date(new Date(checkIn.dueAt).getTime() + 45 * MINUTE).toISOString());
    assert.equal((await stored(checkIn.id))?.deadline.toISOString(), extended.deadline);
    await cancelCheckIn(deps, who, checkIn.id, '2468');
    assert.equal(await stored(checkIn.id), null);
  });
});
