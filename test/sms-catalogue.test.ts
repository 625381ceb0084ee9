import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { AWAITING_NATIVE_REVIEW, CATALOGUES, LANGUAGES, renderAlert, renderMessage, type Language, type MessageKey } from '../src/sms/catalogue';
import { keywordOf, pinIn } from '../src/sms/keywords';
import { countSegments } from '../src/sms/segments';

// Written in the Latin alphabet, so within GSM-7; Khmer and Burmese cannot be.
const LATIN_SCRIPT = new Set<Language>(['en', 'es', 'pt', 'fr', 'id']);

// Realistic and long-ish: names as people choose them, a time with its offset, a place.
const placeholders = { name: 'Marisol Quispe Huaman', contact: 'Dolores Fernandez', time: '18:00 (UTC-5:30)', place: 'Hotel Sol, calle 5 de Mayo 120, Oaxaca' };

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
        const text = key === 'alert' || key === 'alertDuress' ? renderAlert({ language, duress: key === 'alertDuress', ...placeholders, message: '' }) : renderMessage(language, key, placeholders);
        const count = countSegments(text);
        if (LATIN_SCRIPT.has(language)) assert.equal(count.encoding, 'GSM-7', `${language}.${key} leaves GSM-7: ${text}`);
        else assert.equal(count.encoding, 'UCS-2', `${language}.${key} is not in its own script: ${text}`);
        assert.ok(count.segments <= 2, `${language}.${key} takes ${count.segments} segments`);
        assert.doesNotMatch(text, /\{[a-z]+\}/, `${language}.${key} has an unfilled placeholder`);
      }
    });
  }

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
