import assert from 'node:assert/strict';
import { loadSodium, type Sodium } from '../../shared/sodium';
import { SAFETY_PICTURE_CELLS, SAFETY_PICTURE_COLOURS, safetyPicture, safetyWords } from './team-keys';

/** A 60-digit safety number as the client shows it: two sorted 30-digit halves, in 12 groups of 5. */
function combined(a: string, b: string): string {
  return [a, b].sort().join('').match(/.{5}/g)!.join(' ');
}

describe('Safety words and picture', () => {
  let sodium: Sodium;
  const randomHalf = () => Array.from(sodium.randombytes_buf(30), (b) => String(b % 10)).join('');

  before(async () => {
    sodium = await loadSodium();
  });

  it('changes nearly every word when one person\'s key is substituted, not only that person\'s half', () => {
    const mine = randomHalf();
    const real = safetyWords(sodium, combined(mine, randomHalf()));
    assert.equal(real.length, 12);
    for (let i = 0; i < 200; i += 1) {
      const substituted = safetyWords(sodium, combined(mine, randomHalf()));
      const same = substituted.filter((word, position) => word === real[position]).length;
      assert.ok(same <= 2, `a substituted key kept ${same} of the 12 words in place`);
    }
  });

  it('gives the picture at least 60 bits, so grinding keys for a look-alike picture does not work', () => {
    assert.ok(SAFETY_PICTURE_CELLS * Math.log2(SAFETY_PICTURE_COLOURS) >= 60);
    const mine = randomHalf();
    const target = safetyPicture(sodium, combined(mine, randomHalf())).join('');
    // 5,000 substituted keys (the review found a matching old picture after 354): none gives the same picture.
    for (let i = 0; i < 5_000; i += 1) assert.notEqual(safetyPicture(sodium, combined(mine, randomHalf())).join(''), target);
  });

  it('shows the same words and picture on both phones (the number, not who computes it, decides)', () => {
    const [a, b] = [randomHalf(), randomHalf()];
    assert.deepEqual(safetyWords(sodium, combined(a, b)), safetyWords(sodium, combined(b, a)));
    assert.deepEqual(safetyPicture(sodium, combined(a, b)), safetyPicture(sodium, combined(b, a)));
    assert.ok(safetyPicture(sodium, combined(a, b)).every((c) => c >= 0 && c < SAFETY_PICTURE_COLOURS));
  });
});
