import { safetyPicture, safetyWords } from '../../../client';
import type { Sodium } from '../../../shared/sodium';
import { useI18n } from '../../i18n/i18n';

/**
 * A safety number (60 digits) as something people can compare aloud or at a glance: twelve words and a 6 x 5
 * picture of four colours, both from a hash of the whole number (132 and 60 bits), so a substituted key changes
 * every word and cell alike. Two phones showing the same words and picture hold the same keys.
 */
export function fingerprintWords(sodium: Sodium, safetyNumber: string): string[] {
  return safetyWords(sodium, safetyNumber);
}

// Colours that stay apart for the common colour-vision deficiencies (Okabe-Ito), plus white.
const COLOURS = ['#ffffff', '#1b1b1f', '#d55e00', '#0072b2'];

export function Fingerprint({ sodium, safetyNumber, label }: { sodium: Sodium; safetyNumber: string; label: string }) {
  const { t } = useI18n();
  const words = fingerprintWords(sodium, safetyNumber);
  const cells = safetyPicture(sodium, safetyNumber);
  const rects = cells.map((colour, i) => (
    <rect key={i} x={(i % 5) * 18 + 3} y={Math.floor(i / 5) * 18 + 3} width={18} height={18} fill={COLOURS[colour]} />
  ));
  return (
    <div class="stack" data-testid="fingerprint">
      <p>{label}</p>
      <svg class="fingerprint-picture" viewBox="0 0 96 114" role="img" aria-label={t('fingerprint.picture')}>
        <rect x={0} y={0} width={96} height={114} fill="#ffffff" stroke="#1b1b1f" />
        {rects}
      </svg>
      <p class="fingerprint-words" data-testid="fingerprint-words">
        {words.join(' ')}
      </p>
      <p class="hint">
        {t('fingerprint.digits')}: {safetyNumber}
      </p>
    </div>
  );
}
