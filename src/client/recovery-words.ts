import { entropyToMnemonic, mnemonicToEntropy, validateMnemonic } from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { wordlist as french } from '@scure/bip39/wordlists/french.js';
import { wordlist as portuguese } from '@scure/bip39/wordlists/portuguese.js';
import { wordlist as spanish } from '@scure/bip39/wordlists/spanish.js';

/** Languages with a BIP-39 word list that the web app also speaks. The entropy is the same whatever the list. */
export const RECOVERY_WORD_LANGUAGES = ['en', 'es', 'pt', 'fr'] as const;
export type RecoveryWordsLanguage = (typeof RECOVERY_WORD_LANGUAGES)[number];
const LISTS: Record<RecoveryWordsLanguage, string[]> = { en: english, es: spanish, pt: portuguese, fr: french };

export function isRecoveryWordsLanguage(lang: string): lang is RecoveryWordsLanguage {
  return (RECOVERY_WORD_LANGUAGES as readonly string[]).includes(lang);
}

/** A word as typed or written: lower case, accents dropped (each list's words stay distinct without them). */
const folded = (word: string) => word.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
const FOLDED: Record<RecoveryWordsLanguage, Map<string, string>> = Object.fromEntries(
  RECOVERY_WORD_LANGUAGES.map((lang) => [lang, new Map(LISTS[lang].map((w) => [folded(w), w]))]),
) as Record<RecoveryWordsLanguage, Map<string, string>>;

/**
 * The recovery key as 24 words (a BIP-39 list in the person's language, with its checksum, so a mistyped word is
 * caught before anything is sent). Shown once, to be written on paper and kept offline. Words are NFC, as displayed.
 */
export function recoveryKeyToWords(recoveryKey: Uint8Array, language: RecoveryWordsLanguage = 'en'): string {
  return entropyToMnemonic(recoveryKey, LISTS[language]).normalize('NFC');
}

export class InvalidRecoveryWordsError extends Error {
  constructor() {
    super('Those recovery words are not valid: check each word and their order.');
    this.name = 'InvalidRecoveryWordsError';
  }
}

/**
 * The recovery key from words of any of the lists, typed with or without accents: the list is the one every word
 * belongs to whose checksum holds (a few words are in two lists; the checksum decides).
 */
export function wordsToRecoveryKey(words: string): Uint8Array {
  const typed = words.trim().split(/\s+/).map(folded);
  for (const lang of RECOVERY_WORD_LANGUAGES) {
    const canonical = typed.map((w) => FOLDED[lang].get(w));
    if (canonical.some((w) => w === undefined)) continue;
    const mnemonic = canonical.join(' ');
    // 24 words: a shorter valid phrase is some other wallet's, never a Meshwork recovery key.
    if (canonical.length === 24 && validateMnemonic(mnemonic, LISTS[lang])) return mnemonicToEntropy(mnemonic, LISTS[lang]);
  }
  throw new InvalidRecoveryWordsError();
}
