import assert from 'node:assert/strict';
import { IANAZone } from 'luxon';
import { LANGUAGES } from '../src/sms/catalogue';
import { REGIONAL_TIME_ZONES, sameZoneIn, timeZonesInOrder } from '../src/shared/time-zones';

describe('Time zones offered by language', () => {
  const all = Intl.supportedValuesOf('timeZone');

  it('has an entry for every language the service speaks, and no other', () => {
    assert.deepEqual(Object.keys(REGIONAL_TIME_ZONES).sort(), [...LANGUAGES].sort());
  });

  it('names only zones the server accepts in a profile', () => {
    for (const zone of Object.values(REGIONAL_TIME_ZONES).flat()) assert.ok(IANAZone.isValidZone(zone), zone);
  });

  const firsts: [string, string[]][] = [
    ['id', ['Asia/Jakarta', 'Asia/Pontianak', 'Asia/Makassar', 'Asia/Jayapura']],
    ['km', ['Asia/Phnom_Penh']],
    ['my', ['Asia/Yangon']],
    ['es', ['America/Tegucigalpa', 'America/Guatemala', 'America/Mexico_City']],
    ['pt', ['Africa/Maputo']],
    ['en', ['Africa/Harare', 'Africa/Lusaka', 'Africa/Blantyre']],
  ];
  for (const [language, expected] of firsts) {
    it(`offers ${expected.join(', ')} first to a person who chose ${language}, then the phone's own zone, then every other`, () => {
      const ordered = timeZonesInOrder(language, 'Europe/Madrid', all);
      assert.deepEqual(ordered.slice(0, expected.length), expected);
      const regional = REGIONAL_TIME_ZONES[language as keyof typeof REGIONAL_TIME_ZONES];
      assert.equal(ordered[regional.length], 'Europe/Madrid', 'the phone zone follows the region');
      const rest = ordered.slice(regional.length + 1);
      assert.deepEqual(rest, [...rest].sort(), 'then all others, alphabetically');
      assert.equal(new Set(ordered).size, ordered.length, 'no zone twice');
      assert.ok(ordered.length >= all.length - 5, 'nearly every zone the runtime knows is offered');
    });
  }

  it('offers every zone of Mexico right after Honduras and Guatemala in Spanish', () => {
    const mexico = ['America/Mexico_City', 'America/Monterrey', 'America/Merida', 'America/Bahia_Banderas', 'America/Cancun', 'America/Matamoros', 'America/Chihuahua', 'America/Ciudad_Juarez', 'America/Ojinaga', 'America/Mazatlan', 'America/Hermosillo', 'America/Tijuana'];
    assert.deepEqual(timeZonesInOrder('es', 'UTC', all).slice(2, 2 + mexico.length), mexico);
  });

  it("puts the phone's own zone first for a language with no region of its own (French), and all the rest after it", () => {
    const ordered = timeZonesInOrder('fr', 'Africa/Lusaka', all);
    assert.equal(ordered[0], 'Africa/Lusaka');
    assert.ok(ordered.includes('Asia/Jakarta'));
  });

  it('lists Myanmar once, as Asia/Yangon, although the phone and the runtime call it Asia/Rangoon', () => {
    const ordered = timeZonesInOrder('my', 'Asia/Rangoon', [...all, 'Asia/Rangoon', 'Asia/Yangon']);
    assert.equal(ordered[0], 'Asia/Yangon');
    assert.equal(ordered.filter((z) => z === 'Asia/Yangon' || z === 'Asia/Rangoon').length, 1);
    assert.equal(sameZoneIn(ordered, 'Asia/Rangoon'), 'Asia/Yangon', "the phone's zone is preselected under the listed name");
  });

  it("offers the phone's zone under today's name when the runtime reports an old one (Rangoon, Calcutta, Kiev)", () => {
    const ordered = timeZonesInOrder('en', 'Asia/Rangoon', all);
    assert.equal(ordered[REGIONAL_TIME_ZONES.en.length], 'Asia/Yangon');
    assert.ok(!ordered.includes('Asia/Rangoon') && !ordered.includes('Asia/Calcutta') && ordered.includes('Asia/Kolkata'));
  });

  it('leaves out a zone the runtime does not know instead of offering one the server refuses', () => {
    const ordered = timeZonesInOrder('km', 'Mars/Olympus_Mons', ['Asia/Phnom_Penh', 'Not/A_Zone', 'UTC']);
    assert.deepEqual(ordered, ['Asia/Phnom_Penh', 'UTC']);
  });
});
