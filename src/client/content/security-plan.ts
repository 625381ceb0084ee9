import { z } from 'zod';
import { isoDate, text } from './common';

/**
 * The team's security plan: a protocol per scenario (what we do beforehand, what we do when it happens),
 * who to call (by name: numbers live with the check-in contacts, not here), the urgent action plan,
 * and the Heart-Mind-Body well-being practices (JASS Southern Africa), with the date it must be reviewed.
 */
export const scenarioSchema = z.enum(['detention', 'raid', 'online-attack', 'travel', 'surveillance', 'threat-received', 'protest', 'sexual-violence', 'disappearance', 'other']);

export const protocolSchema = z
  .object({
    scenario: scenarioSchema,
    title: text(200),
    preventiveMeasures: z.array(text(1000)).max(100),
    steps: z.array(text(1000)).min(1).max(100),
    /** Who leads this protocol, by name. */
    responsible: z.array(text(100)).max(20).default([]),
  })
  .strict();

export const emergencyContactSchema = z
  .object({
    name: text(100),
    role: z.string().max(200).optional(),
    /** When and how to reach them, in the team's own words (no need to put numbers here). */
    notes: z.string().max(1000).optional(),
  })
  .strict();

export const securityPlanSchema = z
  .object({
    title: text(200),
    reviewOn: isoDate,
    protocols: z.array(protocolSchema).max(50),
    emergencyContacts: z.array(emergencyContactSchema).max(100),
    urgentActionPlan: z
      .object({
        trigger: text(1000),
        steps: z.array(text(1000)).min(1).max(100),
        /** Emergency contacts to alert, by name (must be listed above). */
        alert: z.array(text(100)).max(100),
      })
      .strict(),
    wellbeing: z
      .object({
        heart: z.array(text(1000)).max(50),
        mind: z.array(text(1000)).max(50),
        body: z.array(text(1000)).max(50),
      })
      .strict(),
  })
  .strict()
  .superRefine((plan, ctx) => {
    const names = new Set(plan.emergencyContacts.map((c) => c.name));
    plan.urgentActionPlan.alert.forEach((name, i) => {
      if (!names.has(name)) ctx.addIssue({ code: 'custom', path: ['urgentActionPlan', 'alert', i], message: `"${name}" is not among the emergency contacts` });
    });
  });

export type SecurityPlan = z.infer<typeof securityPlanSchema>;
