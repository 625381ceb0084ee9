import { wordlist } from './crypto-impl';
import { useI18n } from './i18n';

/**
 * A safety number (60 digits) as something people can compare aloud or at a glance: twelve words
 * (each 5-digit group picks one of the 2048 BIP-39 words) and a symmetric 5x5 picture. Both are derived
 * from the same number, so two phones showing the same words and picture hold the same keys.
 */
export function fingerprintWords(safetyNumber: string): string[] {
  const digits = safetyNumber.replace(/\D/g, '');
  const words: string[] = [];
  for (let i = 0; i + 5 <= digits.length; i += 5) words.push(wordlist[Number(digits.slice(i, i + 5)) % 2048]!);
  return words;
}

function pictureCells(safetyNumber: string): { hue: number; on: boolean[] } {
  const digits = safetyNumber.replace(/\D/g, '');
  const hue = (Number(digits.slice(0, 3)) % 360) | 0;
  const on: boolean[] = [];
  // 15 cells (5 rows x 3 columns), mirrored to 5 columns like a face: easier to compare than noise.
  for (let i = 0; i < 15; i += 1) on.push(Number(digits[(i * 4 + 3) % digits.length] ?? '0') % 2 === 0);
  return { hue, on };
}

export function Fingerprint({ safetyNumber, label }: { safetyNumber: string; label: string }) {
  const { t } = useI18n();
  const words = fingerprintWords(safetyNumber);
  const { hue, on } = pictureCells(safetyNumber);
  const rects = [];
  for (let row = 0; row < 5; row += 1) {
    for (let col = 0; col < 5; col += 1) {
      const source = col < 3 ? col : 4 - col;
      if (on[row * 3 + source]) rects.push(<rect key={`${row}-${col}`} x={col * 18 + 3} y={row * 18 + 3} width={18} height={18} fill={`hsl(${hue} 65% 32%)`} />);
    }
  }
  return (
    <div class="stack" data-testid="fingerprint">
      <p>{label}</p>
      <svg class="fingerprint-picture" viewBox="0 0 96 96" role="img" aria-label={t('fingerprint.picture')}>
        <rect x={0} y={0} width={96} height={96} fill="#ffffff" stroke="#1b1b1f" />
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
