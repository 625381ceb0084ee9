import assert from 'node:assert/strict';
import { loadSodium, type Sodium } from '../../shared/sodium';
import { teamNameAdditionalData } from '../../shared/protocol';
import { decryptTeamName, encryptTeamName, SAFETY_PICTURE_CELLS, SAFETY_PICTURE_COLOURS, safetyPicture, safetyWords, teamSubkey } from './team-keys';
import { encryptDocumentVersion, openDocumentVersion } from './vault-documents';

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

  it('never encrypts under the team key itself: documents and the name each use their own subkey', () => {
    const teamKey = sodium.randombytes_buf(32);
    const sign = sodium.crypto_sign_keypair();
    const v = encryptDocumentVersion(sodium, {
      teamId: 't', documentId: 'd', kind: 'incident', version: 1, generation: 1, authorAccountId: 'a', previousVersionHash: new Uint8Array(32), logSeq: 1, logHash: new Uint8Array(32),
    }, '{"x":1}', teamKey, sign.privateKey);
    assert.equal(openDocumentVersion(sodium, 't', v, teamKey, sodium.to_base64(sign.publicKey)).json, '{"x":1}');
    const name = encryptTeamName(sodium, 't', 1, 'Colectiva', teamKey);
    assert.equal(decryptTeamName(sodium, 't', name, teamKey), 'Colectiva');
    const underRawKey = () => sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sodium.from_base64(name.ciphertext), teamNameAdditionalData('t', 1), sodium.from_base64(name.nonce), teamKey);
    assert.throws(underRawKey);
    assert.notDeepEqual(teamSubkey(sodium, teamKey, 'documents'), teamSubkey(sodium, teamKey, 'name'));
  });
});
