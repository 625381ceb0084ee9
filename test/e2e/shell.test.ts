import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import express from 'express';
import mongoose from 'mongoose';
import { WEB_CONTENT_SECURITY_POLICY, webAppHandlers } from '../../src/web/serve';
import { describeViolations, seriousAccessibilityViolations } from './support/axe';
import { CRYPTO_TIMEOUT_MS, NEUTRAL_URL, browserWorld, openPhone, registerInBrowser, saveScreenshot, signInInBrowser } from './support/browser';

const liveSessions = () => mongoose.connection.db!.collection('sessions').countDocuments({});

describe('Web app shell in a real browser', function () {
  const world = browserWorld();

  it('serves the page and its assets with the strict Content-Security-Policy and no third-party origin', async () => {
    const page = await fetch(`${world.service.baseUrl}/`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-security-policy'), WEB_CONTENT_SECURITY_POLICY);
    assert.equal(
      WEB_CONTENT_SECURITY_POLICY,
      "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    assert.equal(page.headers.get('cache-control'), 'no-store');
    const html = await page.text();
    assert.ok(html.includes(`content="${NEUTRAL_URL}"`), 'the configured quick-exit URL is in the page');
    assert.doesNotMatch(html, /<script>|<style>|\sstyle=/, 'no inline script or style');
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(sources.length >= 2);
    for (const source of sources) assert.match(source, /^\/assets\//, `${source} is same-origin`);
    for (const source of sources) {
      const asset = await fetch(`${world.service.baseUrl}${source}`);
      assert.equal(asset.status, 200);
      assert.equal(asset.headers.get('content-security-policy'), WEB_CONTENT_SECURITY_POLICY);
      assert.equal(asset.headers.get('cache-control'), 'no-store', `${source} is not kept in the browser's cache`);
    }
  });

  it('registers, shows the 24 recovery words once, and lands on the check-in screen with no CSP violation', async () => {
    const phone = await openPhone(world.browser, world.service.baseUrl);
    await saveScreenshot(phone.page, 'sign-in');
    const words = await registerInBrowser(phone.page, 'web-river', 'a long enough password');
    assert.equal(words.length, 24);
    assert.equal(new Set(words).size > 12, true);
    assert.equal(await phone.page.getByTestId('recovery-words').count(), 0, 'the words are gone once confirmed');
    assert.deepEqual(phone.problems, []);
    assert.equal(await liveSessions(), 1);
    await phone.context.close();
  });

  it('keeps nothing in browser storage, and signs out, signs in, locks and unlocks', async () => {
    const phone = await openPhone(world.browser, world.service.baseUrl);
    const { page } = phone;
    await registerInBrowser(page, 'web-lake', 'another long password');
    const stored = await page.evaluate('({ local: localStorage.length, session: sessionStorage.length, cookies: document.cookie })');
    assert.deepEqual(stored, { local: 0, session: 0, cookies: '' });

    const open = await liveSessions();
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Locked' }).waitFor();
    await waitUntil(async () => (await liveSessions()) === open - 1);
    await page.getByLabel('Password', { exact: true }).fill('another long password');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check-in' }).waitFor({ timeout: CRYPTO_TIMEOUT_MS });
    assert.equal(await liveSessions(), open, 'locking revoked the old session; unlocking opened one');

    await page.getByRole('button', { name: 'Settings' }).click();
    await saveScreenshot(page, 'settings');
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await signInInBrowser(page, 'web-lake', 'another long password');
    assert.deepEqual(phone.problems, []);
    await phone.context.close();
  });

  it('recovers an account with the 24 words and a new password', async () => {
    const phone = await openPhone(world.browser, world.service.baseUrl);
    const { page } = phone;
    const words = await registerInBrowser(page, 'web-hill', 'the first password');
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('button', { name: 'I lost my password' }).click();
    await page.getByLabel('Handle (your pseudonym)').fill('web-hill');
    await page.getByLabel('Your 24 recovery words').fill(words.join(' '));
    await page.getByLabel('New password').fill('the second password');
    await page.getByLabel('Repeat the password').fill('the second password');
    await saveScreenshot(page, 'recover');
    await page.getByRole('button', { name: 'Recover my account' }).click();
    // The used words stop working: new ones are shown once and confirmed like at registration.
    const list = page.getByTestId('recovery-words');
    await list.waitFor({ timeout: CRYPTO_TIMEOUT_MS });
    const renewed = await list.locator('.word').allTextContents();
    assert.equal(renewed.length, 24);
    assert.notDeepEqual(renewed, words);
    await page.getByLabel('I wrote the 24 words on paper').check();
    const asked = page.getByLabel(/To confirm, type word number/);
    await asked.fill(renewed[Number((await asked.getAttribute('name'))?.replace('word-', '')) - 1] ?? '');
    await page.getByRole('button', { name: 'I have them. Continue' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check-in' }).waitFor({ timeout: CRYPTO_TIMEOUT_MS });
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await signInInBrowser(page, 'web-hill', 'the second password');
    await phone.context.close();
  });

  it('quick exit replaces the page with the neutral site, leaves no back-button entry and revokes the session', async () => {
    const phone = await openPhone(world.browser, world.service.baseUrl);
    const { page } = phone;
    await registerInBrowser(page, 'web-exit', 'quick exit password');
    await page.getByRole('button', { name: 'Teams' }).click();
    await page.getByRole('button', { name: 'Check-in' }).click();
    const historyBefore = await page.evaluate('history.length');
    const sessionsBefore = await liveSessions();
    await page.getByRole('button', { name: 'Exit', exact: true }).click();
    await page.waitForURL(NEUTRAL_URL);
    assert.equal(await page.evaluate('history.length'), historyBefore, 'replace() added no history entry');
    await page.goBack();
    assert.ok(!page.url().startsWith(world.service.baseUrl), `going back does not return to the app (at ${page.url()})`);
    await waitUntil(async () => (await liveSessions()) === sessionsBefore - 1);
    await phone.context.close();
  });

  it('pressing Escape twice is a quick exit too, even before signing in', async () => {
    const phone = await openPhone(world.browser, world.service.baseUrl);
    const { page } = phone;
    await page.getByLabel('Handle (your pseudonym)').focus();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await page.waitForURL(NEUTRAL_URL);
    await page.goBack();
    assert.ok(!page.url().startsWith(world.service.baseUrl), `going back does not return to the app (at ${page.url()})`);
    await phone.context.close();
  });

  it('locks itself after the configured inactivity and wipes the session', async () => {
    const phone = await openPhone(world.browser, world.service.baseUrl);
    const { page } = phone;
    await page.clock.install();
    await page.reload();
    await registerInBrowser(page, 'web-idle', 'inactivity password');
    const sessionsBefore = await liveSessions();
    await page.clock.fastForward('04:00');
    assert.equal(await page.getByRole('heading', { level: 1, name: 'Check-in' }).count(), 1, 'still open after 4 minutes');
    await page.clock.fastForward('01:10');
    await page.getByRole('heading', { level: 1, name: 'Locked' }).waitFor();
    await page.getByText('Locked after inactivity').waitFor();
    await waitUntil(async () => (await liveSessions()) === sessionsBefore - 1);
    await saveScreenshot(page, 'locked');
    await phone.context.close();
  });

  it('counts typing as activity: someone writing for longer than the auto-lock time is not locked out', async () => {
    const phone = await openPhone(world.browser, world.service.baseUrl);
    const { page } = phone;
    await page.clock.install();
    await page.reload();
    await registerInBrowser(page, 'web-typing', 'typing password');
    const field = page.getByLabel('Name used in alerts');
    for (let minute = 0; minute < 8; minute += 1) {
      await page.clock.fastForward('01:00');
      await field.pressSequentially('a');
    }
    assert.equal(await page.getByRole('heading', { level: 1, name: 'Locked' }).count(), 0, 'eight minutes of typing, no lock');
    assert.equal((await field.inputValue()).length, 8, 'what she typed is still there');
    await page.clock.fastForward('05:10');
    await page.getByRole('heading', { level: 1, name: 'Locked' }).waitFor();
    await phone.context.close();
  });

  it('has no serious accessibility violations on the sign-in, register and settings screens', async () => {
    const phone = await openPhone(world.browser, world.service.baseUrl);
    const { page } = phone;
    let violations = await seriousAccessibilityViolations(page);
    assert.equal(violations.length, 0, describeViolations(violations));
    await page.getByRole('button', { name: 'Create an account' }).click();
    await saveScreenshot(page, 'register');
    violations = await seriousAccessibilityViolations(page);
    assert.equal(violations.length, 0, describeViolations(violations));
    await page.getByRole('button', { name: 'Back' }).click();
    await registerInBrowser(page, 'web-axe', 'accessible password');
    await page.getByRole('button', { name: 'Settings' }).click();
    violations = await seriousAccessibilityViolations(page);
    assert.equal(violations.length, 0, describeViolations(violations));
    await phone.context.close();
  });
  it("leaves no copy of the app's page, scripts or styles in the browser's HTTP cache after quick exit", async () => {
    // Its own context, without openPhone's request routing: Playwright turns the HTTP cache off while routing.
    const context = await world.browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const loaded: string[] = [];
    page.on('response', (response) => {
      if (response.url().startsWith(world.service.baseUrl) && !new URL(response.url()).pathname.startsWith('/v1/')) loaded.push(response.url());
    });
    await page.goto(world.service.baseUrl);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    assert.ok(loaded.some((url) => /\/assets\/index-.*\.js$/.test(url)) && loaded.some((url) => /\.css$/.test(url)), JSON.stringify(loaded));
    // Offline, only the cache can answer: whatever it kept would load (the neutral site cannot, which is fine here).
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Exit', exact: true }).tap().catch(() => undefined);
    await waitUntil(async () => !page.url().startsWith(world.service.baseUrl));
    for (const url of new Set([`${world.service.baseUrl}/`, ...loaded])) {
      const probe = await context.newPage();
      const outcome = await probe.goto(url).then((response) => `served ${response?.status()}`, () => 'not in cache');
      assert.equal(outcome, 'not in cache', url);
      await probe.close();
    }
    await context.close();
  });

  it('sets a neutral title and empties the screen before leaving, so a tab switcher never reads Meshwork', async () => {
    const phone = await openPhone(world.browser, world.service.baseUrl);
    const { page } = phone;
    assert.equal(await page.title(), 'Meshwork');
    // The page reports each title change as it happens, before the neutral site replaces it.
    const seen: Array<{ title: string; text: string }> = [];
    await page.exposeFunction('reportTitle', (title: string, text: string) => seen.push({ title, text }));
    await page.evaluate("new MutationObserver(() => window.reportTitle(document.title, document.body.innerText)).observe(document.head, { childList: true, subtree: true, characterData: true })");
    await page.getByRole('button', { name: 'Exit', exact: true }).tap();
    await page.waitForURL(NEUTRAL_URL);
    assert.deepEqual(seen[0], { title: 'neutral.example', text: '' });
    await phone.context.close();
  });

  it('gives Exit, Lock and the language picker at least 48 x 48 px', async () => {
    const phone = await openPhone(world.browser, world.service.baseUrl);
    const { page } = phone;
    await registerInBrowser(page, 'web-targets', 'big targets password');
    for (const target of [page.getByRole('button', { name: 'Exit', exact: true }), page.getByRole('button', { name: 'Lock', exact: true }), page.locator('#language-select')]) {
      const box = await target.boundingBox();
      assert.ok(box && box.width >= 48 && box.height >= 48, `${await target.evaluate((e) => e.outerHTML.slice(0, 60))}: ${JSON.stringify(box)}`);
    }
    await saveScreenshot(page, 'top-bar-targets', { fromTop: true });
    await phone.context.close();
  });

  it('"Sign out on this device" ends the session and lands on the neutral exit page', async () => {
    const phone = await openPhone(world.browser, world.service.baseUrl);
    const { page } = phone;
    await registerInBrowser(page, 'web-forget', 'forget device password');
    const sessionsBefore = await liveSessions();
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Sign out on this device' }).tap();
    await page.waitForURL(NEUTRAL_URL);
    await waitUntil(async () => (await liveSessions()) === sessionsBefore - 1);
    await page.goBack();
    assert.ok(!page.url().startsWith(world.service.baseUrl), `going back does not return to the app (at ${page.url()})`);
    await phone.context.close();
  });
  it('wears the installation\'s disguise: a neutral name in the title, top bar and every message, a neutral icon, no "Meshwork" on screen', async () => {
    // The page alone, served with WEB_DISGUISE_NAME set (the screens before sign-in need no API).
    const app = express();
    app.use(webAppHandlers({ config: { WEB_QUICK_EXIT_URL: NEUTRAL_URL, WEB_AUTO_LOCK_MINUTES: 5, TWILIO_FROM_NUMBER: '', WEB_DISGUISE_NAME: 'Notes' } }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const html = await (await fetch(`${baseUrl}/`)).text();
      assert.match(html, /<title>Notes<\/title>/);
      assert.match(html, /<link rel="icon" href="data:image\/svg\+xml,/, 'the icon is neutral and has no asset name');
      assert.doesNotMatch(html, /meshwork/i, 'the page itself never names Meshwork');
      const undisguised = await (await fetch(`${world.service.baseUrl}/`)).text();
      assert.match(undisguised, /<title>Meshwork<\/title>/, 'without a disguise the page says what it is');

      const phone = await openPhone(world.browser, baseUrl);
      const { page } = phone;
      assert.equal(await page.title(), 'Notes');
      assert.equal(await page.locator('.brand-name').innerText(), 'Notes');
      assert.match((await page.locator('.brand img').getAttribute('src')) ?? '', /^data:image\/svg\+xml,/);
      for (const screen of ['sign-in', 'register']) {
        if (screen === 'register') await page.getByRole('button', { name: 'Create an account' }).click();
        for (const lang of ['es', 'pt', 'fr', 'en']) {
          await page.locator('#language-select').selectOption(lang);
          await page.locator(`html[lang="${lang}"]`).waitFor();
          assert.doesNotMatch(await page.locator('body').innerText(), /Meshwork/, `${screen} in ${lang}`);
        }
      }
      await saveScreenshot(page, 'disguise', { fromTop: true });
      assert.deepEqual(phone.problems, []);
      await phone.context.close();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

/** Polls a condition the page causes asynchronously (a keepalive request); bounded, not a timed sleep. */
async function waitUntil(condition: () => Promise<boolean>, attempts = 100): Promise<void> {
  for (let i = 0; i < attempts; i += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail('condition not met');
}
