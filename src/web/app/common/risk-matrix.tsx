import type { VNode } from 'preact';
import { computeRiskSummary, riskLevel, type RiskLevel, type RiskMap } from './crypto-impl';
import { useI18n, type MessageKey } from '../../i18n/i18n';

export const LEVEL_KEY: Record<RiskLevel, MessageKey> = { low: 'risk.low', medium: 'risk.medium', high: 'risk.high', critical: 'risk.critical' };
/** The legend's words for each band of the score (1-25), the same thresholds as riskLevel(). */
const RANGE: Record<RiskLevel, string> = { low: '1–5', medium: '6–11', high: '12–19', critical: '20–25' };
/** One colour per level, shared by the cells, the dots and the legend, so the three can never disagree. */
export const CELL_FILL: Record<RiskLevel, string> = { low: '#e6f2e6', medium: '#fff3c4', high: '#fde0c5', critical: '#f7cccc' };
export const MARK_FILL: Record<RiskLevel, string> = { low: '#2e7d32', medium: '#8a6d00', high: '#b45309', critical: '#b3261e' };

const CELL = 56;
const LEFT = 34;
const TOP = 8;
const SIZE = CELL * 5;

/**
 * The grid as a picture: likelihood (adjusted by the linked vulnerabilities and capacities, see
 * src/client/content/risk.ts) 1-5 left to right, impact 1-5 bottom to top. Each threat sits in the cell of its
 * score, so the cell's colour is its level; its dot carries the number it was entered with, as in the summary
 * table, which is the text equivalent.
 */
export function RiskMatrix({ map }: { map: RiskMap }) {
  const { t } = useI18n();
  const summary = computeRiskSummary(map);
  const cells: VNode[] = [];
  for (let likelihood = 1; likelihood <= 5; likelihood += 1) {
    for (let impact = 1; impact <= 5; impact += 1) {
      cells.push(
        <rect
          key={`${likelihood}-${impact}`}
          x={LEFT + (likelihood - 1) * CELL}
          y={TOP + (5 - impact) * CELL}
          width={CELL}
          height={CELL}
          fill={CELL_FILL[riskLevel(likelihood * impact)]}
          stroke="#8c8599"
          stroke-width={1}
          data-cell={`${likelihood}-${impact}`}
        />,
      );
    }
  }
  const inEntryOrder = [...summary.threats].sort((a, b) => a.number - b.number);
  const marks = inEntryOrder.map((threat) => {
    const sameCell = inEntryOrder.filter((other) => other.adjustedLikelihood === threat.adjustedLikelihood && other.impact === threat.impact);
    const slot = sameCell.indexOf(threat);
    const perRow = 3;
    const cx = LEFT + (threat.adjustedLikelihood - 1) * CELL + 10 + (slot % perRow) * 18;
    const cy = TOP + (5 - threat.impact) * CELL + 12 + Math.floor(slot / perRow) * 18;
    const n = threat.number;
    return (
      // data-likelihood is the column it is drawn in (the adjusted likelihood); data-entered-likelihood what the team chose.
      <g key={threat.threatId} data-threat-id={threat.threatId} data-number={n} data-likelihood={threat.adjustedLikelihood} data-entered-likelihood={threat.likelihood} data-impact={threat.impact} data-level={threat.level}>
        <title>{`${n}. ${threat.description}: ${t(LEVEL_KEY[threat.level])}`}</title>
        <circle cx={cx} cy={cy} r={8} fill={MARK_FILL[threat.level]} stroke="#ffffff" stroke-width={1.5} />
        <text x={cx} y={cy + 3.5} text-anchor="middle" font-size="10" font-weight="700" fill="#ffffff">
          {n}
        </text>
      </g>
    );
  });
  const ticks = [1, 2, 3, 4, 5];
  return (
    <svg class="matrix" viewBox={`0 0 ${LEFT + SIZE + 8} ${TOP + SIZE + 40}`} role="img" aria-labelledby="matrix-title" data-testid="risk-matrix">
      <title id="matrix-title">{t('risk.matrixTitle', { n: summary.threats.length })}</title>
      {cells}
      {ticks.map((n) => (
        <text key={`l${n}`} x={LEFT + (n - 0.5) * CELL} y={TOP + SIZE + 14} text-anchor="middle" font-size="11" fill="#1b1b1f">
          {n}
        </text>
      ))}
      {ticks.map((n) => (
        <text key={`i${n}`} x={LEFT - 8} y={TOP + (5 - n + 0.5) * CELL + 4} text-anchor="end" font-size="11" fill="#1b1b1f">
          {n}
        </text>
      ))}
      <text x={LEFT + SIZE / 2} y={TOP + SIZE + 32} text-anchor="middle" font-size="12" font-weight="700" fill="#1b1b1f">
        {t('risk.adjustedLikelihood')} →
      </text>
      <text x={12} y={TOP + SIZE / 2} text-anchor="middle" font-size="12" font-weight="700" fill="#1b1b1f" transform={`rotate(-90 12 ${TOP + SIZE / 2})`}>
        {t('risk.impact')} →
      </text>
      {marks}
    </svg>
  );
}

export function RiskSummaryTable({ map }: { map: RiskMap }) {
  const { t } = useI18n();
  const summary = computeRiskSummary(map);
  return (
    <div class="stack">
      <ul class="legend plain" data-testid="risk-legend" aria-label={t('risk.legend')}>
        {(['critical', 'high', 'medium', 'low'] as const).map((level) => (
          <li key={level} data-level={level}>
            <svg class="swatch" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
              <rect x="0.5" y="0.5" width="15" height="15" rx="2" fill={CELL_FILL[level]} stroke="#8c8599" />
              <circle cx="8" cy="8" r="4.5" fill={MARK_FILL[level]} />
            </svg>
            {t('risk.legendLevel', { level: t(LEVEL_KEY[level]), range: RANGE[level], n: summary.byLevel[level] })}
          </li>
        ))}
      </ul>
      <p class="hint" data-testid="risk-formula">
        {t('risk.formula')}
      </p>
      {summary.threats.length > 0 ? (
        <table data-testid="risk-summary">
          <caption class="visually-hidden">{t('risk.summaryCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t('risk.threat')}</th>
              <th scope="col">{t('risk.level')}</th>
            </tr>
          </thead>
          <tbody>
            {summary.threats.map((threat) => (
              <tr key={threat.threatId} data-level={threat.level}>
                <td>{threat.number}</td>
                <td>
                  {threat.description}
                  {threat.actors.length ? <span class="hint"> · {threat.actors.join(', ')}</span> : null}
                  <span class="hint"> · {t('risk.position', { likelihood: threat.likelihood, impact: threat.impact })}</span>
                  {threat.adjustedLikelihood !== threat.likelihood ? <span class="hint"> · {t('risk.adjusted', { from: threat.likelihood, to: threat.adjustedLikelihood, vulnerability: threat.vulnerability, capacity: threat.capacity })}</span> : null}
                </td>
                <td>
                  {t(LEVEL_KEY[threat.level])} ({t('risk.scoreOf', { score: threat.score })})
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {summary.opponents.length ? <p>{t('risk.opponents', { list: summary.opponents.map((o) => `${o.name} (${o.influence})`).join(', ') })}</p> : null}
      {summary.unprotectedVulnerabilities.length ? <p class="warning">{t('risk.unprotected', { list: summary.unprotectedVulnerabilities.join('; ') })}</p> : null}
    </div>
  );
}
