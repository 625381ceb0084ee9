import assert from 'node:assert/strict';
import { browserWorld, fillProfileForm, openPhone, registerInBrowser } from './support/browser';

describe('Phone verification in the profile set-up, in a real browser', function () {
  const world = browserWorld({ sms: true, config: { ESCALATION_REPEATS: 0 } });
  const { fake, target, tick } = world;

  it('says SMS check-in is off until the texted code is entered, then turns it on', async () => {
    const phoneNumber = '+447400125001';
    const phone = await openPhone(world.browser, world.service.baseUrl);
    const { page } = phone;
    await registerInBrowser(page, 'verify-ana', 'verify password');
    await fillProfileForm(page, { pin: '2468', duressPin: '1357', phone: phoneNumber });
    const card = page.getByTestId('phone-verification');
    await card.getByText(/Checking in by SMS is off until you confirm/).waitFor();
    assert.doesNotMatch((await fake.inbound(target(), phoneNumber, 'PIN 2468')).text, /<Message>/, 'an SMS does not check in yet');

    await tick();
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
