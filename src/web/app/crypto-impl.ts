import { MeshworkClient } from '../../client';

export { MeshworkClient };
export { InvalidRecoveryWordsError } from '../../client';

let client: Promise<MeshworkClient> | undefined;

/** One client per page, talking to the origin that served it (the CSP allows no other). */
export function connect(): Promise<MeshworkClient> {
  // fetch must be called on window: the library keeps a reference, and a detached window.fetch throws "Illegal invocation".
  client ??= MeshworkClient.connect({ baseUrl: window.location.origin, fetch: (input, init) => window.fetch(input, init) });
  return client;
}
