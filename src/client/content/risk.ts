import type { RiskMap, Threat } from './risk-map';

export type RiskLevel = 'low' | 'medium' | 'high' | 'critical';

export interface ThreatRisk {
  threatId: string;
  description: string;
  actors: string[];
  likelihood: number;
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
 * risk = threat x vulnerability / capacity (the WHRD protection formula), as a number:
 *   score = likelihood x impact x (1 + vulnerability) / (1 + capacity)
 * likelihood and impact are 1-5; each linked vulnerability adds its severity (1-3), each linked capacity its strength (1-3).
 * A threat with no vulnerabilities or capacities scores likelihood x impact (1-25). Levels: < 6 low, < 12 medium,
 * < 20 high, otherwise critical. A way to start a conversation, not a measurement.
 */
export function threatScore(map: RiskMap, threat: Threat): { vulnerability: number; capacity: number; score: number } {
  const vulnerability = threat.vulnerabilityIds.reduce((sum, id) => sum + (map.vulnerabilities.find((v) => v.id === id)?.severity ?? 0), 0);
  const capacity = threat.capacityIds.reduce((sum, id) => sum + (map.capacities.find((c) => c.id === id)?.strength ?? 0), 0);
  const score = Math.round(((threat.likelihood * threat.impact * (1 + vulnerability)) / (1 + capacity)) * 10) / 10;
  return { vulnerability, capacity, score };
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
    .map((threat): ThreatRisk => {
      const { vulnerability, capacity, score } = threatScore(map, threat);
      return {
        threatId: threat.id, description: threat.description,
        actors: threat.actorIds.map((id) => map.actors.find((a) => a.id === id)?.name ?? id),
        likelihood: threat.likelihood, impact: threat.impact, vulnerability, capacity, score, level: riskLevel(score),
      };
    })
    .sort((a, b) => b.score - a.score || a.threatId.localeCompare(b.threatId));
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
