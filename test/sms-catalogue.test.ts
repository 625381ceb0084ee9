import assert from 'node:assert/strict';
import { CATALOGUES, LANGUAGES, renderAlert, renderMessage, type MessageKey } from '../src/sms/catalogue';
import { keywordOf, pinIn } from '../src/sms/keywords';
import { countSegments } from '../src/sms/segments';

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

  for (const language of LANGUAGES) {
    it(`keeps every ${language} service text within two GSM-7 segments with realistic placeholders`, () => {
      for (const key of Object.keys(CATALOGUES[language]) as MessageKey[]) {
        const text = key === 'alert' || key === 'alertDuress' ? renderAlert({ language, duress: key === 'alertDuress', ...placeholders, message: '' }) : renderMessage(language, key, placeholders);
        const count = countSegments(text);
        assert.equal(count.encoding, 'GSM-7', `${language}.${key} leaves GSM-7: ${text}`);
        assert.ok(count.segments <= 2, `${language}.${key} takes ${count.segments} segments`);
        assert.doesNotMatch(text, /\{[a-z]+\}/, `${language}.${key} has an unfilled placeholder`);
      }
    });
  }

  it('reads keywords the way people type them', () => {
    assert.equal(keywordOf(' stop '), 'opt_out');
    assert.equal(keywordOf('Unsubscribe'), 'opt_out');
    assert.equal(keywordOf('Sí'), 'opt_in');
    assert.equal(keywordOf('yes!'), 'opt_in');
    assert.equal(keywordOf('Ack, on my way'), 'ack');
    assert.equal(keywordOf('reçu'), 'ack');
    assert.equal(keywordOf('what is this?'), 'other');
    assert.equal(pinIn('2468'), '2468');
    assert.equal(pinIn('pin 2468'), '2468');
    assert.equal(pinIn('call me at 2468'), undefined);
  });
});
