import autocannon, { type Client, type Request } from 'autocannon';
import { percentile } from './context';

export interface LoadResult {
  /** 2xx responses per second, counted in the measuring window */
  throughput: number;
  /** latency percentiles of the 2xx responses in the window, ms */
  p50: number;
  p99: number;
  max: number;
  ok: number;
  non2xx: number;
  errors: number;
  /** seconds of measuring window (all rounds together) */
  seconds: number;
  statusCodes: Record<string, number>;
}

export interface LoadSpec {
  /** several URLs: connections are spread over them round-robin */
  urls: string[];
  connections: number;
  /** seconds of load; ignored when amount is set */
  duration?: number;
  /** total requests; the run ends when they have all been answered (and every answer counts) */
  amount?: number;
  /** the requests connection number i repeats (called once per connection) */
  requestsFor?: (connection: number) => Request[];
  /** one request rebuilt before each send (e.g. the next of a list of distinct uploads) */
  next?: () => Request;
  timeoutSeconds?: number;
  /** duration runs only: answers in the first seconds (connections opening, JIT) are not counted */
  warmupSeconds?: number;
}

interface Raw {
  okLatencies: number[];
  statusCodes: Record<string, number>;
  errors: number;
  seconds: number;
}

/**
 * autocannon as a library. Throughput is the completion rate of 2xx answers inside a window that skips
 * the warm-up and ignores requests still in flight at the end (for slow routes, such as a check-in with
 * two PIN hashes, those would otherwise bias short runs), so errors never look like speed.
 */
async function runOnce(spec: LoadSpec): Promise<Raw> {
  let connection = 0;
  const setupClient = spec.requestsFor
    ? (client: Client) => {
        client.setRequests(spec.requestsFor!(connection++));
      }
    : undefined;
  const requests: Request[] | undefined = spec.next ? [{ setupRequest: (request: Request) => ({ ...request, ...spec.next!() }) }] : undefined;
  const byAmount = spec.amount !== undefined;
  const warmupMs = byAmount ? 0 : (spec.warmupSeconds ?? 1) * 1000;
  const raw: Raw = { okLatencies: [], statusCodes: {}, errors: 0, seconds: 0 };
  const started = performance.now();
  let lastAnswer = started;
  const instance = autocannon({
    url: spec.urls.length === 1 ? spec.urls[0]! : spec.urls,
    connections: spec.connections,
    ...(byAmount ? { amount: spec.amount } : { duration: spec.duration ?? 10 }),
    timeout: spec.timeoutSeconds ?? 30,
    setupClient,
    requests,
  } as autocannon.Options) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>;
  instance.on('response', (_client: Client, statusCode: number, _bytes: number, responseTime: number) => {
    const now = performance.now();
    if (now - started < warmupMs) return;
    lastAnswer = now;
    raw.statusCodes[statusCode] = (raw.statusCodes[statusCode] ?? 0) + 1;
    if (statusCode >= 200 && statusCode < 300) raw.okLatencies.push(responseTime);
  });
  const result = await instance;
  raw.errors = result.errors;
  raw.seconds = byAmount ? (lastAnswer - started) / 1000 : (result.finish.getTime() - result.start.getTime() - warmupMs) / 1000;
  return raw;
}

function summarise(raws: Raw[]): LoadResult {
  const latencies = raws.flatMap((r) => r.okLatencies);
  const statusCodes: Record<string, number> = {};
  for (const r of raws) for (const [code, n] of Object.entries(r.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  const seconds = raws.reduce((sum, r) => sum + r.seconds, 0);
  const total = Object.values(statusCodes).reduce((a, b) => a + b, 0);
  return {
    throughput: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.length ? Math.max(...latencies) : NaN,
    ok: latencies.length,
    non2xx: total - latencies.length,
    errors: raws.reduce((sum, r) => sum + r.errors, 0),
    seconds,
    statusCodes,
  };
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return summarise([await runOnce(spec)]);
}

/**
 * Several loads taking turns (A B C A B C ...), `rounds` times, each for its share of `duration`: the
 * machine's other work then weighs on every contender alike instead of on whichever ran last.
 */
export async function runInterleaved<K extends string>(specs: Record<K, LoadSpec>, duration: number, rounds: number): Promise<Record<K, LoadResult>> {
  const perRound = Math.max(3, Math.round(duration / rounds));
  const raws = {} as Record<K, Raw[]>;
  for (let round = 0; round < rounds; round += 1) {
    for (const key of Object.keys(specs) as K[]) {
      (raws[key] ??= []).push(await runOnce({ ...specs[key], duration: perRound }));
    }
  }
  const results = {} as Record<K, LoadResult>;
  for (const key of Object.keys(specs) as K[]) results[key] = summarise(raws[key]);
  return results;
}

export function describeLoad(r: LoadResult): string {
  const codes = Object.entries(r.statusCodes).map(([code, n]) => `${code}×${n}`).join(' ');
  const ms = (n: number) => `${Number.isFinite(n) ? Math.round(n) : '—'} ms`;
  return `${r.ok} ok in ${r.seconds.toFixed(1)} s measured = ${r.throughput.toFixed(1)}/s (${codes || 'no answers'}${r.errors ? `, ${r.errors} connection errors` : ''}), p50 ${ms(r.p50)}, p99 ${ms(r.p99)}, max ${ms(r.max)}`;
}
