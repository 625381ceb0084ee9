import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CheckInsApi, ContactsApi, MeshworkClient } from '../../src/client';
import { ManualClock } from '../../src/shared/clock';
import { FakeTwilio, TEST_PUBLIC_URL, twilioConfig } from '../support/fake-twilio';
import type { TestService } from '../support/service';
import { REGIONAL_TIME_ZONES } from '../../src/shared/time-zones';
import { ARTIFACTS_DIR, CRYPTO_TIMEOUT_MS, launchChromium, openPhone, signInInBrowser, skipWithoutChromium, startWebService, type Phone } from './support/browser';

/** Each language as a phone of its region would ask for it, and a letter of its script that the screens use. */
const LANGUAGES = [
  { lang: 'en', locale: 'en-ZW', script: /\p{Script=Latin}/u },
  { lang: 'es', locale: 'es-HN', script: /\p{Script=Latin}/u },
  { lang: 'pt', locale: 'pt-MZ', script: /\p{Script=Latin}/u },
  { lang: 'fr', locale: 'fr-FR', script: /\p{Script=Latin}/u },
  { lang: 'id', locale: 'id-ID', script: /\p{Script=Latin}/u },
  { lang: 'km', locale: 'km-KH', script: /\p{Script=Khmer}/u },
  { lang: 'my', locale: 'my-MM', script: /\p{Script=Myanmar}/u },
] as const;

interface Layout {
  scrollWidth: number;
  clientWidth: number;
  /** elements reaching past either edge of the viewport, or whose content overflows their own box */
  tooWide: string[];
}

/** What sticks out sideways at this width: what a person would have to scroll or could not see at all. */
async function measureLayout(page: Page): Promise<Layout> {
  // A string, not a function: the test transpiler's helpers (__name) do not exist in the page.
  return page.evaluate<Layout>(`(() => {
    const viewport = document.documentElement.clientWidth;
    const tooWide = [];
    const describe = (el, why) => el.tagName.toLowerCase() + '.' + (el.className || '-') + ' ' + why + ': ' + (el.textContent || '').trim().slice(0, 50);
    for (const el of document.querySelectorAll('body *')) {
      // Screen-reader-only text is clipped to 1 px on purpose.
      if (el.closest('.visually-hidden, option, script, style')) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (box.left < -0.5 || box.right > viewport + 0.5) tooWide.push(describe(el, 'spans ' + Math.round(box.left) + '..' + Math.round(box.right) + ' of ' + viewport));
      // Text that does not wrap spills out of its box (a button label, a long word) without widening the box.
      if (getComputedStyle(el).overflowX === 'visible' && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) tooWide.push(describe(el, 'content ' + el.scrollWidth + ' wide in ' + el.clientWidth));
    }
    return { scrollWidth: document.documentElement.scrollWidth, clientWidth: viewport, tooWide };
  })()`);
}

interface Glyphs {
  /** the script's letters on screen with no glyph in any font the page can use (drawn as the "tofu" box) */
  tofu: string[];
  checked: number;
  /** the detector's own check: a private-use character no font has must come out as tofu */
  privateUseIsTofu: boolean;
}

/**
 * Draws each distinct letter of the script found on screen, in the page's own font stack, and compares the pixels
 * with a character no font has (U+0378, unassigned): equal pixels mean the person sees a box, not her language.
 */
async function findTofu(page: Page, script: RegExp): Promise<Glyphs> {
  return page.evaluate<Glyphs>(`(() => {
    const script = new RegExp(${JSON.stringify(script.source)}, ${JSON.stringify(script.flags)});
    const letters = [...new Set([...document.body.innerText].filter((c) => /\\p{L}/u.test(c) && script.test(c)))];
    const canvas = document.createElement('canvas');
    canvas.width = 48;
    canvas.height = 48;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    ctx.font = '32px ' + getComputedStyle(document.body).fontFamily;
    const pixels = (c) => {
      ctx.clearRect(0, 0, 48, 48);
      ctx.fillText(c, 4, 36);
      return Array.from(ctx.getImageData(0, 0, 48, 48).data).join(',');
    };
    const missing = pixels('\\u0378');
    return { tofu: letters.filter((c) => pixels(c) === missing), checked: letters.length, privateUseIsTofu: pixels('\\uE001') === missing };
  })()`);
}

/** The fonts Chromium really drew a node's text with (DevTools protocol), e.g. "Noto Sans Khmer". */
async function fontsDrawing(phone: Phone, script: RegExp): Promise<string[]> {
  const marked = await phone.page.evaluate<boolean>(`(() => {
    const script = new RegExp(${JSON.stringify(script.source)}, ${JSON.stringify(script.flags)});
    const walker = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (script.test(node.textContent || '') && node.parentElement) {
        node.parentElement.setAttribute('data-font-probe', '');
        return true;
      }
    }
    return false;
  })()`);
  assert.ok(marked, 'some text on screen is in the script');
  const cdp = await phone.context.newCDPSession(phone.page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: '[data-font-probe]' });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    return fonts.map((f) => f.familyName);
  } finally {
    await phone.page.evaluate("document.querySelector('[data-font-probe]')?.removeAttribute('data-font-probe')");
    await cdp.detach();
  }
}

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
}

/** Everything a screen in this language must satisfy at 360 px: all its strings, no sideways scroll, no tofu. */
async function assertReadable(phone: Phone, lang: string, script: RegExp, screen: string): Promise<void> {
  const { page } = phone;
  assert.equal(await page.evaluate('document.documentElement.lang'), lang, '<html lang> names the language, so screen readers and fonts follow it');
  const text = await page.locator('body').innerText();
  assert.doesNotMatch(text, /⟦[\w.]+⟧/, `${lang} ${screen}: a message is missing`);
  assert.match(text, script, `${lang} ${screen}: the screen shows its own script`);
  // Debian's Chromium has no date data for km or my: the app's own names must stand in for English ones.
  if (lang === 'km' || lang === 'my') assert.doesNotMatch(text, /\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|AM|PM|Time)\b/, `${lang} ${screen}: a date or zone in English`);

  const layout = await measureLayout(page);
  assert.ok(layout.scrollWidth <= layout.clientWidth, `${lang} ${screen}: the page scrolls sideways (${layout.scrollWidth} > ${layout.clientWidth})`);
  assert.deepEqual(layout.tooWide, [], `${lang} ${screen}: elements overflow at 360 px`);

  const glyphs = await findTofu(page, script);
  assert.ok(glyphs.privateUseIsTofu, 'the tofu detector recognises a character no font has');
  assert.ok(glyphs.checked >= 5, `${lang} ${screen}: only ${glyphs.checked} letters checked`);
  assert.deepEqual(glyphs.tofu, [], `${lang} ${screen}: letters drawn as boxes`);
  const width = await page.locator('h1').evaluate((h1) => h1.getBoundingClientRect().width);
  assert.ok(width > 0, `${lang} ${screen}: the title has no width`);
}

const catalogue = (lang: string) => JSON.parse(readFileSync(path.resolve(__dirname, `../../src/web/i18n/${lang}.json`), 'utf8')) as Record<string, string>;

describe('The web app in each of its seven languages at 360 px, with system fonts', function () {
  let service: TestService;
  let browser: Browser;
  let fake: FakeTwilio;

  before(async function () {
    skipWithoutChromium(this);
    const clock = new ManualClock(new Date());
    fake = await new FakeTwilio(clock).start();
    service = await startWebService({ ...twilioConfig }, { clock, smsSender: fake.sender(TEST_PUBLIC_URL) });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await service?.close();
    await fake?.stop();
  });

  for (const { lang, locale, script } of LANGUAGES) {
    it(`opens the sign-in screen in ${lang} for a phone set to ${locale}, every letter drawn, nothing wider than the screen`, async () => {
      const phone = await openPhone(browser, service.baseUrl, { locale });
      try {
        await phone.page.locator(`html[lang="${lang}"]`).waitFor({ state: 'attached' });
        await phone.page.locator('h1').waitFor();
        await assertReadable(phone, lang, script, 'sign-in');
        await screenshot(phone.page, `lang-${lang}-sign-in`);
        assert.deepEqual(phone.problems, []);
      } finally {
        await phone.context.close();
      }
    });
  }

  describe('the check-in screen with a check-in due, a contact and SMS help', () => {
    let phone: Phone;

    before(async function () {
      if (!browser) return;
      const client = await MeshworkClient.connect({ baseUrl: service.baseUrl });
      await client.register('languages-ana', 'languages password');
      const account = await client.signIn('languages-ana', 'languages password');
      const checkIns = new CheckInsApi(account.api);
      // A long, realistic name and message: what makes lines wrap in a real profile.
      await checkIns.setProfile({ displayName: 'Srey Pov Chanthavong', timeZone: 'Asia/Phnom_Penh', language: 'km', pin: '2468', duressPin: '1357', phone: '+85512345678' });
      await new ContactsApi(account.api).add({ name: 'Thida Aung Kyaw Myint', phone: '+959250123456', language: 'my', tier: 1 });
      await checkIns.schedule({ schedule: { kind: 'daily', times: ['09:00', '21:00'] }, graceMinutes: 15, alertMessage: 'Call my lawyer.' });
      phone = await openPhone(browser, service.baseUrl);
      await signInInBrowser(phone.page, 'languages-ana', 'languages password');
    });
    after(async () => {
      await phone?.context.close();
    });

    for (const { lang, script } of LANGUAGES) {
      it(`shows the check-in screen in ${lang}, switched from the language picker, every letter drawn, nothing wider than the screen`, async () => {
        const { page } = phone;
        await page.locator('#language-select').selectOption(lang);
        await page.locator(`html[lang="${lang}"]`).waitFor({ state: 'attached' });
        await page.getByTestId('next-deadline').waitFor();
        await page.getByTestId('contacts').locator('.status').first().waitFor();
        await page.evaluate('window.scrollTo(0, 0)');
        await assertReadable(phone, lang, script, 'check-in');
        if (lang === 'km') assert.ok((await fontsDrawing(phone, script)).some((f) => /Khmer/.test(f)), 'Khmer text is drawn with a Khmer font');
        if (lang === 'my') assert.ok((await fontsDrawing(phone, script)).some((f) => /Myanmar|Padauk/.test(f)), 'Burmese text is drawn with a Myanmar font');
        await screenshot(page, `lang-${lang}-check-in`);
        assert.deepEqual(phone.problems, []);
      });
    }
  });
  describe('the first set-up, with the time-zone picker, on a phone in Myanmar', () => {
    let phone: Phone;
    let account: Awaited<ReturnType<MeshworkClient['signIn']>>;

    before(async function () {
      if (!browser) return;
      const client = await MeshworkClient.connect({ baseUrl: service.baseUrl });
      await client.register('languages-zones', 'languages password');
      account = await client.signIn('languages-zones', 'languages password');
      // Chromium calls this zone Asia/Rangoon; the picker lists it once, as Asia/Yangon.
      phone = await openPhone(browser, service.baseUrl, { locale: 'my-MM', timezoneId: 'Asia/Yangon' });
      // A Burmese phone opens on the Burmese sign-in screen.
      const my = catalogue('my');
      await phone.page.getByLabel(my['field.handle']!).fill('languages-zones');
      await phone.page.getByLabel(my['field.password']!, { exact: true }).fill('languages password');
      await phone.page.getByRole('button', { name: my['signIn.submit'], exact: true }).click();
      await phone.page.getByLabel(my['profile.timeZonePick']!).waitFor({ timeout: CRYPTO_TIMEOUT_MS });
    });
    after(async () => {
      await phone?.context.close();
    });

    for (const { lang, script } of LANGUAGES) {
      it(`offers the zones of the ${lang} region first, then the phone's own, preselected, in ${lang} at 360 px`, async () => {
        const { page } = phone;
        const texts = catalogue(lang);
        await page.locator('#language-select').selectOption(lang);
        await page.locator(`html[lang="${lang}"]`).waitFor({ state: 'attached' });
        // The language of her alerts decides the region; it starts as the screen's language.
        await page.getByLabel(texts['profile.language']!).selectOption(lang);
        const picker = page.getByLabel(texts['profile.timeZonePick']!);
        const regional: readonly string[] = REGIONAL_TIME_ZONES[lang];
        const offered = await picker.locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
        assert.deepEqual(offered.slice(0, regional.length), regional, `${lang}: the region's zones first`);
        if (lang !== 'my') assert.equal(offered[regional.length], 'Asia/Yangon', "then the phone's own zone");
        assert.equal(await picker.inputValue(), 'Asia/Yangon', "the phone's own zone is preselected");
        assert.ok(offered.length > 300, 'then every other zone');
        await assertReadable(phone, lang, script, 'set-up');
        await screenshot(page, `lang-${lang}-set-up`);
      });
    }

    it('saves the zone she picks in her profile', async () => {
      const { page } = phone;
      const texts = catalogue('km');
      await page.locator('#language-select').selectOption('km');
      await page.getByLabel(texts['profile.language']!).selectOption('km');
      await page.getByLabel(texts['profile.timeZonePick']!).selectOption('Asia/Phnom_Penh');
      await page.getByLabel(texts['profile.displayName']!).fill('Sophea');
      await page.getByLabel(texts['profile.pin']!).fill('2468');
      await page.getByLabel(texts['pins.repeatPin']!).fill('2468');
      await page.getByLabel(texts['profile.duressPin']!).fill('1357');
      await page.getByLabel(texts['pins.repeatDuressPin']!).fill('1357');
      await page.getByRole('button', { name: texts['profile.save'], exact: true }).click();
      await page.getByRole('heading', { name: texts['checkin.noneTitle'] }).waitFor();
      const profile = await new CheckInsApi(account.api).getProfile();
      assert.equal(profile.timeZone, 'Asia/Phnom_Penh');
      assert.equal(profile.language, 'km');
      assert.deepEqual(phone.problems, []);
    });
  });
});
