import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { InvalidRecoveryWordsError, RECOVERY_WORD_LANGUAGES, recoveryKeyToWords, wordsToRecoveryKey } from './recovery-words';

describe('Recovery words in the person\'s language', () => {
  const key = new Uint8Array(randomBytes(32));

  for (const lang of RECOVERY_WORD_LANGUAGES) {
    it(`shows 24 ${lang} words and reads them back to the same key, whichever list they are in`, () => {
      const words = recoveryKeyToWords(key, lang);
      assert.equal(words.split(' ').length, 24);
      assert.deepEqual(wordsToRecoveryKey(words), key);
      // Written on paper and typed back: capitals, extra spaces, decomposed accents.
      assert.deepEqual(wordsToRecoveryKey(`  ${words.toUpperCase().normalize('NFD').split(' ').join('   ')}\n`), key);
    });
  }

  it('differs between lists for the same key, and the English words stay the default', () => {
    const shown = RECOVERY_WORD_LANGUAGES.map((lang) => recoveryKeyToWords(key, lang));
    assert.equal(new Set(shown).size, RECOVERY_WORD_LANGUAGES.length);
    assert.equal(recoveryKeyToWords(key), shown[0]);
  });

  it('accepts Spanish and French words typed without their accents', () => {
    for (const lang of ['es', 'fr'] as const) {
      let words = recoveryKeyToWords(key, lang);
      // Make sure at least one accented word is in the phrase: try keys until one has.
      for (let i = 0; !/[\u0080-\uffff]/.test(words); i += 1) words = recoveryKeyToWords(new Uint8Array(randomBytes(32)), lang);
      const plain = words.normalize('NFKD').replace(/\p{M}/gu, '');
      assert.notEqual(plain, words);
      assert.deepEqual(wordsToRecoveryKey(plain), wordsToRecoveryKey(words));
    }
  });

  it('refuses a changed word, words from two lists mixed, a short phrase and nonsense', () => {
    // A fixed key: one changed word still passes the 8-bit checksum for 1 key in 256, so a random key would be flaky.
    const fixed = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
    const en = recoveryKeyToWords(fixed, 'en').split(' ');
    const es = recoveryKeyToWords(fixed, 'es').split(' ');
    const cases: [string, string][] = [
      ['a word swapped for another of the list', [...en.slice(0, 23), en[23] === 'zoo' ? 'abandon' : 'zoo'].join(' ')],
      ['two lists mixed', [...en.slice(0, 12), ...es.slice(12)].join(' ')],
      ['twelve words', recoveryKeyToWords(fixed.slice(0, 16), 'en')],
      ['nonsense', 'not my recovery words at all'],
      ['nothing', '   '],
    ];
    for (const [name, words] of cases) assert.throws(() => wordsToRecoveryKey(words), InvalidRecoveryWordsError, name);
  });

});
