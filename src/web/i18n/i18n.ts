import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import en from './en.json';
import es from './es.json';
import fr from './fr.json';
import id from './id.json';
import km from './km.json';
import my from './my.json';
import pt from './pt.json';

export type MessageKey = keyof typeof en;
export type Lang = 'en' | 'es' | 'pt' | 'fr' | 'id' | 'km' | 'my';
type Catalogue = Record<MessageKey, string>;

// Each catalogue is a few kilobytes (Khmer and Burmese about twice that); all seven ship with the first screen so
// switching never waits on the network, and a network observer cannot tell the language from a second request.
const catalogues: Record<Lang, Catalogue> = { en, es, pt, fr, id, km, my };

/** Language names in their own language, so a person finds theirs whatever is showing. */
export const LANGUAGES: { code: Lang; name: string }[] = [
  { code: 'en', name: 'English' },
  { code: 'es', name: 'Español' },
  { code: 'pt', name: 'Português' },
  { code: 'fr', name: 'Français' },
  { code: 'id', name: 'Bahasa Indonesia' },
  { code: 'km', name: 'ខ្មែរ' },
  { code: 'my', name: 'မြန်မာ' },
];

const RTL_LANGUAGES = new Set(['ar', 'fa', 'he', 'ur', 'ps', 'ku', 'yi', 'dv']);

export function isLang(value: string): value is Lang {
  return value in catalogues;
}

// Older Android phones, common in the regions we serve, still report Indonesian by its withdrawn code "in" ("in-ID").
const LEGACY_CODES: Record<string, Lang> = { in: 'id' };

/** First of the browser's languages we have a catalogue for ("pt-BR" -> pt), else English. */
export function pickLanguage(preferred: readonly string[]): Lang {
  for (const tag of preferred) {
    const lower = tag.toLowerCase().split('-')[0] ?? '';
    const base = LEGACY_CODES[lower] ?? lower;
    if (isLang(base)) return base;
  }
  return 'en';
}

export function directionOf(lang: string): 'ltr' | 'rtl' {
  return RTL_LANGUAGES.has(lang.split('-')[0] ?? '') ? 'rtl' : 'ltr';
}

export type Params = Record<string, string | number>;

export interface I18n {
  lang: Lang;
  t(key: MessageKey, params?: Params): string;
  /** A date and time in `timeZone`, e.g. "Tue 14 May, 18:00". */
  dateTime(date: Date | string | number): string;
  time(date: Date | string | number): string;
  date(date: Date | string | number): string;
  /** A calendar day ("2027-06-30", a review date): the same day whatever the zone, e.g. "30 June 2027". */
  day(value: string): string;
  /**
   * The zone every time on screen is in: her check-in profile's once it is loaded (the zone of her SMS and of
   * the times she promised), before that this phone's. A phone whose clock is elsewhere (travel, a borrowed or
   * reset phone) must not show her deadline in another zone than her SMS.
   */
  timeZone: string;
  /** The time zone as a person recognises it: "Mexico City · Central Standard Time (GMT-06:00)", not "America/Mexico_City". */
  timeZoneLabel: string;
  /** This phone's clock zone (what a new profile proposes). */
  phoneTimeZone: string;
  /** A datetime-local value ("2027-06-30T18:00") as that wall time in `timeZone`; an invalid value gives an invalid Date. */
  fromWallTime(value: string): Date;
  /** An instant as a datetime-local value in `timeZone` (minutes). */
  toWallTime(date: Date | number): string;
}

/** The zone if this browser knows it, else null (a zone unknown to an older browser must not break every screen). */
function knownZone(timeZone: string | null | undefined): string | null {
  if (!timeZone) return null;
  try {
    return new Intl.DateTimeFormat('en', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** Wall-clock fields of an instant in a zone. */
function wallFields(format: Intl.DateTimeFormat, at: number): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(format.formatToParts(at).find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour') % 24, minute: get('minute'), second: get('second') };
}

/** The zone's offset from UTC at an instant, in milliseconds (Mexico City: -6 h). */
function offsetAt(format: Intl.DateTimeFormat, at: number): number {
  const f = wallFields(format, at);
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) - Math.floor(at / 1000) * 1000;
}

/** Reads and writes datetime-local values as wall times of one zone, whatever zone the phone's clock is in. */
function wallTimes(timeZone: string) {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    fromWallTime(value: string): Date {
      const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(value);
      if (!match) return new Date(NaN);
      const [, y, mo, d, h = '0', mi = '0'] = match;
      const asUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
      // The zone's offsets a day before and a day after: one of them holds at the answer. Across a daylight-saving
      // change, as JavaScript reads a local time: a wall time the change skips takes the offset before it (02:30
      // reads as 03:30 after a spring-forward), and one that happens twice is the first of the two.
      const candidates = [offsetAt(format, asUtc - 86_400_000), offsetAt(format, asUtc + 86_400_000)].map((offset) => asUtc - offset);
      const holding = candidates.filter((at) => at + offsetAt(format, at) === asUtc);
      return new Date(holding.length > 0 ? Math.min(...holding) : candidates[0]!);
    },
    toWallTime(date: Date | number): string {
      const f = wallFields(format, new Date(date).getTime());
      return `${f.year}-${pad(f.month)}-${pad(f.day)}T${pad(f.hour)}:${pad(f.minute)}`;
    },
  };
}

/** The zone's city, its name in this language and its current offset; the IANA id only if Intl knows no better. */
export function describeTimeZone(timeZone: string, locale: string, at: Date = new Date()): string {
  const city = (timeZone.split('/').pop() ?? timeZone).replace(/_/g, ' ');
  const part = (style: 'long' | 'longOffset') => {
    try {
      return new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: style }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? '';
    } catch {
      return '';
    }
  };
  const offset = part('longOffset') || 'GMT';
  // A browser without this language's data would name the zone in English ("Indochina Time"): city and offset only.
  const name = Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0 ? part('long') : '';
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return `UTC (${offset})`;
  return name && name !== offset ? `${city} · ${name} (${offset})` : `${city} (${offset})`;
}

/** The browser's own tag for this language when it has one (en-GB writes 18:00, en-US 6:00 PM). */
function regionalLocale(lang: Lang, preferred: readonly string[]): string {
  return preferred.find((tag) => tag.toLowerCase().split('-')[0] === lang) ?? lang;
}

/**
 * CLDR's day and month names for the languages some browsers have no date data for (Debian's Chromium, and
 * others built with Chrome's reduced ICU, know neither km nor my): without them a Khmer or Burmese screen would
 * give every deadline in English ("Tue 1 Dec").
 */
const NAMES_WITHOUT_INTL: Partial<Record<Lang, { weekdays: string[]; months: string[]; monthsLong: string[] }>> = {
  km: {
    weekdays: ['អាទិត្យ', 'ចន្ទ', 'អង្គារ', 'ពុធ', 'ព្រហ', 'សុក្រ', 'សៅរ៍'],
    months: ['មករា', 'កុម្ភៈ', 'មីនា', 'មេសា', 'ឧសភា', 'មិថុនា', 'កក្កដា', 'សីហា', 'កញ្ញា', 'តុលា', 'វិច្ឆិកា', 'ធ្នូ'],
    monthsLong: ['មករា', 'កុម្ភៈ', 'មីនា', 'មេសា', 'ឧសភា', 'មិថុនា', 'កក្កដា', 'សីហា', 'កញ្ញា', 'តុលា', 'វិច្ឆិកា', 'ធ្នូ'],
  },
  my: {
    weekdays: ['တနင်္ဂနွေ', 'တနင်္လာ', 'အင်္ဂါ', 'ဗုဒ္ဓဟူး', 'ကြာသပတေး', 'သောကြာ', 'စနေ'],
    months: ['ဇန်', 'ဖေ', 'မတ်', 'ဧ', 'မေ', 'ဇွန်', 'ဇူ', 'ဩ', 'စက်', 'အောက်', 'နို', 'ဒီ'],
    monthsLong: ['ဇန်နဝါရီ', 'ဖေဖော်ဝါရီ', 'မတ်', 'ဧပြီ', 'မေ', 'ဇွန်', 'ဇူလိုင်', 'ဩဂုတ်', 'စက်တင်ဘာ', 'အောက်တိုဘာ', 'နိုဝင်ဘာ', 'ဒီဇင်ဘာ'],
  },
};

/** Intl's format in this language; where the browser lacks the language, day-month order on a 24-hour clock with CLDR's names. */
export function dateFormatter(lang: Lang, locale: string, options: Intl.DateTimeFormatOptions): (date: Date) => string {
  const names = NAMES_WITHOUT_INTL[lang];
  if (!names || Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0) {
    const format = new Intl.DateTimeFormat(locale, options);
    return (date) => format.format(date);
  }
  const format = new Intl.DateTimeFormat('en-GB', { ...options, hourCycle: 'h23' });
  // English name -> index, read from the same formatter options so "Sept" or "Sep" cannot go unrecognised.
  const indexOf = (type: 'weekday' | 'month', count: number, at: (i: number) => Date) => {
    const english = new Intl.DateTimeFormat('en-GB', { [type]: options[type], timeZone: 'UTC' });
    return new Map(Array.from({ length: count }, (_, i) => [english.format(at(i)), i] as const));
  };
  const weekdays = indexOf('weekday', 7, (i) => new Date(Date.UTC(2023, 0, 1 + i))); // 1 January 2023 was a Sunday
  const months = indexOf('month', 12, (i) => new Date(Date.UTC(2023, i, 15)));
  const monthNames = options.month === 'long' ? names.monthsLong : names.months;
  return (date) =>
    format
      .formatToParts(date)
      .map((p) => (p.type === 'weekday' ? (names.weekdays[weekdays.get(p.value) ?? -1] ?? p.value) : p.type === 'month' ? (monthNames[months.get(p.value) ?? -1] ?? p.value) : p.value))
      .join('');
}

/**
 * `appName` is the installation's disguise: every message that names "Meshwork" names it instead, so no screen
 * spells the real name on a disguised installation.
 */
export function createI18n(lang: Lang, preferred: readonly string[] = [], appName: string | null = null, profileTimeZone: string | null = null): I18n {
  const catalogue = catalogues[lang];
  const named = (message: string) => (appName ? message.replaceAll('Meshwork', appName) : message);
  const phoneTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const timeZone = knownZone(profileTimeZone) ?? phoneTimeZone;
  const locale = regionalLocale(lang, preferred);
  const dateTimeFormat = dateFormatter(lang, locale, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone });
  const timeFormat = dateFormatter(lang, locale, { hour: '2-digit', minute: '2-digit', timeZone });
  const dateFormat = dateFormatter(lang, locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone });
  const dayFormat = dateFormatter(lang, locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  return {
    lang,
    timeZone,
    timeZoneLabel: describeTimeZone(timeZone, locale),
    phoneTimeZone,
    ...wallTimes(timeZone),
    day: (value) => {
      const [y, m, d] = value.split('-').map(Number);
      return dayFormat(new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)));
    },
    // A missing message shows as ⟦key⟧ (tests look for it) rather than silently falling back to English.
    t: (key, params) => interpolate(named(catalogue[key] ?? `⟦${key}⟧`), params),
    dateTime: (value) => dateTimeFormat(new Date(value)),
    time: (value) => timeFormat(new Date(value)),
    date: (value) => dateFormat(new Date(value)),
  };
}

function interpolate(message: string, params?: Params): string {
  if (!params) return message;
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A message as every catalogue has it: to recognise a default the app filled in, whatever the writer's language. */
export function messageInEveryLanguage(key: MessageKey): string[] {
  return Object.values(catalogues).map((catalogue) => catalogue[key]);
}

/**
 * A date field shows its value in the browser's own locale, which may not be the app's language (a Spanish app
 * on an English phone shows 06/30/2027): the hint says it again in her language, e.g. "Reads: 30 de junio de 2027".
 */
export function useDateEcho(): (value: string, withTime?: boolean) => string {
  const { t, day, dateTime, fromWallTime } = useI18n();
  return (value, withTime = false) => {
    if (!value) return '';
    // A date-only value is a calendar day, the same in every zone; a date and time is a wall time in her zone.
    if (!withTime) return /^\d{4}-\d{2}-\d{2}$/.test(value) ? t('dates.reads', { date: day(value) }) : '';
    const parsed = fromWallTime(value);
    return Number.isNaN(parsed.getTime()) ? '' : t('dates.reads', { date: dateTime(parsed) });
  };
}

/**
 * How a screen below the provider tells it the zone of her check-in profile (null: none, or signed out), so every
 * time on every screen is shown in it.
 */
export const ProfileTimeZoneContext = createContext<(timeZone: string | null) => void>(() => undefined);

export function useShowTimesIn(): (timeZone: string | null) => void {
  return useContext(ProfileTimeZoneContext);
}

export const I18nContext = createContext<I18n>(createI18n('en'));

export function useI18n(): I18n {
  return useContext(I18nContext);
}
