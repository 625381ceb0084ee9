import { entropyToMnemonic, mnemonicToEntropy, validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';

/**
 * The recovery key as 24 words (BIP-39 English list, with its checksum, so a mistyped word is caught
 * before anything is sent). Shown once, to be written on paper and kept offline.
 */
export function recoveryKeyToWords(recoveryKey: Uint8Array): string {
  return entropyToMnemonic(recoveryKey, wordlist);
}

export class InvalidRecoveryWordsError extends Error {
  constructor() {
    super('Those recovery words are not valid: check each word and their order.');
    this.name = 'InvalidRecoveryWordsError';
  }
}

export function wordsToRecoveryKey(words: string): Uint8Array {
  const normalised = words.trim().toLowerCase().split(/\s+/).join(' ');
  if (!validateMnemonic(normalised, wordlist)) throw new InvalidRecoveryWordsError();
  return mnemonicToEntropy(normalised, wordlist);
}
