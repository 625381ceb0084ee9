import type { z } from 'zod';
import { incidentSchema, type Incident } from './incident';
import { riskMapSchema, type RiskMap } from './risk-map';
import { securityPlanSchema, type SecurityPlan } from './security-plan';

export * from './incident';
export * from './risk';
export * from './risk-map';
export * from './security-plan';

export type DocumentKind = 'risk-map' | 'security-plan' | 'incident';
export const DOCUMENT_KINDS: DocumentKind[] = ['risk-map', 'security-plan', 'incident'];

export interface ContentByKind {
  'risk-map': RiskMap;
  'security-plan': SecurityPlan;
  incident: Incident;
}

export const contentSchemas: { [K in DocumentKind]: z.ZodType<ContentByKind[K]> } = {
  'risk-map': riskMapSchema as unknown as z.ZodType<RiskMap>,
  'security-plan': securityPlanSchema as unknown as z.ZodType<SecurityPlan>,
  incident: incidentSchema as unknown as z.ZodType<Incident>,
};

export class InvalidContentError extends Error {
  constructor(
    readonly kind: DocumentKind,
    readonly issues: { path: string; message: string }[],
  ) {
    super(`Invalid ${kind}: ${issues.slice(0, 5).map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
    this.name = 'InvalidContentError';
  }
}

/** Validates content of a kind (before encryption, and after decryption: a member's client may be buggy or hostile). */
export function parseContent<K extends DocumentKind>(kind: K, content: unknown): ContentByKind[K] {
  const result = contentSchemas[kind].safeParse(content);
  if (!result.success) {
    throw new InvalidContentError(kind, result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })));
  }
  return result.data;
}
