/**
 * One row per figure: the absolute value, the baseline it is compared with (measured in the same run,
 * on the same database), their ratio, the goal and whether it is met.
 */
export interface Row {
  /** The item number (1 check-in, 2 tick, 3 escalation, 4 vault, 5 memory, 6 scale-out). */
  item: number;
  what: string;
  value: number;
  unit: string;
  baseline?: { value: number; what: string };
  /** value / baseline unless given (e.g. largest / smallest population). */
  ratio?: number;
  goal?: { text: string; met: (row: Row) => boolean };
  note?: string;
}

export type Verdict = 'pass' | 'MISS' | '';

export function ratioOf(row: Row): number | undefined {
  if (row.ratio !== undefined) return row.ratio;
  if (!row.baseline || row.baseline.value === 0) return undefined;
  return row.value / row.baseline.value;
}

export function verdictOf(row: Row): Verdict {
  if (!row.goal) return '';
  return row.goal.met(row) ? 'pass' : 'MISS';
}

export const atLeastRatio = (min: number) => ({ text: `ratio ≥ ${min}`, met: (r: Row) => (ratioOf(r) ?? 0) >= min });
export const atMostRatio = (max: number) => ({ text: `ratio ≤ ${max}`, met: (r: Row) => (ratioOf(r) ?? Infinity) <= max });
export const atMostValue = (max: number, unit: string) => ({ text: `≤ ${format(max)} ${unit}`, met: (r: Row) => r.value <= max });

export function format(n: number | undefined): string {
  if (n === undefined || Number.isNaN(n)) return '—';
  if (!Number.isFinite(n)) return '∞';
  const abs = Math.abs(n);
  if (abs >= 100_000) return Math.round(n).toLocaleString('en-US');
  if (abs >= 100) return n.toFixed(0);
  if (abs >= 10) return n.toFixed(1);
  if (abs >= 1) return n.toFixed(2);
  if (abs === 0) return '0';
  return n.toPrecision(2);
}

/** Four significant digits: a ratio of 0.4996 must not print as 0.50 next to a goal of 0.5. */
function formatRatio(ratio: number | undefined): string {
  if (ratio === undefined || Number.isNaN(ratio)) return '—';
  if (!Number.isFinite(ratio)) return '∞';
  return ratio >= 1000 ? format(ratio) : String(Number(ratio.toPrecision(4)));
}

const HEADERS = ['#', 'measure', 'value', 'baseline (same run)', 'ratio', 'goal', 'result'];

function cells(row: Row): string[] {
  const baseline = row.baseline ? `${format(row.baseline.value)} ${row.unit} (${row.baseline.what})` : '—';
  const ratio = ratioOf(row);
  return [String(row.item), row.what, `${format(row.value)} ${row.unit}`, baseline, formatRatio(ratio), row.goal?.text ?? '—', verdictOf(row) || '—'];
}

export function markdownTable(rows: Row[]): string {
  const lines = [`| ${HEADERS.join(' | ')} |`, `|${HEADERS.map(() => '---').join('|')}|`];
  for (const row of rows) lines.push(`| ${cells(row).map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`);
  return lines.join('\n');
}

/** A fixed-width table for the terminal. */
export function textTable(rows: Row[]): string {
  const all = [HEADERS, ...rows.map(cells)];
  const widths = HEADERS.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(HEADERS), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map((r) => line(cells(r)))].join('\n');
}
