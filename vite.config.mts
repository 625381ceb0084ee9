import { writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import preact from '@preact/preset-vite';
import { defineConfig, type Plugin } from 'vite';

const webRoot = path.resolve(import.meta.dirname, 'src/web/app');
const outDir = path.resolve(import.meta.dirname, 'src/web/dist');

/**
 * Writes .gz and .br beside every text asset so Express (which has no compression middleware) can send
 * the smallest body a cheap phone on a slow network will accept, without compressing on each request.
 */
function precompress(): Plugin {
  return {
    name: 'meshwork-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      for (const fileName of Object.keys(bundle)) {
        if (!/\.(js|mjs|css|html|svg|json)$/.test(fileName)) continue;
        const file = path.join(options.dir ?? outDir, fileName);
        const raw = readFileSync(file);
        writeFileSync(`${file}.gz`, gzipSync(raw, { level: 9 }));
        writeFileSync(`${file}.br`, brotliCompressSync(raw, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 10 } }));
      }
    },
  };
}

export default defineConfig({
  root: webRoot,
  base: '/',
  publicDir: false,
  plugins: [preact({ prerender: { enabled: false } }), precompress()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    // Everything is a same-origin file: no inline data: scripts or styles the CSP would have to allow.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1500,
    reportCompressedSize: true,
  },
});
