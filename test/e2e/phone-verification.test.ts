import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { ManualClock } from '../../src/shared/clock';
import { FakeTwilio, TEST_PUBLIC_URL, twilioConfig } from '../support/fake-twilio';
import type { TestService } from '../support/service';
import { launchChromium, openPhone, registerInBrowser, skipWithoutChromium, startWebService } from './support/browser';

describe('Phone verification in the profile set-up, in a real browser', function () {
  let service: TestService;
  let browser: Browser;
  let fake: FakeTwilio;
  const target = () => ({ baseUrl: service.baseUrl, publicUrl: TEST_PUBLIC_URL });

  before(async function () {
    skipWithoutChromium(this);
    const clock = new ManualClock(new Date());
    fake = await new FakeTwilio(clock).start();
    service = await startWebService({ ...twilioConfig, ESCALATION_REPEATS: 0 }, { clock, smsSender: fake.sender(TEST_PUBLIC_URL) });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await service?.close();
    await fake?.stop();
  });

  it('says SMS check-in is off until the texted code is entered, then turns it on', async () => {
    const phoneNumber = '+447400125001';
    const phone = await openPhone(browser, service.baseUrl);
    const { page } = phone;
    await registerInBrowser(page, 'verify-ana', 'verify password');
    await page.getByLabel('Name used in alerts').fill('Ana');
    await page.getByLabel('Check-in PIN (4 to 12 digits)').fill('2468');
    await page.getByLabel('Repeat the check-in PIN').fill('2468');
    await page.getByLabel('Duress PIN (different digits)').fill('1357');
    await page.getByLabel('Repeat the duress PIN').fill('1357');
    await page.getByLabel('Your own phone (optional)').fill(phoneNumber);
    await page.getByRole('button', { name: 'Save' }).click();
    const card = page.getByTestId('phone-verification');
    await card.getByText(/Checking in by SMS is off until you confirm/).waitFor();
    assert.doesNotMatch((await fake.inbound(target(), phoneNumber, 'PIN 2468')).text, /<Message>/, 'an SMS does not check in yet');

    await service.services.scheduler.tick();
    const code = /code: (\d{6})/.exec(fake.to(phoneNumber).at(-1)?.body ?? '')?.[1];
    assert.ok(code, 'the code was texted');
    const wrong = code === '000000' ? '111111' : '000000';
    await card.getByLabel('Code from the text').fill(wrong);
    await card.getByRole('button', { name: 'Confirm' }).click();
    await card.getByText('That code is not right.', { exact: false }).waitFor();
    await card.getByLabel('Code from the text').fill(code);
    await card.getByRole('button', { name: 'Confirm' }).click();
    await card.waitFor({ state: 'detached' });
    assert.match((await fake.inbound(target(), phoneNumber, 'PIN 2468')).text, /<Message>/);
    assert.deepEqual(phone.problems.filter((p) => !/status of 400/.test(p)), []);
    await phone.context.close();
  });
});
