import assert from 'node:assert/strict';
import { createI18n } from './i18n';

// The process runs in its own zone (UTC on CI); each case names a profile zone far from it, as a phone whose clock
// is in another zone than her profile (travel, a borrowed or reset phone).
const phoneZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
const otherThan = (zone: string) => (phoneZone === zone ? 'Asia/Tokyo' : zone);

describe('Web times in the zone of her check-in profile', () => {
  it('shows every time in the profile zone once it is known, and names that zone', () => {
    const zone = otherThan('America/Mexico_City');
    const i18n = createI18n('en', ['en-GB'], null, zone);
    assert.equal(i18n.timeZone, zone);
    assert.equal(i18n.phoneTimeZone, phoneZone);
    const at = new Date('2026-05-14T00:00:00Z');
    const expected = new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(at);
    assert.equal(i18n.dateTime(at), expected);
    assert.equal(createI18n('en', ['en-GB'], null, 'America/Mexico_City').dateTime(at), 'Wed 13 May, 18:00');
    assert.equal(createI18n('en', ['en-GB'], null, 'America/Mexico_City').time(at), '18:00');
    assert.match(createI18n('en', ['en-GB'], null, 'America/Mexico_City').timeZoneLabel, /^Mexico City · .*\(GMT-06:00\)$/);
  });

  it("uses this phone's zone without a profile, and when the profile's zone is one this browser does not know", () => {
    assert.equal(createI18n('en', ['en-GB']).timeZone, phoneZone);
    assert.equal(createI18n('en', ['en-GB'], null, null).timeZone, phoneZone);
    assert.equal(createI18n('en', ['en-GB'], null, 'Mars/Olympus_Mons').timeZone, phoneZone);
  });

  it('reads a typed date and time as that wall time in the profile zone, and writes one back the same', () => {
    const mexico = createI18n('en', ['en-GB'], null, 'America/Mexico_City');
    assert.equal(mexico.fromWallTime('2026-05-13T18:00').toISOString(), '2026-05-14T00:00:00.000Z');
    assert.equal(mexico.toWallTime(new Date('2026-05-14T00:00:00Z')), '2026-05-13T18:00');
    const tokyo = createI18n('en', ['en-GB'], null, 'Asia/Tokyo');
    assert.equal(tokyo.fromWallTime('2026-05-13T18:00').toISOString(), '2026-05-13T09:00:00.000Z');
    assert.ok(Number.isNaN(mexico.fromWallTime('').getTime()), 'an empty field is no time');
  });

  it('crosses a daylight-saving change: each side keeps its own offset, a skipped hour reads an hour later, a doubled one the first time', () => {
    const newYork = createI18n('en', ['en-GB'], null, 'America/New_York');
    assert.equal(newYork.fromWallTime('2026-03-07T12:00').toISOString(), '2026-03-07T17:00:00.000Z', 'EST, the day before');
    assert.equal(newYork.fromWallTime('2026-03-09T12:00').toISOString(), '2026-03-09T16:00:00.000Z', 'EDT, the day after');
    assert.equal(newYork.fromWallTime('2026-03-08T02:30').toISOString(), '2026-03-08T07:30:00.000Z', '02:30 does not exist that night: 03:30 EDT');
    assert.equal(newYork.fromWallTime('2026-11-01T01:30').toISOString(), '2026-11-01T05:30:00.000Z', '01:30 happens twice that night: the first, EDT');
    for (const wall of ['2026-03-08T01:59', '2026-03-08T03:00', '2026-11-01T00:30', '2026-11-01T02:00']) assert.equal(newYork.toWallTime(newYork.fromWallTime(wall)), wall);
  });

  it('shows a calendar day (a review date) as that day in every zone, from UTC-11 to UTC+14', () => {
    for (const zone of ['Pacific/Pago_Pago', 'America/Mexico_City', 'UTC', 'Asia/Yangon', 'Pacific/Kiritimati']) {
      assert.equal(createI18n('en', ['en-GB'], null, zone).day('2027-06-30'), '30 June 2027', zone);
    }
  });
});
