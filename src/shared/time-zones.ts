/**
 * Time zones of the regions whose defenders use each language, offered first when she picks her zone (web app
 * and CLI): Mesoamerica (Honduras, Guatemala, Mexico), Southern Africa (Zimbabwe, Zambia, Malawi, Mozambique)
 * and Southeast Asia (Indonesia, Cambodia, Myanmar). A wrong zone shifts every daily deadline and every time
 * an alert states, so the right one should be at the top, not somewhere among 400.
 */
export const REGIONAL_TIME_ZONES = {
  // Zimbabwe, Zambia and Malawi write to the service in English; Mozambique in Portuguese. All are on UTC+2.
  en: ['Africa/Harare', 'Africa/Lusaka', 'Africa/Blantyre'],
  es: [
    'America/Tegucigalpa',
    'America/Guatemala',
    // Mexico, its centre first, then the rest of the country from east to west.
    'America/Mexico_City',
    'America/Monterrey',
    'America/Merida',
    'America/Bahia_Banderas',
    'America/Cancun',
    'America/Matamoros',
    'America/Chihuahua',
    'America/Ciudad_Juarez',
    'America/Ojinaga',
    'America/Mazatlan',
    'America/Hermosillo',
    'America/Tijuana',
  ],
  pt: ['Africa/Maputo'],
  fr: [],
  // Western (Jakarta, Pontianak), Central (Makassar) and Eastern (Jayapura) Indonesia Time.
  id: ['Asia/Jakarta', 'Asia/Pontianak', 'Asia/Makassar', 'Asia/Jayapura'],
  km: ['Asia/Phnom_Penh'],
  my: ['Asia/Yangon'],
} as const satisfies Record<string, readonly string[]>;

export type ZoneLanguage = keyof typeof REGIONAL_TIME_ZONES;

// Building a formatter per zone is the slow part on a cheap phone; a zone's canonical name never changes.
const canonicalNames = new Map<string, string | undefined>();

/** The runtime's own name for a zone ("Asia/Yangon" is "Asia/Rangoon" to V8), or undefined when it knows none. */
function canonicalZone(zone: string): string | undefined {
  if (canonicalNames.has(zone)) return canonicalNames.get(zone);
  let canonical: string | undefined;
  try {
    canonical = new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    canonical = undefined;
  }
  canonicalNames.set(zone, canonical);
  return canonical;
}

/**
 * Today's names for zones V8 still reports by an old one (CLDR keeps them canonical): a defender in Myanmar should
 * see Yangon, not the colonial Rangoon. Used only where this runtime knows the new name too.
 */
const CURRENT_NAMES: Record<string, string> = {
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Europe/Kiev': 'Europe/Kyiv',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
};

function currentName(zone: string): string {
  const renamed = CURRENT_NAMES[zone];
  return renamed && canonicalZone(renamed) ? renamed : zone;
}

/**
 * Every zone once, in the order to offer them: the language's regions, then the device's own zone, then all the
 * others the runtime knows (alphabetical). Two names for one zone (Asia/Yangon, Asia/Rangoon) appear once, under
 * today's name; a zone the runtime does not know is left out.
 */
export function timeZonesInOrder(language: string, ownZone: string, all: readonly string[] = Intl.supportedValuesOf('timeZone')): string[] {
  const regional: readonly string[] = (REGIONAL_TIME_ZONES as Record<string, readonly string[]>)[language] ?? [];
  const seen = new Set<string>();
  const ordered: string[] = [];
  for (const zone of [...regional, ownZone].map(currentName).concat(all.map(currentName).sort())) {
    const canonical = canonicalZone(zone);
    if (!canonical || seen.has(canonical)) continue;
    seen.add(canonical);
    ordered.push(zone);
  }
  return ordered;
}

/** The entry of `zones` that is `zone` under any of its names ("Asia/Rangoon" finds "Asia/Yangon"). */
export function sameZoneIn(zones: readonly string[], zone: string): string | undefined {
  const canonical = canonicalZone(zone);
  return canonical ? zones.find((z) => canonicalZone(z) === canonical) : undefined;
}
