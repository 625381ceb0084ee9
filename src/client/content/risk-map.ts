import { z } from 'zod';
import { checkRefs, isoDate, level1to5, localId, text, uniqueIds } from './common';

/**
 * A participatory risk assessment, after the WHRD protection methodology (JASS, Protection International):
 * risk = threats x vulnerabilities / capacities. Who can harm us and who stands with us (actors), what could
 * happen (threats, from which actor, how likely, how bad), what exposes us (vulnerabilities) and what protects
 * us (capacities and existing resources). Validated by the client before encryption and after decryption.
 */
export const actorSchema = z
  .object({
    id: localId,
    name: text(200),
    kind: z.enum(['state', 'non-state-armed', 'corporate', 'community', 'family', 'media', 'religious', 'organisation', 'other']),
    stance: z.enum(['ally', 'neutral', 'opponent']),
    /** How much power the actor has over our situation, 1 (little) to 5 (decisive). */
    influence: level1to5,
    notes: z.string().max(2000).optional(),
  })
  .strict();

export const vulnerabilitySchema = z
  .object({
    id: localId,
    description: text(1000),
    area: z.enum(['physical', 'digital', 'legal', 'psychosocial', 'organisational', 'economic', 'communication', 'other']),
    /** How much it exposes us, 1 (a little) to 3 (a lot). */
    severity: z.number().int().min(1).max(3),
  })
  .strict();

export const capacitySchema = z
  .object({
    id: localId,
    description: text(1000),
    kind: z.enum(['capacity', 'resource', 'ally-support']),
    /** How much it protects us, 1 (a little) to 3 (a lot). */
    strength: z.number().int().min(1).max(3),
  })
  .strict();

export const threatSchema = z
  .object({
    id: localId,
    description: text(1000),
    actorIds: z.array(localId).max(50),
    likelihood: level1to5,
    impact: level1to5,
    vulnerabilityIds: z.array(localId).max(50),
    capacityIds: z.array(localId).max(50),
  })
  .strict();

export const riskMapSchema = z
  .object({
    title: text(200),
    context: z.string().max(20000),
    assessedOn: isoDate,
    participants: z.array(text(100)).max(100).default([]),
    actors: z.array(actorSchema).max(200),
    threats: z.array(threatSchema).max(200),
    vulnerabilities: z.array(vulnerabilitySchema).max(200),
    capacities: z.array(capacitySchema).max(200),
  })
  .strict()
  .superRefine((map, ctx) => {
    const actors = uniqueIds(map.actors, ctx, 'actors');
    const vulnerabilities = uniqueIds(map.vulnerabilities, ctx, 'vulnerabilities');
    const capacities = uniqueIds(map.capacities, ctx, 'capacities');
    uniqueIds(map.threats, ctx, 'threats');
    map.threats.forEach((threat, i) => {
      checkRefs(threat.actorIds, actors, ctx, ['threats', i, 'actorIds'], 'actor');
      checkRefs(threat.vulnerabilityIds, vulnerabilities, ctx, ['threats', i, 'vulnerabilityIds'], 'vulnerability');
      checkRefs(threat.capacityIds, capacities, ctx, ['threats', i, 'capacityIds'], 'capacity');
    });
  });

export type RiskMap = z.infer<typeof riskMapSchema>;
export type Threat = z.infer<typeof threatSchema>;
