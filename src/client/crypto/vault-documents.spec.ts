import assert from 'node:assert/strict';
import { documentAdditionalData, documentSignatureMessage, documentVersionHashInput, utf8Bytes } from '../../shared/protocol';
import { loadSodium, type Sodium } from '../../shared/sodium';
import { fromBase64Url, padIso7816, toBase64Url, unpadIso7816 } from './bytes';
import { teamSubkey } from './team-keys';
import { decryptDocumentVersion, encryptDocumentVersion, openDocumentVersion, paddedSize, versionHashOf, DocumentVerificationError, type EncryptedVersion } from './vault-documents';

const TEAM_ID = 'team-spec';

describe('Vault document encryption on the client', () => {
  let sodium: Sodium;
  let teamKey: Uint8Array;
  let signKeys: { publicKey: Uint8Array; privateKey: Uint8Array };
  let signPublicKey: string;

  before(async () => {
    sodium = await loadSodium();
    teamKey = sodium.randombytes_buf(32);
    signKeys = sodium.crypto_sign_keypair();
    signPublicKey = sodium.to_base64(signKeys.publicKey);
  });

  const lengths = () => [0, 1, 2, 3, 15, 16, 17, 63, 64, 65, 255, 256, 1000, 1023, 1024, 1025, 4095, 4096, 65535, 65536, 65537, 100 * 1024, 131071, 131072];

  it('pads exactly as sodium.pad does, for many lengths and block sizes', () => {
    for (const blockSize of [1, 2, 3, 7, 16, 100, 1024, 4096, 65536]) {
      // sodium.pad takes time proportional to length x block count, so the small blocks get the small lengths.
      for (const length of lengths().filter((n) => blockSize >= 1024 || n <= 4096)) {
        const data = sodium.randombytes_buf(length);
        const mine = padIso7816(data, blockSize);
        assert.deepEqual(mine, sodium.pad(data, blockSize), `length ${length}, block size ${blockSize}`);
        assert.deepEqual(sodium.unpad(mine, blockSize), data, `unpad of length ${length}, block size ${blockSize}`);
      }
    }
  });

  it('unpads exactly as sodium.unpad does, and refuses every padding it refuses', () => {
    for (const blockSize of [1, 2, 3, 16, 100, 1024, 65536]) {
      for (const length of lengths().filter((n) => blockSize >= 1024 || n <= 4096)) {
        const padded = sodium.pad(sodium.randombytes_buf(length), blockSize);
        assert.deepEqual(unpadIso7816(padded, blockSize), sodium.unpad(padded, blockSize), `length ${length}, block size ${blockSize}`);
      }
    }
    // Data bytes made odd, so none of them is a zero or a 0x80 barrier by chance.
    const withTail = (tail: number[], before = 5) => new Uint8Array([...Array.from(sodium.randombytes_buf(before), (b) => b | 1), ...tail]);
    const cases: [Uint8Array, number][] = [
      [withTail([0x80]), 1], [withTail([0x80, 0, 0]), 4], [withTail([0x80, 0, 0, 0]), 4], [withTail([0x80, 0, 0, 0, 0]), 4], // barrier beyond the block
      [withTail([0, 0, 0]), 4], [withTail([0x80, 1, 0]), 4], [withTail([0x81, 0]), 4], [withTail([0x7f]), 4], [withTail([0x80, 0x80]), 2],
      [new Uint8Array(8), 8], [new Uint8Array([0x80, 0, 0]), 8], [new Uint8Array(0), 1], [withTail([0x80], 0), 1], [withTail([0x80, 0], 0), 2],
      ...Array.from({ length: 200 }, (_, i): [Uint8Array, number] => [sodium.randombytes_buf(1 + (i % 40)), 1 + (i % 7)]),
    ];
    for (const [padded, blockSize] of cases) {
      let expected: Uint8Array | undefined;
      try {
        expected = sodium.unpad(padded, blockSize);
      } catch {
        expected = undefined;
      }
      const label = `${sodium.to_hex(padded)} in blocks of ${blockSize}`;
      if (expected) assert.deepEqual(unpadIso7816(padded, blockSize), expected, label);
      else assert.throws(() => unpadIso7816(padded, blockSize), label);
    }
  });

  it('pads every document size to the bucket sodium.pad gives it', () => {
    for (const length of lengths()) {
      const bucket = paddedSize(length);
      const blockSize = bucket <= 65536 ? bucket : 65536;
      const data = sodium.randombytes_buf(length);
      const padded = padIso7816(data, blockSize);
      assert.equal(padded.length, bucket, `length ${length}`);
      assert.deepEqual(padded, sodium.pad(data, blockSize), `length ${length}`);
    }
  });

  it('refuses a block size that is not a positive whole number, as sodium.pad does', () => {
    for (const blockSize of [0, -1, Number.NaN]) {
      assert.throws(() => sodium.pad(new Uint8Array(3), blockSize), `sodium accepts block size ${blockSize}`);
      assert.throws(() => padIso7816(new Uint8Array(3), blockSize), `block size ${blockSize}`);
    }
  });

  it('encodes base64url exactly as sodium.to_base64 does and decodes it back, for random bytes of many lengths', () => {
    for (let length = 0; length <= 300; length += 1) {
      for (const bytes of [sodium.randombytes_buf(length), new Uint8Array(length).fill(0xff), new Uint8Array(length)]) {
        const text = toBase64Url(sodium, bytes);
        assert.equal(text, sodium.to_base64(bytes), `length ${length}`);
        const back = fromBase64Url(sodium, text);
        assert.ok(back instanceof Uint8Array && back.constructor === Uint8Array, 'decodes to a plain Uint8Array');
        assert.deepEqual(back, bytes, `length ${length}`);
        assert.deepEqual(fromBase64Url(sodium, sodium.to_base64(bytes)), sodium.from_base64(text), `length ${length}`);
      }
    }
    for (const length of [65536, 100 * 1024 + 1, 131072 + 2]) {
      const bytes = sodium.randombytes_buf(length);
      assert.equal(toBase64Url(sodium, bytes), sodium.to_base64(bytes), `length ${length}`);
      assert.deepEqual(fromBase64Url(sodium, sodium.to_base64(bytes)), bytes, `length ${length}`);
    }
  });

  it('encodes a view into a larger buffer as only the bytes it covers', () => {
    const whole = sodium.randombytes_buf(64);
    const view = whole.subarray(5, 40);
    assert.equal(toBase64Url(sodium, view), sodium.to_base64(view));
  });

  it('refuses every base64 text that sodium.from_base64 refuses', () => {
    const valid = sodium.to_base64(sodium.randombytes_buf(32));
    const rejected = [
      'A', 'AAAAA', // a lone final character
      'AB', 'AAB', 'AAAAAB', // non-zero bits after the last byte
      'AA==', 'AAA=', // padding, not part of the no-padding variant
      'AA+/', 'AA/A', // the standard alphabet, not the URL-safe one
      'AA AA', ' AAAA', 'AAAA\n', 'AA.A', 'AAAé', 'AAA\u0141', // whitespace and other characters (Node's Buffer reads U+0141 as 'A')
      `${valid}=`, `${valid.slice(0, -1)}!`,
    ];
    for (const text of rejected) {
      assert.throws(() => sodium.from_base64(text), `sodium accepts ${JSON.stringify(text)}`);
      assert.throws(() => fromBase64Url(sodium, text), `accepted ${JSON.stringify(text)}`);
    }
    for (const text of ['', 'AA', 'AAA', 'AAAA', 'AQ', 'AQI', '_-_-', 'Zg', 'Zm8', valid]) {
      assert.deepEqual(fromBase64Url(sodium, text), sodium.from_base64(text), JSON.stringify(text));
    }
  });

  /** A version encrypted the way the client did before the hand-written padding and base64: every step a libsodium call. */
  function encryptWithLibsodiumOnly(json: string, documentId: string): EncryptedVersion {
    const binding = { teamId: TEAM_ID, documentId, kind: 'risk-map', version: 1, generation: 1, authorAccountId: 'author-1', previousVersionHash: new Uint8Array(32), logSeq: 3, logHash: new Uint8Array(32).fill(7) };
    const plaintext = utf8Bytes(json);
    const bucket = paddedSize(plaintext.length);
    const padded = sodium.pad(plaintext, bucket <= 65536 ? bucket : 65536);
    const additionalData = documentAdditionalData(binding);
    const nonce = sodium.randombytes_buf(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(padded, additionalData, null, nonce, teamSubkey(sodium, teamKey, 'documents'));
    const signature = sodium.crypto_sign_detached(documentSignatureMessage(sodium.crypto_generichash(32, additionalData, null), nonce, ciphertext), signKeys.privateKey);
    return {
      documentId, kind: binding.kind, version: 1, generation: 1, authorAccountId: binding.authorAccountId,
      previousVersionHash: sodium.to_base64(binding.previousVersionHash), logSeq: binding.logSeq, logHash: sodium.to_base64(binding.logHash), nonce: sodium.to_base64(nonce), ciphertext: sodium.to_base64(ciphertext), signature: sodium.to_base64(signature),
    };
  }

  function hashWithLibsodiumOnly(v: EncryptedVersion): string {
    const additionalData = documentAdditionalData({
      teamId: TEAM_ID, documentId: v.documentId, kind: v.kind, version: v.version, generation: v.generation, authorAccountId: v.authorAccountId,
      previousVersionHash: sodium.from_base64(v.previousVersionHash), logSeq: v.logSeq, logHash: sodium.from_base64(v.logHash),
    });
    const input = documentVersionHashInput(additionalData, sodium.from_base64(v.nonce), sodium.from_base64(v.ciphertext), sodium.from_base64(v.signature));
    return sodium.to_base64(sodium.crypto_generichash(32, input, null));
  }

  it('still opens documents encrypted before this change, of every size bucket, with the same version hash', () => {
    for (const length of [2, 500, 1023, 5000, 65535, 65536, 100 * 1024, 200 * 1024]) {
      const json = JSON.stringify({ notes: 'é'.repeat(Math.floor(length / 4)) + 'x'.repeat(length - 2 * Math.floor(length / 4)) });
      const old = encryptWithLibsodiumOnly(json, `doc-${length}`);
      assert.equal(decryptDocumentVersion(sodium, TEAM_ID, old, teamKey, signPublicKey), json, `length ${length}`);
      const opened = openDocumentVersion(sodium, TEAM_ID, old, teamKey, signPublicKey);
      assert.equal(opened.json, json);
      assert.equal(opened.hash, hashWithLibsodiumOnly(old), `length ${length}`);
      assert.equal(versionHashOf(sodium, TEAM_ID, old), hashWithLibsodiumOnly(old), `length ${length}`);
    }
  });

  it('writes documents that libsodium alone verifies, decrypts and unpads, with the ciphertext length of the old path', () => {
    for (const length of [2, 1023, 65536, 100 * 1024]) {
      const json = JSON.stringify({ notes: 'n'.repeat(length) });
      const binding = { teamId: TEAM_ID, documentId: `new-${length}`, kind: 'security-plan', version: 3, generation: 2, authorAccountId: 'author-2', previousVersionHash: sodium.randombytes_buf(32), logSeq: 9, logHash: sodium.randombytes_buf(32) };
      const v = encryptDocumentVersion(sodium, binding, json, teamKey, signKeys.privateKey);
      const additionalData = documentAdditionalData(binding);
      const nonce = sodium.from_base64(v.nonce);
      const ciphertext = sodium.from_base64(v.ciphertext);
      const message = documentSignatureMessage(sodium.crypto_generichash(32, additionalData, null), nonce, ciphertext);
      assert.ok(sodium.crypto_sign_verify_detached(sodium.from_base64(v.signature), message, signKeys.publicKey));
      const padded = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, additionalData, nonce, teamSubkey(sodium, teamKey, 'documents'));
      const bucket = paddedSize(utf8Bytes(json).length);
      assert.equal(padded.length, bucket);
      assert.equal(sodium.to_string(sodium.unpad(padded, bucket <= 65536 ? bucket : 65536)), json);
      assert.equal(v.previousVersionHash, sodium.to_base64(binding.previousVersionHash));
    }
  });

  it('refuses a version whose ciphertext is spelled in non-canonical base64, as before', () => {
    const v = encryptWithLibsodiumOnly('{"notes":"x"}', 'doc-spelling');
    for (const ciphertext of [`${v.ciphertext}=`, ` ${v.ciphertext}`, `${v.ciphertext}\n`, `${v.ciphertext.slice(0, -1)}+`]) {
      assert.throws(() => decryptDocumentVersion(sodium, TEAM_ID, { ...v, ciphertext }, teamKey, signPublicKey), DocumentVerificationError);
    }
  });
});
