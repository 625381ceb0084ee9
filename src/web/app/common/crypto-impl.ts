import { MeshworkClient } from '../../../client';

export { MeshworkClient };
export { InvalidRecoveryWordsError } from '../../../client';
// Re-exported for screens that load after unlock, so these modules stay in this lazily loaded chunk
// instead of being hoisted into the first screen's bundle.
export { computeRiskSummary, riskLevel, type RiskLevel, type RiskMap } from '../../../client/content';
export { wordlist } from '@scure/bip39/wordlists/english.js';

let client: Promise<MeshworkClient> | undefined;

/** One client per page, talking to the origin that served it (the CSP allows no other). */
export function connect(): Promise<MeshworkClient> {
  // fetch must be called on window: the library keeps a reference, and a detached window.fetch throws "Illegal invocation".
  client ??= MeshworkClient.connect({ baseUrl: window.location.origin, fetch: (input, init) => window.fetch(input, init) });
  return client;
}
