import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { AWAITING_NATIVE_REVIEW, CATALOGUES, LANGUAGES, listItem, listItemName, renderAlert, renderMessage, renderWithList, type Language, type MessageKey } from '../src/sms/catalogue';
import { isReference, keywordOf, parseReply, pinIn } from '../src/sms/keywords';
import { countSegments } from '../src/sms/segments';

// Written in the Latin alphabet, so within GSM-7; Khmer and Burmese cannot be.
const LATIN_SCRIPT = new Set<Language>(['en', 'es', 'pt', 'fr', 'id']);

// Realistic and long-ish: names as people choose them, a time with its offset, a place.
const placeholders = {
  // A team's SMS name is at most 30 characters.
  team: 'Red Mesoamericana Defensoras',
  name: 'Marisol Quispe Huaman',
  contact: 'Dolores Fernandez',
  time: '18:00 (UTC-5:30)',
  place: 'Hotel Sol, calle 5 de Mayo 120, Oaxaca',
  ref: 'K4P',
  code: 'K4P',
  count: '12',
  list: 'Marisol Quispe Huaman (ACK K4P)',
};
const LIST_KEYS: Array<[MessageKey, 'ack' | 'yes' | null]> = [
  ['ackWhich', 'ack'],
  ['yesWhich', 'yes'],
  ['ackWrongCode', 'ack'],
  ['yesWrongCode', 'yes'],
  ['ackAllDone', null],
  ['yesAllDone', null],
  ['leaveWhich', null],
];

describe('SMS texts and segments', function () {
  it('counts GSM-7, its extension table and UCS-2 as carriers do', () => {
    assert.deepEqual(countSegments('a'.repeat(160)), { encoding: 'GSM-7', units: 160, segments: 1 });
    assert.deepEqual(countSegments('a'.repeat(161)), { encoding: 'GSM-7', units: 161, segments: 2 });
    assert.deepEqual(countSegments('€'.repeat(80)), { encoding: 'GSM-7', units: 160, segments: 1 });
    assert.deepEqual(countSegments('é ñ ü à'), { encoding: 'GSM-7', units: 7, segments: 1 });
    assert.deepEqual(countSegments('á'.repeat(70)), { encoding: 'UCS-2', units: 70, segments: 1 });
    assert.deepEqual(countSegments('á'.repeat(71)), { encoding: 'UCS-2', units: 71, segments: 2 });
    assert.equal(countSegments('🙂').units, 2, 'an emoji outside the BMP takes two UTF-16 units');
  });

  // Where a plain division (units / 153 or / 67) is wrong: what decided for Twilio's calculator over our own arithmetic.
  it('never splits an extension character, a surrogate pair or a Khmer syllable across two segments', () => {
    assert.deepEqual(countSegments(`${'a'.repeat(152)}€${'a'.repeat(152)}`), { encoding: 'GSM-7', units: 306, segments: 3 }, '€ takes two septets and cannot straddle segments 1 and 2');
    assert.deepEqual(countSegments('a'.repeat(306)), { encoding: 'GSM-7', units: 306, segments: 2 });
    assert.deepEqual(countSegments(`${'á'.repeat(66)}🙂${'á'.repeat(66)}`), { encoding: 'UCS-2', units: 134, segments: 3 }, 'an emoji is two UTF-16 units that cannot be cut apart');
    assert.deepEqual(countSegments('á'.repeat(134)), { encoding: 'UCS-2', units: 134, segments: 2 });
    assert.deepEqual(countSegments('ក'.repeat(70)), { encoding: 'UCS-2', units: 70, segments: 1 }, 'Khmer: 70 a segment');
    assert.deepEqual(countSegments('က'.repeat(71)), { encoding: 'UCS-2', units: 71, segments: 2 }, 'Burmese: 67 a segment once concatenated');
    assert.equal(countSegments(`${'ក'.repeat(66)}ក្ស${'ក'.repeat(65)}`).segments, 3, 'a consonant cluster (3 units) is not cut at unit 67');
  });

  it('lists every text awaiting a native speaker in README, one line per catalogue and language', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const entry of AWAITING_NATIVE_REVIEW) {
      assert.ok(CATALOGUES[entry.language], entry.language);
      const line = `- ${entry.catalogue === 'sms' ? 'SMS' : 'web app'} \`${entry.language}\` (${entry.keys === 'all' ? 'all texts' : entry.keys.join(', ')}): ${entry.why}`;
      assert.ok(readme.includes(line), `README lacks: ${line}`);
    }
  });

  for (const language of LANGUAGES) {
    it(`keeps every ${language} service text within two segments with realistic placeholders${LATIN_SCRIPT.has(language) ? ', in GSM-7' : ' (UCS-2 counted as such)'}`, () => {
      for (const key of Object.keys(CATALOGUES[language]) as MessageKey[]) {
        // A list entry is a fragment inside a list text, checked with those below.
        if (key === 'ackItem' || key === 'yesItem' || key === 'leaveItem') continue;
        const text = key === 'alert' || key === 'alertDuress' ? renderAlert({ language, duress: key === 'alertDuress', ...placeholders, message: '' }) : renderMessage(language, key, placeholders);
        const count = countSegments(text);
        if (LATIN_SCRIPT.has(language)) assert.equal(count.encoding, 'GSM-7', `${language}.${key} leaves GSM-7: ${text}`);
        else assert.equal(count.encoding, 'UCS-2', `${language}.${key} is not in its own script: ${text}`);
        assert.ok(count.segments <= 2, `${language}.${key} takes ${count.segments} segments`);
        assert.doesNotMatch(text, /\{[a-z]+\}/, `${language}.${key} has an unfilled placeholder`);
      }
    });
  }

  for (const language of LANGUAGES) {
    it(`trims every ${language} list of names to two segments and says how many more there are`, () => {
      // Thirty networks, long names, one in a script outside GSM-7 (the whole text then counts as UCS-2).
      const names = Array.from({ length: 30 }, (_, i) => (i === 3 ? 'Thiri Khin Myat Noe Aung' : `Marisol Quispe Huaman ${i}`));
      for (const [key, word] of LIST_KEYS) {
        const items = names.map((n, i) => (word ? listItem(language, word, n, `${3 + (i % 5)}K`) : listItemName(n)));
        const text = renderWithList(language, key, { count: String(names.length), code: 'X9' }, items);
        assert.ok(countSegments(text).segments <= 2, `${language}.${key} takes ${countSegments(text).segments} segments: ${text}`);
        const more = new RegExp(CATALOGUES[language].andMore.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace('{count}', '(\\d+)'));
        const hidden = Number(more.exec(text)?.[1]);
        const shown = word ? (text.match(/\([A-Z]+ [0-9]K\)/g) ?? []).length : names.filter((n) => text.includes(listItemName(n))).length;
        assert.equal(shown + hidden, names.length, `${language}.${key} accounts for every name: ${text}`);
      }
      assert.equal(renderWithList(language, 'ackWhich', { count: '2' }, ['Ana (ACK 4K)', 'Bea (ACK 9T)']).includes('Ana (ACK 4K), Bea (ACK 9T)'), true, 'a short list is shown whole');
    });
  }

  it('reads a reply reference however it is typed, and only a reference that has a digit', () => {
    assert.deepEqual(parseReply('ACK 4K'), { keyword: 'ack', target: { kind: 'ref', ref: '4K' } });
    assert.deepEqual(parseReply('ack4k'), { keyword: 'ack', target: { kind: 'ref', ref: '4K' } });
    assert.deepEqual(parseReply('4k ack'), { keyword: 'ack', target: { kind: 'ref', ref: '4K' } });
    assert.deepEqual(parseReply('Ack 4K, on my way'), { keyword: 'ack', target: { kind: 'ref', ref: '4K' } });
    assert.deepEqual(parseReply('sim7p'), { keyword: 'opt_in', target: { kind: 'ref', ref: '7P' } }, 'SIM + 7P, not SI + M7P');
    assert.deepEqual(parseReply('Sí 7P'), { keyword: 'opt_in', target: { kind: 'ref', ref: '7P' } });
    assert.deepEqual(parseReply('RECIBIDO k4p'), { keyword: 'ack', target: { kind: 'ref', ref: 'K4P' } });
    assert.deepEqual(parseReply('ACK ALL'), { keyword: 'ack', target: { kind: 'all' } });
    assert.deepEqual(parseReply('yes all'), { keyword: 'opt_in', target: { kind: 'all' } });
    assert.deepEqual(parseReply('ok all good'), { keyword: 'ack', target: { kind: 'bare' } }, 'ALL counts only as the whole reply');
    assert.deepEqual(parseReply('Ack, on my way'), { keyword: 'ack', target: { kind: 'bare' } });
    assert.deepEqual(parseReply('ok we go'), { keyword: 'ack', target: { kind: 'bare' } });
    assert.deepEqual(parseReply('STOP 4K'), { keyword: 'opt_out', target: { kind: 'ref', ref: '4K' } });
    assert.deepEqual(parseReply('hello'), { keyword: 'other', target: { kind: 'bare' } });
    for (const lookAlike of ['0K', '1K', 'OK', 'IK', '4O', '4L', '44', 'KK', '2Z', '5S', '8B']) assert.equal(isReference(lookAlike), false, lookAlike);
  });

  it("ends the defender's message with her script's own full stop before the service's words", () => {
    const base = { duress: false, name: 'Sophea', time: '18:00 (UTC+7)' };
    assert.match(renderAlert({ ...base, language: 'km', message: 'ទូរស័ព្ទទៅមេធាវី' }), /ទូរស័ព្ទទៅមេធាវី។ ឆ្លើយ ACK/);
    assert.match(renderAlert({ ...base, language: 'km', message: 'ទូរស័ព្ទទៅមេធាវី។' }), /ទូរស័ព្ទទៅមេធាវី។ ឆ្លើយ ACK/);
    assert.match(renderAlert({ ...base, language: 'my', message: 'ရှေ့နေကို ဖုန်းဆက်ပါ' }), /ဖုန်းဆက်ပါ။ ကူညီလျှင် ACK/);
    assert.match(renderAlert({ ...base, language: 'id', message: 'Telepon pengacara saya' }), /saya\. Balas ACK/);
  });

  it('reads keywords the way people type them', () => {
    assert.equal(keywordOf(' stop '), 'opt_out');
    assert.equal(keywordOf('Unsubscribe'), 'opt_out');
    assert.equal(keywordOf('Sí'), 'opt_in');
    assert.equal(keywordOf('yes!'), 'opt_in');
    assert.equal(keywordOf('Ack, on my way'), 'ack');
    assert.equal(keywordOf('reçu'), 'ack');
    assert.equal(keywordOf('Ya'), 'opt_in', 'Bahasa Indonesia agrees with YA');
    assert.equal(keywordOf('what is this?'), 'other');
    assert.equal(pinIn('2468'), '2468');
    assert.equal(pinIn('pin 2468'), '2468');
    assert.equal(pinIn('call me at 2468'), undefined);
  });
});
