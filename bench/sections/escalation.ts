import type { BenchContext } from '../lib/context';

export async function benchEscalation(ctx: BenchContext): Promise<void> {
  ctx.log('not yet');
}
