import type { RiskMap, Threat } from './risk-map';

export type RiskLevel = 'low' | 'medium' | 'high' | 'critical';

export interface ThreatRisk {
  threatId: string;
  /** 1 for the first threat entered: the number on its dot and in the summary, whatever its rank. */
  number: number;
  description: string;
  actors: string[];
  likelihood: number;
  /** The likelihood once vulnerabilities and capacities are weighed (1-5): the matrix column the threat sits in. */
  adjustedLikelihood: number;
  impact: number;
  /** Sum of the linked vulnerabilities' severities, and of the linked capacities' strengths. */
  vulnerability: number;
  capacity: number;
  score: number;
  level: RiskLevel;
}

export interface RiskSummary {
  threats: ThreatRisk[];
  byLevel: Record<RiskLevel, number>;
  highest: RiskLevel | null;
  /** Opponents, most influential first: who the plan must answer to. */
  opponents: { name: string; influence: number }[];
  /** Vulnerabilities that feed a high or critical threat with no capacity linked to it: where to act first. */
  unprotectedVulnerabilities: string[];
}

/**
 * risk = threat x vulnerabilities / capacities (the WHRD protection formula of the JASS toolkit), kept on the
 * 5 x 5 grid so that the cell a threat sits in, its colour, its level and its score always agree:
 *   V = sum of the linked vulnerabilities' severities (each 1-3), C = sum of the linked capacities' strengths (each 1-3)
 *   adjusted likelihood = likelihood x (3 + V) / (3 + C), rounded, kept within 1-5
 *   score = adjusted likelihood x impact (1-25)
 * Vulnerabilities make the threat likelier to hurt us, capacities less likely; its impact is as the team judged it.
 * With none linked the threat stays where it was entered. Levels: score < 6 low, < 12 medium, < 20 high, otherwise
 * critical. A way to start a conversation, not a measurement.
 */
export function threatScore(map: RiskMap, threat: Threat): { vulnerability: number; capacity: number; adjustedLikelihood: number; score: number } {
  const vulnerability = threat.vulnerabilityIds.reduce((sum, id) => sum + (map.vulnerabilities.find((v) => v.id === id)?.severity ?? 0), 0);
  const capacity = threat.capacityIds.reduce((sum, id) => sum + (map.capacities.find((c) => c.id === id)?.strength ?? 0), 0);
  const adjustedLikelihood = Math.min(5, Math.max(1, Math.round((threat.likelihood * (3 + vulnerability)) / (3 + capacity))));
  return { vulnerability, capacity, adjustedLikelihood, score: adjustedLikelihood * threat.impact };
}

export function riskLevel(score: number): RiskLevel {
  if (score < 6) return 'low';
  if (score < 12) return 'medium';
  if (score < 20) return 'high';
  return 'critical';
}

const ORDER: RiskLevel[] = ['critical', 'high', 'medium', 'low'];

export function computeRiskSummary(map: RiskMap): RiskSummary {
  const threats = map.threats
    .map((threat, i): ThreatRisk => {
      const { vulnerability, capacity, adjustedLikelihood, score } = threatScore(map, threat);
      return {
        threatId: threat.id, number: i + 1, description: threat.description,
        actors: threat.actorIds.map((id) => map.actors.find((a) => a.id === id)?.name ?? id),
        likelihood: threat.likelihood, adjustedLikelihood, impact: threat.impact, vulnerability, capacity, score, level: riskLevel(score),
      };
    })
    .sort((a, b) => b.score - a.score || a.number - b.number);
  const byLevel: Record<RiskLevel, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const t of threats) byLevel[t.level] += 1;
  const highest = ORDER.find((level) => byLevel[level] > 0) ?? null;
  const opponents = map.actors
    .filter((a) => a.stance === 'opponent')
    .sort((a, b) => b.influence - a.influence || a.name.localeCompare(b.name))
    .map((a) => ({ name: a.name, influence: a.influence }));
  const unprotected = new Set<string>();
  for (const threat of map.threats) {
    const level = threats.find((t) => t.threatId === threat.id)?.level;
    if ((level === 'high' || level === 'critical') && threat.capacityIds.length === 0) {
      for (const id of threat.vulnerabilityIds) unprotected.add(map.vulnerabilities.find((v) => v.id === id)?.description ?? id);
    }
  }
  return { threats, byLevel, highest, opponents, unprotectedVulnerabilities: [...unprotected] };
}
