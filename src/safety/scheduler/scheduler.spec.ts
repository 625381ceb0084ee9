import assert from 'node:assert/strict';
import { createRunner } from './scheduler';

/** The runner node-cron and this instance's timers share: one pass at a time, and none asked for is lost. */
describe('The scheduler runner', function () {
  it('runs a pass asked for during another right after it, once, never two at the same time', async () => {
    let running = 0;
    let most = 0;
    let passes = 0;
    let release: () => void = () => undefined;
    const runner = createRunner(async () => {
      running += 1;
      most = Math.max(most, running);
      passes += 1;
      if (passes === 1) await new Promise<void>((resolve) => (release = resolve));
      running -= 1;
    }, () => undefined);
    const first = runner.run();
    // A timer and a cron tick both fire while the first pass waits on the database.
    const second = runner.run();
    const third = runner.run();
    release();
    await Promise.all([first, second, third]);
    assert.equal(most, 1, 'passes never overlap');
    assert.equal(passes, 2, 'the passes asked for meanwhile are folded into one more');
    await runner.run();
    assert.equal(passes, 3, 'an idle runner runs at once');
  });

  it('reports a failed pass and keeps running later ones', async () => {
    const errors: unknown[] = [];
    let passes = 0;
    const runner = createRunner(async () => {
      passes += 1;
      if (passes === 1) throw new Error('database unreachable');
    }, (error) => errors.push(error));
    await runner.run();
    await runner.run();
    assert.equal(passes, 2);
    assert.equal(errors.length, 1);
    await runner.idle();
  });
});
