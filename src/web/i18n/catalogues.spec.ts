import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const dir = __dirname;
const load = (file: string) => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Record<string, string>;
const placeholders = (message: string) => [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('Web app message catalogues', () => {
  const english = load('en.json');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

  it('has English, Spanish, Portuguese and French', () => {
    assert.deepEqual(files.sort(), ['en.json', 'es.json', 'fr.json', 'pt.json']);
  });

  for (const file of files.filter((f) => f !== 'en.json')) {
    it(`${file} has every key of en.json, no other, each non-empty with the same placeholders`, () => {
      const catalogue = load(file);
      assert.deepEqual(Object.keys(catalogue).sort(), Object.keys(english).sort());
      for (const [key, message] of Object.entries(catalogue)) {
        assert.ok(message.trim().length > 0, `${file} ${key} is empty`);
        assert.deepEqual(placeholders(message), placeholders(english[key]!), `${file} ${key} placeholders`);
      }
    });
  }

  it('every key the app uses exists in en.json', () => {
    const appDir = path.resolve(dir, '../app');
    const used = new Set<string>();
    const walk = (d: string) => {
      for (const entry of readdirSync(d, { withFileTypes: true })) {
        const full = path.join(d, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.tsx?$/.test(entry.name)) for (const m of readFileSync(full, 'utf8').matchAll(/\bt\('([\w.]+)'/g)) used.add(m[1]!);
      }
    };
    walk(appDir);
    const missing = [...used].filter((key) => !(key in english));
    assert.deepEqual(missing, []);
  });
});
