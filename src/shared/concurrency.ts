/**
 * Runs fn over items with at most `limit` in flight. The scheduler's steps spend their time waiting on
 * database round trips, so a few in parallel cut a burst of missed check-ins from minutes to seconds.
 */
export async function forEachConcurrently<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next]!;
      next += 1;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
}
