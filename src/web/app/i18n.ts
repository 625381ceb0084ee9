import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import en from '../i18n/en.json';
import es from '../i18n/es.json';
import fr from '../i18n/fr.json';
import pt from '../i18n/pt.json';

export type MessageKey = keyof typeof en;
export type Lang = 'en' | 'es' | 'pt' | 'fr';
type Catalogue = Record<MessageKey, string>;

// Each catalogue is a few kilobytes; all four ship with the first screen so switching never waits on the network.
const catalogues: Record<Lang, Catalogue> = { en, es, pt, fr };

/** Language names in their own language, so a person finds theirs whatever is showing. */
export const LANGUAGES: { code: Lang; name: string }[] = [
  { code: 'en', name: 'English' },
  { code: 'es', name: 'Español' },
  { code: 'pt', name: 'Português' },
  { code: 'fr', name: 'Français' },
];

const RTL_LANGUAGES = new Set(['ar', 'fa', 'he', 'ur', 'ps', 'ku', 'yi', 'dv']);

export function isLang(value: string): value is Lang {
  return value in catalogues;
}

/** First of the browser's languages we have a catalogue for ("pt-BR" -> pt), else English. */
export function pickLanguage(preferred: readonly string[]): Lang {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0] ?? '';
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
  /** A date and time in the person's own time zone, e.g. "Tue 14 May, 18:00". */
  dateTime(date: Date | string | number): string;
  time(date: Date | string | number): string;
  date(date: Date | string | number): string;
  timeZone: string;
  /** The time zone as a person recognises it: "Mexico City · Central Standard Time (GMT-06:00)", not "America/Mexico_City". */
  timeZoneLabel: string;
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
  const name = part('long');
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return `UTC (${offset})`;
  return name && name !== offset ? `${city} · ${name} (${offset})` : `${city} (${offset})`;
}

/** The browser's own tag for this language when it has one (en-GB writes 18:00, en-US 6:00 PM). */
function regionalLocale(lang: Lang, preferred: readonly string[]): string {
  return preferred.find((tag) => tag.toLowerCase().split('-')[0] === lang) ?? lang;
}

/**
 * `appName` is the installation's disguise: every message that names "Meshwork" names it instead, so no screen
 * spells the real name on a disguised installation.
 */
export function createI18n(lang: Lang, preferred: readonly string[] = [], appName: string | null = null): I18n {
  const catalogue = catalogues[lang];
  const named = (message: string) => (appName ? message.replaceAll('Meshwork', appName) : message);
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const locale = regionalLocale(lang, preferred);
  const dateTimeFormat = new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone });
  const timeFormat = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone });
  const dateFormat = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone });
  return {
    lang,
    timeZone,
    timeZoneLabel: describeTimeZone(timeZone, locale),
    // A missing message shows as ⟦key⟧ (tests look for it) rather than silently falling back to English.
    t: (key, params) => interpolate(named(catalogue[key] ?? `⟦${key}⟧`), params),
    dateTime: (value) => dateTimeFormat.format(new Date(value)),
    time: (value) => timeFormat.format(new Date(value)),
    date: (value) => dateFormat.format(new Date(value)),
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
  const { t, date, dateTime } = useI18n();
  return (value, withTime = false) => {
    if (!value) return '';
    // A date-only value is a calendar day: read it as local midnight, never as UTC (the day before in the Americas).
    const parsed = withTime ? new Date(value) : new Date(`${value}T00:00`);
    return Number.isNaN(parsed.getTime()) ? '' : t('dates.reads', { date: withTime ? dateTime(parsed) : date(parsed) });
  };
}

export const I18nContext = createContext<I18n>(createI18n('en'));

export function useI18n(): I18n {
  return useContext(I18nContext);
}
