import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AWAITING_NATIVE_REVIEW, CATALOGUES as SMS_CATALOGUES, LANGUAGES as SMS_LANGUAGES, type Language } from '../../sms/catalogue';
import { keywordOf } from '../../sms/keywords';
import { LANGUAGES } from './i18n';

const dir = __dirname;
const load = (file: string) => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Record<string, string>;
const placeholders = (message: string) => [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('Web app message catalogues', () => {
  const english = load('en.json');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

  it('has English, Spanish, Portuguese, French, Bahasa Indonesia, Khmer and Burmese, the languages of the SMS texts', () => {
    assert.deepEqual(files.sort(), ['en.json', 'es.json', 'fr.json', 'id.json', 'km.json', 'my.json', 'pt.json']);
    assert.deepEqual(files.map((f) => f.replace('.json', '')).sort(), [...SMS_LANGUAGES].sort(), 'a person can read the screens in every language her contacts get SMS in');
  });

  it('offers every catalogue in the language picker, each named in its own language and script', () => {
    assert.deepEqual(LANGUAGES.map((l) => `${l.code}.json`).sort(), [...files].sort());
    assert.deepEqual(Object.fromEntries(LANGUAGES.map((l) => [l.code, l.name])), { en: 'English', es: 'Español', pt: 'Português', fr: 'Français', id: 'Bahasa Indonesia', km: 'ខ្មែរ', my: 'မြန်မာ' });
  });

  it('writes Khmer and Burmese in their own Unicode scripts, and Burmese not in Zawgyi', () => {
    const ownScript = { 'km.json': /[\u1780-\u17FF]/, 'my.json': /[\u1000-\u109F]/ };
    for (const [file, script] of Object.entries(ownScript)) {
      const catalogue = load(file);
      // Every prose message carries its script; a few are only a word kept in Latin letters (Check-in) or a count.
      const latinOnly = Object.entries(catalogue).filter(([, m]) => !script.test(m)).map(([k]) => k);
      assert.ok(latinOnly.length <= 6, `${file} has ${latinOnly.length} messages without its script: ${latinOnly.join(', ')}`);
    }
    // Zawgyi puts medials and vowel signs where Unicode never does: a medial -ya or -ra right after a vowel sign
    // or asat, or the Zawgyi-only code points in U+1060..U+1097 used as presentation forms.
    for (const [key, message] of Object.entries(load('my.json'))) {
      assert.doesNotMatch(message, /[\u1060-\u1097]/, `my.json ${key} uses Zawgyi presentation forms`);
      assert.doesNotMatch(message, /[\u102B-\u1032\u103A][\u103B\u103C]/, `my.json ${key} orders a medial after a vowel as Zawgyi does`);
      // Zawgyi stores the e-vowel and medial -ra before their consonant (as drawn); Unicode after it.
      assert.doesNotMatch(message, /(^|[^\u1000-\u109F])[\u1031\u103B\u103C]/u, `my.json ${key} starts a syllable with a vowel sign, as Zawgyi does`);
      assert.equal(message, message.normalize('NFC'), `my.json ${key} is not in normal form C`);
    }
  });

  // A defender reads on screen "waiting for YES" while her contact's invitation, in the same language, says "reply
  // YA": she must be able to tell the contact which word to send, and the screen must name one the service takes.
  it('names the reply words the SMS texts of the same language ask for, and the service understands them', () => {
    for (const file of files) {
      const lang = file.replace('.json', '') as Language;
      const catalogue = load(file);
      const sms = SMS_CATALOGUES[lang];
      const agree = [...sms.invitation.matchAll(/\b[A-Z]{2,}\b/g)].map((m) => m[0]).find((word) => keywordOf(word) === 'opt_in');
      assert.ok(agree, `${lang}: the SMS invitation names a word to agree`);
      for (const [key, message] of Object.entries(english)) {
        if (/\bYES\b/.test(message)) assert.match(catalogue[key]!, new RegExp(`\\b${agree}\\b`), `${file} ${key} names ${agree}, as the invitation does`);
        if (/\bSTOP\b/.test(message)) assert.match(catalogue[key]!, /\bSTOP\b/, `${file} ${key} keeps STOP`);
      }
    }
  });

  it('lists the web catalogues that await a native speaker in the one review list, naming files that exist', () => {
    const web = AWAITING_NATIVE_REVIEW.filter((entry) => entry.catalogue === 'web');
    assert.deepEqual(web.map((entry) => entry.language).sort(), ['id', 'km', 'my']);
    for (const entry of web) {
      assert.ok(files.includes(`${entry.language}.json`), `${entry.language}.json`);
      if (entry.keys !== 'all') for (const key of entry.keys) assert.ok(key in english, `${entry.language} ${key}`);
    }
  });

  for (const file of files.filter((f) => f !== 'en.json')) {
    it(`${file} has every key of en.json, no other, each non-empty with the same placeholders`, () => {
      const catalogue = load(file);
      assert.deepEqual(Object.keys(catalogue).sort(), Object.keys(english).sort());
      for (const [key, message] of Object.entries(catalogue)) {
        assert.ok(message.trim().length > 0, `${file} ${key} is empty`);
        assert.deepEqual(placeholders(message), placeholders(english[key]!), `${file} ${key} placeholders`);
      }
    });
  }

  it('every key the app uses exists in en.json', () => {
    const appDir = path.resolve(dir, '../app');
    const used = new Set<string>();
    const walk = (d: string) => {
      for (const entry of readdirSync(d, { withFileTypes: true })) {
        const full = path.join(d, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.tsx?$/.test(entry.name)) for (const m of readFileSync(full, 'utf8').matchAll(/\bt\('([\w.]+)'/g)) used.add(m[1]!);
      }
    };
    walk(appDir);
    const missing = [...used].filter((key) => !(key in english));
    assert.deepEqual(missing, []);
  });
});
