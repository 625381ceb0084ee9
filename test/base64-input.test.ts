import assert from 'node:assert/strict';
import request from 'supertest';
import { MeshworkClient } from '../src/client';
import { isCanonicalBase64url } from '../src/shared/base64url';
import { startTestService, type TestService } from './support/service';
import { countAll } from './support/raw-database';
import { signUp, teamOf } from './support/teams';

interface Captured {
  method: string;
  path: string;
  body: unknown;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Every string in a body that looks like base64url, with its path. */
function base64Leaves(value: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  if (typeof value === 'string') return /^[A-Za-z0-9_-]{16,}$/.test(value) && isCanonicalBase64url(value) && !/^[a-f0-9]{24}$/.test(value) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => base64Leaves(v, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => base64Leaves(v, [...path, k]));
  return [];
}

/** The same length (so length checks pass) but not canonical: stray low bits, or one character too many. */
function malformed(value: string): string {
  const rest = value.length % 4;
  if (rest === 0) return `${value}A`;
  const last = ALPHABET.indexOf(value.at(-1)!);
  return value.slice(0, -1) + ALPHABET[last | 1];
}

function withLeaf(body: unknown, path: Array<string | number>, replace: (old: string) => string): unknown {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const leaf = path.at(-1)!;
  node[leaf] = replace(node[leaf] as string);
  return copy;
}

describe('Malformed base64 in any base64 field gets 400 and changes nothing', function () {
  let service: TestService;
  const captured: Captured[] = [];
  let token = '';

  before(async function () {
    service = await startTestService();
    const capturing = await MeshworkClient.connect({
      baseUrl: service.baseUrl,
      fetch: async (url, init) => {
        const path = new URL(String(url)).pathname;
        if (init?.method && init.method !== 'GET' && init.body) captured.push({ method: init.method, path, body: JSON.parse(init.body) });
        return fetch(url, init);
      },
    });
    const client = await MeshworkClient.connect({ baseUrl: service.baseUrl });
    const ana = await signUp(capturing, 'base64-ana');
    const bea = await signUp(client, 'base64-bea');
    token = ana.account.token;
    const team = await teamOf('Red', ana, [bea]);
    await team.vault.create('incident', { occurredAt: '2025-02-01T09:00:00Z', place: 'market', description: 'incident', actors: ['unknown'] });
  });
  after(async () => service.close());

  it('reproduces the review: a 43-character prevHash with stray trailing bits is refused by the checker', () => {
    assert.equal(isCanonicalBase64url('E63oM_dN-y50K67R0pd2sQAgWjqLyd5C0w0zj50a-EF'), false);
    assert.equal(isCanonicalBase64url('E63oM_dN-y50K67R0pd2sQAgWjqLyd5C0w0zj50a-EA'), true);
    assert.equal(isCanonicalBase64url('AAAAA'), false);
  });

  it('answers 400 to every base64 field of every captured write (registration, team create and log, vault), made non-canonical', async () => {
    const writes = captured.filter((c) => ['/v1/accounts', '/v1/teams'].includes(c.path) || /\/log$|\/documents/.test(c.path));
    assert.ok(writes.some((w) => w.path.endsWith('/log')) && writes.some((w) => w.path.includes('/documents')) && writes.some((w) => w.path === '/v1/teams'));
    let probes = 0;
    for (const write of writes) {
      for (const path of base64Leaves(write.body)) {
        const body = withLeaf(write.body, path, malformed);
        const before = await countAll();
        const req = request(service.app)[write.method.toLowerCase() as 'post' | 'put'](write.path).set('content-type', 'application/json');
        if (write.path !== '/v1/accounts') req.set('authorization', `Bearer ${token}`);
        const res = await req.send(JSON.stringify(body));
        const where = `${write.method} ${write.path} ${path.join('.')}`;
        assert.ok(res.status >= 400 && res.status < 500 && res.status !== 404, `${where}: ${res.status} ${JSON.stringify(res.body)}`);
        assert.equal(res.status, 400, where);
        assert.deepEqual(await countAll(), before, where);
        probes += 1;
      }
    }
    assert.ok(probes >= 20, `probed ${probes} fields`);
  });

  it('answers 400, not 500, to the review’s prevHash on POST /v1/teams/{teamId}/log', async () => {
    const append = captured.find((c) => c.path.endsWith('/log'))!;
    const body = structuredClone(append.body) as { entry: { prevHash: string } };
    body.entry.prevHash = 'E63oM_dN-y50K67R0pd2sQAgWjqLyd5C0w0zj50a-EF';
    const res = await request(service.app).post(append.path).set('authorization', `Bearer ${token}`).send(body);
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'validation_failed');
  });
});
