/**
 * One-shot measurement for README: how long the web app takes to load on a throttled link when its
 * hashed scripts and styles are served `no-store` (as shipped, so the phone keeps no copy) and when
 * they were cached for a year (as before). Serves the built app (src/web/dist) with the real
 * handlers, drives Debian's Chromium through CDP network emulation, and prints a Markdown table.
 *
 *   npx tsx scripts/measure-web-load.ts [runs]
 *
 * "first visit" is a fresh browser context; "repeat visit" is a new tab in the same context, which
 * is what a browser cache can speed up. Figures are medians of `runs` (default 5).
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { chromium, type BrowserContext } from 'playwright-core';
import { buildWebAppIfStale } from '../src/web/build-if-stale';
import { webAppHandlers } from '../src/web/serve';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RUNS = Number(process.argv[2] ?? 5);

/** Bytes per second and round-trip latency, as Chrome DevTools' presets define them. */
const LINKS = [
  { name: 'slow 3G (400 kbit/s, 400 ms)', download: (400 * 1024) / 8, upload: (400 * 1024) / 8, latency: 400 },
  { name: '3G (1.6 Mbit/s, 150 ms)', download: (1600 * 1024) / 8, upload: (750 * 1024) / 8, latency: 150 },
];

async function serve(cacheAssets: boolean): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  if (cacheAssets) {
    // The former header, for comparison only: the shipped handler says no-store.
    app.use((req, res, next) => {
      if (req.path.startsWith('/assets/')) {
        const set = res.setHeader.bind(res);
        res.setHeader = (name: string, value: number | string | readonly string[]) => set(name, name.toLowerCase() === 'cache-control' ? 'private, max-age=31536000, immutable' : value);
      }
      next();
    });
  }
  for (const handler of webAppHandlers({ config: { WEB_QUICK_EXIT_URL: 'https://www.wikipedia.org/', WEB_AUTO_LOCK_MINUTES: 5, TWILIO_FROM_NUMBER: '' } })) app.use(handler);
  app.use((_req, res) => res.status(404).json({ error: { code: 'not_found', message: 'Not found.' } }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

interface Visit {
  /** Until the sign-in form is on screen. */
  screenMs: number;
  /** Until the network is quiet (the crypto module included). */
  idleMs: number;
  bytes: number;
}

async function visit(context: BrowserContext, url: string, link: (typeof LINKS)[number]): Promise<Visit> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: link.latency, downloadThroughput: link.download, uploadThroughput: link.upload });
  let bytes = 0;
  cdp.on('Network.loadingFinished', (event: { encodedDataLength: number }) => {
    bytes += event.encodedDataLength;
  });
  const started = performance.now();
  await page.goto(url, { waitUntil: 'commit' });
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor({ timeout: 120_000 });
  const screenMs = performance.now() - started;
  await page.waitForLoadState('networkidle');
  const idleMs = performance.now() - started;
  await page.close();
  return { screenMs, idleMs, bytes };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function main(): Promise<void> {
  buildWebAppIfStale({ quiet: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  const rows: string[] = [];
  for (const link of LINKS) {
    for (const cacheAssets of [false, true]) {
      const server = await serve(cacheAssets);
      const first: Visit[] = [];
      const repeat: Visit[] = [];
      for (let run = 0; run < RUNS; run += 1) {
        const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
        first.push(await visit(context, server.url, link));
        repeat.push(await visit(context, server.url, link));
        await context.close();
      }
      await server.close();
      const label = cacheAssets ? 'cached a year (before)' : 'no-store (now)';
      const cell = (visits: Visit[]) => `${(median(visits.map((v) => v.screenMs)) / 1000).toFixed(2)} s / ${(median(visits.map((v) => v.idleMs)) / 1000).toFixed(2)} s, ${Math.round(median(visits.map((v) => v.bytes)) / 1024)} KiB`;
      rows.push(`| ${link.name} | ${label} | ${cell(first)} | ${cell(repeat)} |`);
    }
  }
  await browser.close();
  console.log(`Medians of ${RUNS} runs; each cell: sign-in form on screen / network quiet, bytes transferred.\n`);
  console.log('| link | scripts and styles | first visit | repeat visit |');
  console.log('|---|---|---|---|');
  for (const row of rows) console.log(row);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
