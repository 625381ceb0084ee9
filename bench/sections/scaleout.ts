import type { BenchContext } from '../lib/context';

export async function benchScaleOut(ctx: BenchContext): Promise<void> {
  ctx.log('not yet');
}
