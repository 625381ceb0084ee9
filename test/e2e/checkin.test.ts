import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import mongoose from 'mongoose';
import type { Browser, Page } from 'playwright-core';
import { openDuress } from '../../src/alerts/alert-secrets';
import { CheckInsApi, ContactsApi, MeshworkClient } from '../../src/client';
import { ManualClock } from '../../src/shared/clock';
import { FakeTwilio, TEST_PUBLIC_URL, twilioConfig } from '../support/fake-twilio';
import type { TestService } from '../support/service';
import { describeViolations, seriousAccessibilityViolations } from './support/axe';
import { launchChromium, openPhone, registerInBrowser, saveScreenshot, signInInBrowser, skipWithoutChromium, startWebService } from './support/browser';

const PIN = '2468';
const DURESS_PIN = '1357';
const PHONE_TIME_ZONE = 'America/Mexico_City';

describe('Check-in screen in a real browser', function () {
  let service: TestService;
  let browser: Browser;
  let fake: FakeTwilio;
  let clock: ManualClock;
  let phoneCounter = 200;
  const newPhoneNumber = () => `+447400123${String((phoneCounter += 1)).padStart(3, '0')}`;
  const tick = () => service.services.scheduler.tick();
  const target = () => ({ baseUrl: service.baseUrl, publicUrl: TEST_PUBLIC_URL });

  before(async function () {
    skipWithoutChromium(this);
    clock = new ManualClock(new Date());
    fake = await new FakeTwilio(clock).start();
    service = await startWebService({ ...twilioConfig, ESCALATION_REPEATS: 0 }, { clock, smsSender: fake.sender(TEST_PUBLIC_URL) });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await service?.close();
    await fake?.stop();
  });

  async function setUpProfile(page: Page) {
    await page.getByLabel('Name used in alerts').fill('Ana');
    await page.getByLabel('Check-in PIN (4 to 12 digits)').fill(PIN);
    await page.getByLabel('Duress PIN (different digits)').fill(DURESS_PIN);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'No check-in scheduled' }).waitFor();
  }

  /** Adds a contact in the browser, delivers the invitation on the fake Twilio, and has them reply YES. */
  async function addOptedInContact(page: Page, name: string): Promise<string> {
    const phone = newPhoneNumber();
    await page.getByRole('button', { name: 'Add a trusted contact' }).click();
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Mobile phone').fill(phone);
    await page.getByRole('button', { name: 'Add and send the invitation' }).click();
    const contacts = page.getByTestId('contacts');
    await contacts.getByText('waiting for YES').waitFor();
    await tick();
    assert.equal(fake.to(phone).length, 1, 'the invitation SMS was sent');
    assert.equal((await fake.inbound(target(), phone, 'YES')).status, 200);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await contacts.getByText('will be alerted').waitFor();
    return phone;
  }

  /** Due two hours after the service's (manual) clock, typed as the phone's local time. */
  async function scheduleOnce(page: Page, message: string) {
    await page.getByRole('button', { name: 'Schedule a check-in' }).click();
    const due = DateTime.fromJSDate(new Date(clock.now().getTime() + 2 * 3600_000)).setZone(PHONE_TIME_ZONE);
    await page.getByLabel('Check in by').fill(due.toFormat("yyyy-MM-dd'T'HH:mm"));
    await page.getByLabel('Message for your contacts if you do not check in').fill(message);
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    await page.getByTestId('next-deadline').waitFor();
  }

  async function checkInWith(page: Page, pin: string): Promise<string> {
    await page.getByRole('button', { name: "I'm safe" }).click();
    await page.getByLabel('Check-in PIN').fill(pin);
    await page.getByRole('dialog').getByRole('button', { name: 'Check in' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'Checked in at' });
    await notice.waitFor();
    return (await notice.textContent()) ?? '';
  }

  it('sets up the PINs, adds a contact who opts in, schedules a check-in and checks in with the PIN', async () => {
    const phone = await openPhone(browser, service.baseUrl);
    const { page } = phone;
    await registerInBrowser(page, 'checkin-ana', 'check-in password');
    await saveScreenshot(page, 'checkin-setup');
    await setUpProfile(page);
    await addOptedInContact(page, 'Bea');
    await scheduleOnce(page, 'Call my lawyer Rosa.');
    await page.getByText(/Next check-in by/).waitFor();
    await saveScreenshot(page, 'checkin', { fromTop: true });
    const done = await checkInWith(page, PIN);
    assert.match(done, /^Checked in at \d\d:\d\d\. Thank you\.$/);
    await page.getByRole('heading', { name: 'No check-in scheduled' }).waitFor();
    await saveScreenshot(page, 'checkin-done');
    assert.deepEqual(phone.problems, []);
    await phone.context.close();
  });

  it('treats the duress PIN exactly like the PIN on screen, while an alert starts quietly', async () => {
    const phone = await openPhone(browser, service.baseUrl);
    const { page } = phone;
    await registerInBrowser(page, 'checkin-duress', 'duress password');
    await setUpProfile(page);
    const contactPhone = await addOptedInContact(page, 'Caro');
    await scheduleOnce(page, 'First check-in.');
    const normal = await checkInWith(page, PIN);
    await scheduleOnce(page, 'Second check-in.');
    const duress = await checkInWith(page, DURESS_PIN);
    const shape = (text: string) => text.replace(/\d\d:\d\d/g, 'HH:MM');
    assert.equal(shape(duress), shape(normal), 'the same words on screen');
    await page.getByRole('heading', { name: 'No check-in scheduled' }).waitFor();
    assert.equal(await page.getByTestId('alerts').getByText('No alerts.').count(), 1, "the defender's screen shows no alert");
    const alerts = await mongoose.connection.db!.collection('alerts').find({}).toArray();
    assert.equal(alerts.filter((a) => openDuress(service.services.fieldCipher, a as never).duress).length, 1, 'a duress alert exists on the server (its flag is sealed at rest)');
    await tick();
    await tick();
    assert.ok(fake.to(contactPhone).length >= 2, 'the contact was alerted');
    await phone.context.close();
  });

  it('shows a missed check-in: the fake Twilio server gets the SMS and the timeline shows it', async () => {
    const phone = await openPhone(browser, service.baseUrl);
    const { page } = phone;
    await registerInBrowser(page, 'checkin-missed', 'missed password');
    await setUpProfile(page);
    const contactPhone = await addOptedInContact(page, 'Dani');
    await scheduleOnce(page, 'Call my lawyer Rosa.');
    clock.advance(3 * 3600_000);
    await tick();
    await tick();
    const alert = fake.to(contactPhone).at(-1);
    assert.match(alert?.body ?? '', /^MESHWORK ALERT: Ana did not check in by .*Call my lawyer Rosa\./);
    const alerts = page.getByTestId('alerts');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await alerts.getByText('alerting contacts').waitFor();
    await alerts.getByRole('button', { name: 'Timeline' }).click();
    const timeline = alerts.getByRole('list', { name: 'Timeline' });
    await timeline.getByText('Check-in missed').waitFor();
    await timeline.getByText('Tier 1 alerted').waitFor();
    await timeline.getByText(/SMS sent · Dani/).first().waitFor();
    await alerts.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'alert-timeline');
    assert.deepEqual(phone.problems, []);
    await phone.context.close();
  });

  it('renders the check-in screen in English, Spanish, Portuguese and French without a missing string, chosen by the browser or switched', async () => {
    const client = await MeshworkClient.connect({ baseUrl: service.baseUrl });
    await client.register('checkin-langs', 'languages password');
    const account = await client.signIn('checkin-langs', 'languages password');
    const checkIns = new CheckInsApi(account.api);
    await checkIns.setProfile({ displayName: 'Ana', timeZone: 'America/Mexico_City', language: 'es', pin: PIN, duressPin: DURESS_PIN });
    await new ContactsApi(account.api).add({ name: 'Eli', phone: newPhoneNumber(), language: 'pt', tier: 1 });
    await checkIns.schedule({ schedule: { kind: 'daily', times: ['09:00', '21:00'] }, graceMinutes: 15, alertMessage: 'Llamen a Rosa.' });

    const spanish = await openPhone(browser, service.baseUrl, { locale: 'es-MX' });
    await spanish.page.getByRole('heading', { level: 1, name: 'Iniciar sesión' }).waitFor();
    assert.equal(await spanish.page.evaluate('document.documentElement.lang'), 'es');
    await spanish.context.close();

    const phone = await openPhone(browser, service.baseUrl);
    const { page } = phone;
    await signInInBrowser(page, 'checkin-langs', 'languages password');
    const expected: Record<string, { title: string; safe: string }> = {
      en: { title: 'Check-in', safe: "I'm safe" },
      es: { title: 'Reporte de seguridad', safe: 'Estoy bien' },
      pt: { title: 'Check-in', safe: 'Estou bem' },
      fr: { title: 'Pointage de sécurité', safe: 'Je vais bien' },
    };
    for (const [lang, texts] of Object.entries(expected)) {
      await page.locator('#language-select').selectOption(lang);
      await page.locator(`html[lang="${lang}"]`).waitFor({ state: 'attached' });
      await page.getByRole('heading', { level: 1, name: texts.title }).waitFor();
      await page.getByRole('button', { name: texts.safe }).waitFor();
      await page.getByTestId('contacts').locator('.status').waitFor();
      const text = await page.locator('body').innerText();
      assert.doesNotMatch(text, /⟦/, `a message is missing in ${lang}`);
      await saveScreenshot(page, `checkin-${lang}`, { fromTop: true });
    }
    assert.deepEqual(phone.problems, []);
    await phone.context.close();
  });

  it('has no serious accessibility violations on the check-in screen, its PIN dialog and its forms', async () => {
    const phone = await openPhone(browser, service.baseUrl);
    const { page } = phone;
    await registerInBrowser(page, 'checkin-axe', 'accessible password');
    let violations = await seriousAccessibilityViolations(page);
    assert.equal(violations.length, 0, describeViolations(violations));
    await setUpProfile(page);
    await scheduleOnce(page, 'Call Rosa.');
    await page.getByRole('button', { name: 'Add a trusted contact' }).click();
    violations = await seriousAccessibilityViolations(page);
    assert.equal(violations.length, 0, describeViolations(violations));
    await page.getByRole('button', { name: "I'm safe" }).click();
    violations = await seriousAccessibilityViolations(page);
    assert.equal(violations.length, 0, describeViolations(violations));
    await phone.context.close();
  });
});
