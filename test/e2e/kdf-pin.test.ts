import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import type { Page, Request } from 'playwright-core';
import { MeshworkClient } from '../../src/client';
import { CRYPTO_TIMEOUT_MS, NEUTRAL_URL, browserWorld, openPhone, registerInBrowser, saveScreenshot, signInInBrowser } from './support/browser';

const PINS_KEY = 'mw.p';
const WARNING = 'The server changed how your password is checked. This can be an attack: do not continue unless you changed your password on another device.';
const liveSessions = () => mongoose.connection.db!.collection('sessions').countDocuments({});

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
}

async function pinsEntry(page: Page): Promise<string | null> {
  return (await page.evaluate(`localStorage.getItem('${PINS_KEY}')`)) as string | null;
}

/** Every request the page sends after the prelogin answer, to show that nothing derived from the password left it. */
function requestsAfterPrelogin(page: Page): Request[] {
  const seen: Request[] = [];
  let preloginAnswered = false;
  page.on('request', (request) => {
    if (preloginAnswered && new URL(request.url()).pathname.startsWith('/v1/')) seen.push(request);
  });
  page.on('response', (response) => {
    if (new URL(response.url()).pathname === '/v1/accounts/prelogin') preloginAnswered = true;
  });
  return seen;
}

describe('Web sign-in pins the salt and KDF parameters per handle (real browser)', function () {
  const world = browserWorld();

  it('records the parameters of a sign-in without naming the handle or the app, and warns before deriving anything when the server answers others', async () => {
    const phone = await openPhone(world.browser, world.service.baseUrl);
    const { page } = phone;
    await registerInBrowser(page, 'pin-river', 'a pinned long password');
    await signOut(page);
    await signInInBrowser(page, 'pin-river', 'a pinned long password');
    const entry = await pinsEntry(page);
    assert.ok(entry, 'a successful sign-in records the parameters');
    for (const clear of ['pin-river', 'meshwork', 'Meshwork']) assert.ok(!entry.includes(clear), `"${clear}" is not readable in the record`);
    const { kdf } = (await (await fetch(`${world.service.baseUrl}/v1/accounts/prelogin?handle=pin-river`)).json()) as { kdf: { salt: string } };
    assert.ok(entry.includes(kdf.salt), 'the record holds the salt the server gave');
    await signOut(page);

    // A malicious server answers another salt (the same floor parameters, so only the pin can tell).
    await page.route('**/v1/accounts/prelogin?**', async (route) => {
      const response = await route.fetch();
      const reply = (await response.json()) as { kdf: { salt: string } };
      await route.fulfill({ response, json: { ...reply, kdf: { ...reply.kdf, salt: 'AAAAAAAAAAAAAAAAAAAAAA' } } });
    });
    const sessionsBefore = await liveSessions();
    const sent = requestsAfterPrelogin(page);
    await page.getByLabel('Handle (your pseudonym)').fill('pin-river');
    await page.getByLabel('Password', { exact: true }).fill('a pinned long password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const warning = page.getByTestId('kdf-changed');
    await warning.getByText(WARNING).waitFor({ timeout: CRYPTO_TIMEOUT_MS });
    await saveScreenshot(page, 'kdf-changed-warning');
    assert.equal(await page.getByRole('button', { name: 'Sign in' }).count(), 0, 'the form does not offer to sign in past the warning');
    assert.deepEqual(sent.map((request) => `${request.method()} ${new URL(request.url()).pathname}`), [], 'nothing derived from the password was sent');
    assert.equal(await liveSessions(), sessionsBefore);
    assert.equal(await pinsEntry(page), entry, 'the warning leaves the record as it was');

    await warning.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    assert.equal(await warning.count(), 0);
    assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '', 'Cancel forgets the typed password');
    assert.deepEqual(sent, [], 'Cancel sends nothing either');
    await page.unroute('**/v1/accounts/prelogin?**');

    // The honest server again: no warning, and quick exit erases the record with everything else.
    await signInInBrowser(page, 'pin-river', 'a pinned long password');
    assert.equal(await pinsEntry(page), entry);
    await page.getByRole('button', { name: 'Exit', exact: true }).click();
    await page.waitForURL(NEUTRAL_URL);
    const after = await phone.context.newPage();
    await after.goto(world.service.baseUrl);
    assert.equal(await pinsEntry(after), null, 'quick exit erased the record');
    assert.deepEqual(phone.problems, []);
    await phone.context.close();
  });

  it('after a password change on another device, "I changed it, continue" signs in with the new parameters and pins them', async () => {
    const phone = await openPhone(world.browser, world.service.baseUrl);
    const { page } = phone;
    await registerInBrowser(page, 'pin-lake', 'the first long password');
    await signOut(page);
    await signInInBrowser(page, 'pin-lake', 'the first long password');
    const before = await pinsEntry(page);
    await signOut(page);

    // The other device: the reference client changes the password, which draws a new salt.
    const laptop = await MeshworkClient.connect({ baseUrl: world.service.baseUrl });
    const elsewhere = await laptop.signIn('pin-lake', 'the first long password', 'laptop');
    (await elsewhere.changePassword('the first long password', 'the second long password')).lock();

    await page.getByLabel('Handle (your pseudonym)').fill('pin-lake');
    await page.getByLabel('Password', { exact: true }).fill('the second long password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const warning = page.getByTestId('kdf-changed');
    await warning.getByText(WARNING).waitFor({ timeout: CRYPTO_TIMEOUT_MS });
    await warning.getByRole('button', { name: 'I changed it, continue' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check-in' }).waitFor({ timeout: CRYPTO_TIMEOUT_MS });
    const pinned = await pinsEntry(page);
    assert.ok(pinned && pinned !== before, 'the record now holds the new parameters');

    // Pinned again: the next sign-in goes straight through.
    await signOut(page);
    await signInInBrowser(page, 'pin-lake', 'the second long password');
    assert.equal(await pinsEntry(page), pinned);
    assert.deepEqual(phone.problems, []);
    await phone.context.close();
  });

  it('a recovery made on this device pins the new password\'s parameters, so the next sign-in raises no warning', async () => {
    const phone = await openPhone(world.browser, world.service.baseUrl);
    const { page } = phone;
    const words = await registerInBrowser(page, 'pin-field', 'the old long password');
    await signOut(page);
    await signInInBrowser(page, 'pin-field', 'the old long password');
    const before = await pinsEntry(page);
    assert.ok(before);
    await signOut(page);

    await page.getByRole('button', { name: 'I lost my password' }).click();
    await page.getByLabel('Handle (your pseudonym)').fill('pin-field');
    await page.getByLabel('Your 24 recovery words').fill(words.join(' '));
    await page.getByLabel('New password').fill('the new long password');
    await page.getByLabel('Repeat the password').fill('the new long password');
    await page.getByRole('button', { name: 'Recover my account' }).click();
    const list = page.getByTestId('recovery-words');
    await list.waitFor({ timeout: CRYPTO_TIMEOUT_MS });
    const renewed = await list.locator('.word').allTextContents();
    const after = await pinsEntry(page);
    assert.ok(after && after !== before, 'the recovery replaced the pinned parameters');
    await page.getByLabel('I wrote the 24 words on paper').check();
    const asked = page.getByLabel(/To confirm, type word number/);
    await asked.fill(renewed[Number((await asked.getAttribute('name'))?.replace('word-', '')) - 1] ?? '');
    await page.getByRole('button', { name: 'I have them. Continue' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check-in' }).waitFor({ timeout: CRYPTO_TIMEOUT_MS });
    await signOut(page);
    // Waits for the check-in screen: a warning here would stop the sign-in and fail the wait.
    await signInInBrowser(page, 'pin-field', 'the new long password');
    assert.equal(await page.getByTestId('kdf-changed').count(), 0);
    assert.equal(await pinsEntry(page), after);
    assert.deepEqual(phone.problems, []);
    await phone.context.close();
  });

  it('"Sign out on this device" erases the record', async () => {
    const phone = await openPhone(world.browser, world.service.baseUrl);
    const { page } = phone;
    await registerInBrowser(page, 'pin-hill', 'a third long password');
    await signOut(page);
    await signInInBrowser(page, 'pin-hill', 'a third long password');
    assert.ok(await pinsEntry(page));
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Sign out on this device' }).click();
    await page.waitForURL(NEUTRAL_URL);
    const after = await phone.context.newPage();
    await after.goto(world.service.baseUrl);
    assert.equal(await pinsEntry(after), null);
    assert.deepEqual(phone.problems, []);
    await phone.context.close();
  });
});
