import { z } from 'zod';

export const text = (max: number) => z.string().trim().min(1).max(max);
export const localId = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'ids are 1-40 letters, digits, _ or -');
export const isoDate = z.iso.date().describe('YYYY-MM-DD');
export const level1to5 = z.number().int().min(1).max(5);

/** Every id in a list is unique; every reference points at one. */
export function uniqueIds(items: { id: string }[], ctx: z.RefinementCtx, path: string): Set<string> {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: [path, index, 'id'], message: `duplicate id "${item.id}"` });
    seen.add(item.id);
  });
  return seen;
}

export function checkRefs(refs: string[], known: Set<string>, ctx: z.RefinementCtx, path: (string | number)[], what: string): void {
  refs.forEach((ref, i) => {
    if (!known.has(ref)) ctx.addIssue({ code: 'custom', path: [...path, i], message: `no ${what} with id "${ref}"` });
  });
}
