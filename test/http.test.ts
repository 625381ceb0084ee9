import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { ConfigError, loadConfig } from '../src/config/load';
import { startTestService, type TestService } from './support/service';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

function registeredRoutes(app: Express): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) found.push(`${method.toUpperCase()} ${layer.route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return found.sort();
}

describe('HTTP foundation', function () {
  let service: TestService;
  before(async () => {
    service = await startTestService();
  });
  after(async () => service?.close());

  it('answers liveness and readiness', async () => {
    assert.deepEqual((await request(service.app).get('/healthz').expect(200)).body, { status: 'ok' });
    assert.deepEqual((await request(service.app).get('/readyz').expect(200)).body, { status: 'ready' });
  });

  it('answers an unknown route with a JSON 404', async () => {
    const res = await request(service.app).get('/v1/nothing-here').expect(404);
    assert.equal(res.body.error.code, 'route_not_found');
    assert.match(res.headers['content-type'] ?? '', /application\/json/);
  });

  it('documents every registered route in the OpenAPI document, and nothing more', async () => {
    const doc = (await request(service.app).get('/openapi.json').expect(200)).body as { openapi: string; paths: Record<string, Record<string, unknown>> };
    assert.equal(doc.openapi, '3.1.0');
    const documented = Object.entries(doc.paths)
      .flatMap(([p, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${p}`))
      .sort();
    assert.deepEqual(documented, registeredRoutes(service.app));
    assert.ok(documented.includes('POST /v1/sessions'));
  });

  it('names in the OpenAPI document every error code the service code throws, and no code it never answers', async () => {
    const doc = (await request(service.app).get('/openapi.json').expect(200)).body as { info: { description: string } };
    const listed = new Set(/Error codes: ([a-z_, ]+)\./.exec(doc.info.description)?.[1]?.split(', ') ?? []);
    const thrown = new Set<string>();
    const serverFolders = ['accounts', 'alerts', 'checkins', 'contacts', 'http', 'shared', 'sms', 'teams', 'vault'];
    for (const folder of serverFolders) {
      for (const file of readdirSync(path.join('src', folder), { recursive: true, encoding: 'utf8' })) {
        if (!file.endsWith('.ts') || file.endsWith('.spec.ts')) continue;
        const source = readFileSync(path.join('src', folder, file), 'utf8');
        for (const m of source.matchAll(/new AppError\([\w.]+, '([a-z_]+)'|errors\.(?:badRequest|forbidden|conflict)\('([a-z_]+)'|code: '([a-z_]+)', message/g)) thrown.add((m[1] ?? m[2] ?? m[3])!);
      }
    }
    assert.ok(thrown.size > 30, `found ${thrown.size} codes`);
    for (const code of thrown) assert.ok(listed.has(code), `${code} is thrown but not documented`);
    for (const code of listed) assert.ok(thrown.has(code), `${code} is documented but never thrown`);
  });

  it('serves only patterns that compile as JSON Schema (ECMA-262, Unicode) and accept the values the API takes', async () => {
    const doc = (await request(service.app).get('/openapi.json').expect(200)).body as unknown;
    const patterns: Array<{ where: string; pattern: string; examples: unknown[] }> = [];
    const visit = (node: unknown, where: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${where}[${i}]`));
      if (!node || typeof node !== 'object') return;
      const record = node as Record<string, unknown>;
      if (typeof record.pattern === 'string') patterns.push({ where, pattern: record.pattern, examples: [record.example, ...((record.examples as unknown[]) ?? [])].filter((e) => typeof e === 'string') });
      for (const [key, value] of Object.entries(record)) visit(value, `${where}.${key}`);
    };
    visit(doc, '$');
    assert.ok(patterns.length > 20, `found ${patterns.length} patterns`);
    for (const { where, pattern, examples } of patterns) {
      assert.doesNotThrow(() => new RegExp(pattern, 'u'), `${where}: ${pattern}`);
      assert.doesNotMatch(pattern, /\/[a-z]+$/, `${where} carries regex flags: ${pattern}`);
      for (const example of examples) assert.match(example as string, new RegExp(pattern, 'u'), `${where} example`);
    }
    const paths = (doc as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: Record<string, { pattern?: string }> } }> } }>> }).paths;
    const displayName = paths['/v1/check-in-profile']!.put!.requestBody!.content['application/json']!.schema.properties!.displayName!.pattern!;
    const served = new RegExp(displayName, 'u');
    for (const ok of ['Ana', 'Ana María Ñúñez', '李娜', 'Ana 🌸']) assert.match(ok, served, ok);
    for (const bad of ['Ana\u0007', 'Ana\u200bB', 'line\u2028break', 'tab\there']) assert.doesNotMatch(bad, served, JSON.stringify(bad));
  });

  it('gives each response a request id and echoes a safe one from the caller', async () => {
    const generated = await request(service.app).get('/healthz');
    assert.match(generated.headers['x-request-id'] ?? '', /^[0-9a-f-]{36}$/);
    const echoed = await request(service.app).get('/healthz').set('x-request-id', 'client-req-12345');
    assert.equal(echoed.headers['x-request-id'], 'client-req-12345');
    const forged = 'forged"} {"level":60,"msg":"injected';
    const unsafe = await request(service.app).get('/healthz').set('x-request-id', forged);
    assert.match(unsafe.headers['x-request-id'] ?? '', /^[0-9a-f-]{36}$/);
  });

  it('sends security headers and forbids caching', async () => {
    const res = await request(service.app).get('/healthz');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.match(res.headers['content-security-policy'] ?? '', /default-src 'none'/);
    assert.equal(res.headers['x-powered-by'], undefined);
  });
});

describe('Configuration', function () {
  it('stops with a message naming the key when a value is bad', () => {
    assert.throws(() => loadConfig({ PORT: 'eighty' }), (e: unknown) => e instanceof ConfigError && /PORT/.test(e.message));
    assert.throws(() => loadConfig({ MONGODB_URI: 'postgres://x' }), (e: unknown) => e instanceof ConfigError && /MONGODB_URI/.test(e.message));
    assert.throws(() => loadConfig({ SERVER_SECRET: 'c2hvcnQ=' }), (e: unknown) => e instanceof ConfigError && /SERVER_SECRET/.test(e.message));
  });

  it('reads overrides from the environment', () => {
    const config = loadConfig({ PORT: '8081', LOG_LEVEL: 'warn' });
    assert.equal(config.PORT, 8081);
    assert.equal(config.LOG_LEVEL, 'warn');
  });

  it('lists every setting in .env.example', () => {
    const root = path.resolve(__dirname, '..');
    const example = readFileSync(path.join(root, '.env.example'), 'utf8');
    const defaults = JSON.parse(readFileSync(path.join(root, 'config', 'default.json'), 'utf8')) as Record<string, unknown>;
    for (const key of Object.keys(defaults)) assert.match(example, new RegExp(`^#? ?${key}=`, 'm'), `${key} missing from .env.example`);
  });
});
