import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Request, RequestHandler, Response } from 'express';
import type { Config } from '../config/schema';
import { NEUTRAL_ICON_URL } from './app/neutral-icon';

/**
 * The page's Content-Security-Policy. Only this origin, for everything: no CDN, no remote fonts, no
 * analytics, no inline script or style. 'wasm-unsafe-eval' lets libsodium compile its WebAssembly
 * (it allows WebAssembly compilation only, not eval of JavaScript).
 */
export const WEB_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Powerful features the app never uses; denied so an injected script could not use them either. */
const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()';

export const DEFAULT_WEB_DIST_DIR = path.resolve(__dirname, 'dist');

interface Asset {
  type: string;
  raw: Buffer;
  gzip: Buffer;
  br?: Buffer;
}

interface Bundle {
  builtAt: number;
  indexHtml: Asset;
  assets: Map<string, Asset>;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

export interface WebAppOptions {
  config: Pick<Config, 'WEB_QUICK_EXIT_URL' | 'WEB_AUTO_LOCK_MINUTES' | 'TWILIO_FROM_NUMBER'> & Partial<Pick<Config, 'WEB_DISGUISE_NAME'>>;
  /** Where `npm run build` wrote the app (src/web/dist). */
  distDir?: string;
}

/**
 * Serves the built web app from memory (it is small): the page at `/`, hashed files under `/assets/`,
 * and `POST /web/forget-device`. Pass the list as `createApp({ before })`. Everything else falls through
 * to the API.
 */
export function webAppHandlers(options: WebAppOptions): RequestHandler[] {
  const distDir = options.distDir ?? DEFAULT_WEB_DIST_DIR;
  let bundle: Bundle | null = null;

  const currentBundle = (): Bundle | null => {
    const indexPath = path.join(distDir, 'index.html');
    if (!existsSync(indexPath)) return null;
    // A rebuild while the service runs (development) is picked up on the next page load.
    const builtAt = statSync(indexPath).mtimeMs;
    if (!bundle || bundle.builtAt !== builtAt) bundle = loadBundle(distDir, builtAt, options.config);
    return bundle;
  };

  const page: RequestHandler = (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path !== '/' && req.path !== '/index.html') return next();
    const loaded = currentBundle();
    setPageSecurityHeaders(res);
    if (!loaded) {
      res.status(503).type('text/plain').send('The web app is not built yet. Run `npm run build` (npm start does it for you).\n');
      return;
    }
    // The page itself is never cached: it carries the config and is the entry to everything else.
    res.setHeader('Cache-Control', 'no-store');
    sendAsset(req, res, loaded.indexHtml);
  };

  const assets: RequestHandler = (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (!req.path.startsWith('/assets/')) return next();
    const asset = currentBundle()?.assets.get(req.path);
    setPageSecurityHeaders(res);
    if (!asset) {
      res.status(404).type('text/plain').send('Not found\n');
      return;
    }
    // Not cached either: a year-long copy of index-*.js / crypto-impl-*.js in the disk cache (and the
    // compiled-script cache keyed to it) tells whoever searches the phone that Meshwork was used, and
    // survives quick exit. The cost is a full download per visit; README gives the measured trade-off.
    res.setHeader('Cache-Control', 'no-store');
    sendAsset(req, res, asset);
  };

  const forgetDevice: RequestHandler = (req, res, next) => {
    if (req.method !== 'POST' || req.path !== '/web/forget-device') return next();
    // The browser drops this origin's cache and storage: no copy of the app or trace of use stays behind.
    res.setHeader('Clear-Site-Data', '"cache", "storage"');
    res.status(204).end();
  };

  return [page, assets, forgetDevice];
}

function setPageSecurityHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', WEB_CONTENT_SECURITY_POLICY);
  res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
}

function sendAsset(req: Request, res: Response, asset: Asset): void {
  const accepted = String(req.headers['accept-encoding'] ?? '');
  res.setHeader('Content-Type', asset.type);
  res.setHeader('Vary', 'Accept-Encoding');
  let body = asset.raw;
  if (asset.br && /\bbr\b/.test(accepted)) {
    res.setHeader('Content-Encoding', 'br');
    body = asset.br;
  } else if (/\bgzip\b/.test(accepted)) {
    res.setHeader('Content-Encoding', 'gzip');
    body = asset.gzip;
  }
  res.setHeader('Content-Length', String(body.length));
  res.status(200).end(req.method === 'HEAD' ? undefined : body);
}

function loadBundle(distDir: string, builtAt: number, config: WebAppOptions['config']): Bundle {
  const html = readFileSync(path.join(distDir, 'index.html'), 'utf8')
    .replace('__MESHWORK_QUICK_EXIT_URL__', escapeAttribute(config.WEB_QUICK_EXIT_URL))
    .replace('__MESHWORK_AUTO_LOCK_MINUTES__', String(config.WEB_AUTO_LOCK_MINUTES))
    // The number to text a PIN to when "I'm safe" cannot reach the service; in the page so it works offline.
    .replace('__MESHWORK_SMS_NUMBER__', escapeAttribute(config.TWILIO_FROM_NUMBER));
  const disguised = disguise(html, config.WEB_DISGUISE_NAME ?? '');
  const assets = new Map<string, Asset>();
  const assetsDir = path.join(distDir, 'assets');
  if (existsSync(assetsDir)) {
    for (const name of readdirSync(assetsDir)) {
      if (/\.(gz|br)$/.test(name)) continue;
      const file = path.join(assetsDir, name);
      const raw = readFileSync(file);
      assets.set(`/assets/${name}`, {
        type: TYPES[path.extname(name)] ?? 'application/octet-stream',
        raw,
        gzip: existsSync(`${file}.gz`) ? readFileSync(`${file}.gz`) : gzipSync(raw),
        br: existsSync(`${file}.br`) ? readFileSync(`${file}.br`) : undefined,
      });
    }
  }
  const rawHtml = Buffer.from(disguised);
  return { builtAt, indexHtml: { type: TYPES['.html']!, raw: rawHtml, gzip: gzipSync(rawHtml) }, assets };
}

/**
 * With WEB_DISGUISE_NAME set, the page a phone shows, lists in its tabs and history and keeps as a bookmark is
 * titled with that name and carries a neutral icon (as a data: URL, so no asset name tells either). What it does
 * not hide is listed in SECURITY.md.
 */
function disguise(html: string, name: string): string {
  if (!name) return html.replace('__MESHWORK_DISGUISE_NAME__', '');
  return html
    .replace('__MESHWORK_DISGUISE_NAME__', escapeAttribute(name))
    .replace(/<title>[^<]*<\/title>/, `<title>${escapeAttribute(name)}</title>`)
    .replace(/<link rel="icon" href="[^"]*"/, `<link rel="icon" href="${NEUTRAL_ICON_URL}"`)
    .replace(/<noscript>[^<]*<\/noscript>/, `<noscript>${escapeAttribute(name)} needs JavaScript.</noscript>`);
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
