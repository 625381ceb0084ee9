import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildWebAppIfStale } from '../../../src/web/build-if-stale';
import type { Config } from '../../../src/config/schema';
import { ManualClock } from '../../../src/shared/clock';
import { FakeTwilio, TEST_PUBLIC_URL, twilioConfig } from '../../support/fake-twilio';
import { startTestService, type TestService, type TestServiceOptions } from '../../support/service';

/** Debian's Chromium; a test tool's own browser download does not work on these machines. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS_DIR = path.resolve(__dirname, '../../../test-artifacts');
/** quick exit goes here in tests; the route is answered inside the browser, nothing leaves the machine */
export const NEUTRAL_URL = 'https://neutral.example/';

let skipNoticePrinted = false;

/** Call from a `before` hook: skips the suite, printing one line for the whole run, when Chromium is absent. */
export function skipWithoutChromium(context: Mocha.Context): void {
  if (existsSync(CHROMIUM_PATH)) return;
  if (!skipNoticePrinted) {
    skipNoticePrinted = true;
    console.error(`  browser tests skipped: ${CHROMIUM_PATH} not found (apt-get install chromium; .ci/run installs it)`);
  }
  context.skip();
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // playwright gives each launch a fresh temporary profile (user-data-dir)
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** The test service with the built web app; builds it first when src/web/dist is missing or stale. */
export async function startWebService(overrides: Partial<Record<keyof Config, unknown>> = {}, options: TestServiceOptions = {}): Promise<TestService> {
  buildWebAppIfStale({ quiet: true });
  return startTestService({ WEB_QUICK_EXIT_URL: NEUTRAL_URL, ...overrides }, options);
}

export interface BrowserWorldOptions {
  /** Settings over the defaults (over the fake Twilio's with `sms`). */
  config?: Partial<Record<keyof Config, unknown>>;
  /** The service texts through the real twilio SDK to the fake Twilio, on a manual clock. */
  sms?: boolean;
}

/**
 * One browser file's set-up: the web service (built app) and Chromium, with the fake Twilio when `sms`. Call at
 * the top of a `describe`: it registers the `before`/`after` hooks (skipping the suite without Chromium), so its
 * parts exist from the `before` on and any `before` of the file that comes after it can use them.
 */
export function browserWorld(options: BrowserWorldOptions = {}) {
  const clock = new ManualClock(new Date());
  const fake = new FakeTwilio(clock);
  let started: { service: TestService; browser: Browser } | undefined;
  const parts = () => {
    if (!started) throw new Error('the browser world starts in a before hook');
    return started;
  };
  before(async function () {
    skipWithoutChromium(this);
    if (options.sms) await fake.start();
    const service = options.sms ? await startWebService({ ...twilioConfig, ...options.config }, { clock, smsSender: fake.sender(TEST_PUBLIC_URL) }) : await startWebService(options.config);
    started = { service, browser: await launchChromium() };
  });
  after(async () => {
    await started?.browser.close();
    await started?.service.close();
    if (options.sms) await fake.stop();
  });
  return {
    get service() {
      return parts().service;
    },
    get browser() {
      return parts().browser;
    },
    clock,
    fake,
    /** Where the fake Twilio posts the webhooks. */
    target: () => ({ baseUrl: parts().service.baseUrl, publicUrl: TEST_PUBLIC_URL }),
    tick: () => parts().service.services.scheduler.tick(),
  };
}

export interface Phone {
  context: BrowserContext;
  page: Page;
  /** console errors and uncaught exceptions, CSP violations included: every test expects none */
  problems: string[];
  /** every API answer of 400 or more (method, path, status): shown when a test fails, to say why */
  apiRefusals: string[];
}

/** A 360 x 740 touch phone in a fresh browser context (its own storage, like another person's device). */
export async function openPhone(browser: Browser, baseUrl: string, options: { locale?: string; timezoneId?: string } = {}): Promise<Phone> {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    locale: options.locale ?? 'en-GB',
    timezoneId: options.timezoneId ?? 'America/Mexico_City',
  });
  await context.route(`${NEUTRAL_URL}**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Neutral</title><p>A neutral page.</p>' }));
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    // Chromium logs every non-2xx fetch as "Failed to load resource"; those are checked by status below.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  // API answers such as 404 "no check-in profile yet" are part of the protocol; a missing page asset is not.
  const apiRefusals: string[] = [];
  page.on('response', (response) => {
    const { pathname } = new URL(response.url());
    if (response.status() >= 400 && !pathname.startsWith('/v1/')) problems.push(`HTTP ${response.status()} ${response.url()}`);
    if (response.status() >= 400 && pathname.startsWith('/v1/')) apiRefusals.push(`${response.status()} ${response.request().method()} ${pathname}`);
  });
  await page.goto(baseUrl);
  return { context, page, problems, apiRefusals };
}

/** What a phone showed when a test failed: its alerts, the API's refusals, page errors; and a screenshot. */
export async function describeFailure(name: string, phone: Phone): Promise<string> {
  const alerts = await phone.page.getByRole('alert').allInnerTexts().catch(() => []);
  await saveScreenshot(phone.page, `failed-${name}`).catch(() => undefined);
  return [
    `${name}: alerts on screen: ${JSON.stringify(alerts)}`,
    `${name}: API refusals: ${JSON.stringify(phone.apiRefusals.slice(-10))}`,
    `${name}: page problems: ${JSON.stringify(phone.problems.slice(-10))}`,
  ].join('\n');
}

export async function saveScreenshot(page: Page, name: string, options: { fromTop?: boolean } = {}): Promise<void> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  if (options.fromTop) await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`), fullPage: false });
}

/** Argon2id (64 MiB) runs in the page: a few seconds on a slow machine. */
export const CRYPTO_TIMEOUT_MS = 60_000;

export async function registerInBrowser(page: Page, handle: string, password: string): Promise<string[]> {
  await page.getByRole('button', { name: 'Create an account' }).click();
  await page.getByLabel('Handle (your pseudonym)').fill(handle);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Repeat the password').fill(password);
  await page.getByRole('button', { name: 'Create my account' }).click();
  const list = page.getByTestId('recovery-words');
  await list.waitFor({ timeout: CRYPTO_TIMEOUT_MS });
  const words = await list.locator('.word').allTextContents();
  await page.getByLabel('I wrote the 24 words on paper').check();
  const asked = page.getByLabel(/To confirm, type word number/);
  const n = Number((await asked.getAttribute('name'))?.replace('word-', ''));
  await asked.fill(words[n - 1] ?? '');
  await page.getByRole('button', { name: 'I have them. Continue' }).click();
  await page.getByRole('heading', { level: 1, name: 'Check-in' }).waitFor();
  return words;
}

export async function signInInBrowser(page: Page, handle: string, password: string): Promise<void> {
  await page.getByLabel('Handle (your pseudonym)').fill(handle);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Check-in' }).waitFor({ timeout: CRYPTO_TIMEOUT_MS });
}

/** Fills the check-in profile form of a new account (name Ana, both PINs typed twice, optionally her phone) and saves. */
export async function fillProfileForm(page: Page, profile: { pin: string; duressPin: string; phone?: string; timeZone?: string }): Promise<void> {
  await page.getByLabel('Name used in alerts').fill('Ana');
  await page.getByLabel('Check-in PIN (4 to 12 digits)').fill(profile.pin);
  await page.getByLabel('Repeat the check-in PIN').fill(profile.pin);
  await page.getByLabel('Duress PIN (different digits)').fill(profile.duressPin);
  await page.getByLabel('Repeat the duress PIN').fill(profile.duressPin);
  if (profile.phone) await page.getByLabel('Your own phone (optional)').fill(profile.phone);
  if (profile.timeZone) await page.getByLabel('Time zone of your profile').selectOption(profile.timeZone);
  await page.getByRole('button', { name: 'Save' }).click();
}
