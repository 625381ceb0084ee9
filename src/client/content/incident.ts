import { z } from 'zod';
import { text } from './common';

/** One entry in the team's incident log: what happened, when, where (optional), who was involved, what follows. */
export const incidentSchema = z
  .object({
    occurredAt: z.iso.datetime({ offset: true }),
    place: z.string().trim().max(300).optional(),
    description: text(10000),
    actors: z.array(text(200)).max(50).default([]),
    followUp: z.string().max(5000).optional(),
  })
  .strict();

export type Incident = z.infer<typeof incidentSchema>;
export type IncidentInput = z.input<typeof incidentSchema>;
