import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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
