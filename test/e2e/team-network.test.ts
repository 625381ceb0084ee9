import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import type { Browser, Page } from 'playwright-core';
import { CheckInsApi, MeshworkClient, TeamNetworkApi, type Team } from '../../src/client';
import { ManualClock } from '../../src/shared/clock';
import { FakeTwilio, TEST_PUBLIC_URL, twilioConfig } from '../support/fake-twilio';
import type { TestService } from '../support/service';
import { signUp, teamOf, type Person } from '../support/teams';
import { describeViolations, seriousAccessibilityViolations } from './support/axe';
import { describeFailure, launchChromium, openPhone, saveScreenshot, signInInBrowser, skipWithoutChromium, startWebService, type Phone } from './support/browser';

const CRYPTO_TIMEOUT = { timeout: 60_000 };
const LANGS = ['en', 'es', 'pt', 'fr', 'id', 'km', 'my'] as const;

/** What sticks out sideways: the page scrolling, or an element past the viewport's edge or spilling out of its box. */
async function sidewaysOverflow(page: Page): Promise<string[]> {
  // A string, not a function: the test transpiler's helpers (__name) do not exist in the page.
  return page.evaluate<string[]>(`(() => {
    const viewport = document.documentElement.clientWidth;
    const found = [];
    if (document.documentElement.scrollWidth > viewport) found.push('the page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + viewport);
    for (const el of document.querySelectorAll('body *')) {
      if (el.closest('.visually-hidden, option, script, style')) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const what = el.tagName.toLowerCase() + ' ' + (el.textContent || '').trim().slice(0, 40);
      if (box.left < -0.5 || box.right > viewport + 0.5) found.push(what + ' spans ' + Math.round(box.left) + '..' + Math.round(box.right));
      if (getComputedStyle(el).overflowX === 'visible' && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) found.push(what + ' spills out of its box');
    }
    return found;
  })()`);
}

describe("A team's urgent-action network in a real browser", function () {
  let service: TestService;
  let fake: FakeTwilio;
  let clock: ManualClock;
  let browser: Browser;
  let coordinator: Person;
  let member: Person;
  let team: Team;
  let coordinatorPhone: Phone;
  let memberPhone: Phone;
  const responderPhone = '+447400126401';
  const tick = () => service.services.scheduler.tick();
  const target = () => ({ baseUrl: service.baseUrl, publicUrl: TEST_PUBLIC_URL });
  const responders = () => mongoose.connection.db!.collection('teamresponders');

  before(async function () {
    skipWithoutChromium(this);
    clock = new ManualClock(new Date());
    fake = await new FakeTwilio(clock).start();
    service = await startWebService({ ...twilioConfig, ESCALATION_REPEATS: 0 }, { clock, smsSender: fake.sender(TEST_PUBLIC_URL) });
    const client = await MeshworkClient.connect({ baseUrl: service.baseUrl });
    coordinator = await signUp(client, 'net-coord');
    member = await signUp(client, 'net-member');
    team = await teamOf('Colectiva Sur', coordinator, [member]);
    await new CheckInsApi(member.account.api).setProfile({ displayName: 'Ana', timeZone: 'America/Mexico_City', language: 'en', pin: '2468', duressPin: '1357' });
    browser = await launchChromium();
    coordinatorPhone = await openPhone(browser, service.baseUrl);
    memberPhone = await openPhone(browser, service.baseUrl);
    await signInInBrowser(coordinatorPhone.page, 'net-coord', 'password of net-coord');
    await signInInBrowser(memberPhone.page, 'net-member', 'password of net-member');
  });
  after(async () => {
    await browser?.close();
    await service?.close();
    await fake?.stop();
  });
  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    for (const [name, phone] of [['coordinator', coordinatorPhone], ['member', memberPhone]] as const) if (phone) console.error(await describeFailure(`${this.currentTest.title}-${name}`, phone));
  });

  async function openTeam(page: Page) {
    await page.getByRole('navigation').getByRole('button', { name: 'Teams' }).click();
    await page.getByRole('button', { name: 'Colectiva Sur' }).click(CRYPTO_TIMEOUT);
    await page.getByRole('heading', { level: 1, name: 'Colectiva Sur' }).waitFor();
    await page.getByTestId('members').getByText('net-member', { exact: true }).waitFor();
  }

  it('asks a coordinator for the SMS name before a responder can be added, and says so next to the form', async () => {
    const { page } = coordinatorPhone;
    await openTeam(page);
    const card = page.getByTestId('team-network');
    await card.getByText('No SMS name yet. Set one before adding people.').waitFor();
    await card.getByRole('button', { name: 'Add a person to the network' }).click();
    const form = card.getByTestId('add-responder');
    await form.getByLabel('Name', { exact: true }).fill('Lic. Marta Ruiz');
    await form.getByLabel('Role').fill('lawyer');
    await form.getByLabel('Mobile phone').fill(responderPhone);
    await form.getByRole('button', { name: 'Add and send the invitation' }).click();
    await form.getByRole('alert').filter({ hasText: "Set the team's SMS name first (above)." }).waitFor();
    assert.equal(await responders().countDocuments({}), 0, 'nobody was added');
    await tick();
    assert.deepEqual(fake.to(responderPhone), [], 'nobody was texted');
  });

  it('sets the SMS name, adds a responder who is texted the invitation, shows "waiting for YES", then "ready" once she replies YES', async () => {
    const { page } = coordinatorPhone;
    const card = page.getByTestId('team-network');
    await card.getByLabel('Name for the SMS').fill('Red Sur');
    await card.getByRole('button', { name: 'Save the SMS name' }).click();
    await card.getByText('Saved. The SMS now say “Red Sur”.').waitFor();
    assert.equal((await new TeamNetworkApi(coordinator.account.api).get(team.teamId)).smsName, 'Red Sur');

    // A wrong number is refused under the phone field, and the rest of the form is kept.
    const form = card.getByTestId('add-responder');
    await form.getByLabel('Mobile phone').fill('+1 555');
    await form.getByRole('button', { name: 'Add and send the invitation' }).click();
    await form.getByRole('alert').filter({ hasText: 'That phone number is not valid. Include the country code.' }).waitFor();
    assert.equal(await form.getByLabel('Name', { exact: true }).inputValue(), 'Lic. Marta Ruiz');

    await form.getByLabel('Mobile phone').fill(responderPhone);
    await form.getByLabel('Language of their SMS').selectOption('es');
    await form.getByRole('button', { name: 'Add and send the invitation' }).click();
    await card.getByText('Lic. Marta Ruiz gets an SMS invitation. Alerts reach them only after they reply YES.').waitFor();
    const row = card.getByTestId('team-responder').filter({ hasText: 'Lic. Marta Ruiz' });
    await row.getByText('waiting for YES').waitFor();
    assert.match((await row.textContent()) ?? '', /lawyer · Español · .*401/);

    await tick();
    const [invitation] = fake.to(responderPhone);
    assert.match(invitation?.body ?? '', /^Red Sur te suma a su red de accion urgente/, 'the invitation names the SMS name, never the team name');
    assert.doesNotMatch(invitation!.body, /Colectiva/);
    const code = /Responde SI ([0-9A-Z]{2,3})\b/.exec(invitation!.body)?.[1];
    assert.ok(code, invitation!.body);

    // The same number twice is refused under the phone field.
    await card.getByRole('button', { name: 'Add a person to the network' }).click();
    await form.getByLabel('Name', { exact: true }).fill('Marta again');
    await form.getByLabel('Role').fill('lawyer');
    await form.getByLabel('Mobile phone').fill(responderPhone);
    await form.getByRole('button', { name: 'Add and send the invitation' }).click();
    await form.getByRole('alert').filter({ hasText: "That number is already in the team's network." }).waitFor();
    await form.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await responders().countDocuments({}), 1);

    // Sent again on request, at most three invitations in all; the refusal shows under her row.
    const again = row.getByRole('button', { name: 'Send the invitation again' });
    const reinvited = () => page.waitForResponse((r) => r.url().endsWith('/invitation') && r.request().method() === 'POST');
    for (const sent of [2, 3]) {
      await Promise.all([reinvited(), again.click()]);
      await tick();
      assert.equal(fake.to(responderPhone).length, sent, `invitation ${sent} texted`);
    }
    await again.click();
    await row.getByRole('alert').filter({ hasText: 'Invited too many times already. Call them or ask in person.' }).waitFor();
    await tick();
    assert.equal(fake.to(responderPhone).length, 3, 'no fourth invitation');

    assert.equal((await fake.inbound(target(), responderPhone, `SI ${code}`)).status, 200);
    assert.equal((await responders().findOne({}))?.state, 'opted_in');
    await card.getByRole('button', { name: 'Refresh' }).click();
    await row.getByText('ready: gets alerts').waitFor();
    assert.equal(await row.getByText('waiting for YES').count(), 0);
    assert.equal(await row.getByRole('button', { name: 'Send the invitation again' }).count(), 0, 'nobody is invited again once she said YES');
    await saveScreenshot(page, 'team-network-roster');
  });

  it('lets a member turn on "after my own tiers, alert my team\'s network" and the service keeps exactly that choice', async () => {
    const { page } = memberPhone;
    const api = new TeamNetworkApi(member.account.api);
    const card = page.getByTestId('team-network-choice');
    await card.getByText('Off: only your own contacts are alerted.').waitFor(CRYPTO_TIMEOUT);
    await card.getByText("Only the team's coordinators see who is in it.", { exact: false }).waitFor();
    await card.getByLabel('Alert the network of').selectOption({ label: 'Colectiva Sur' });
    await card.getByLabel('When').selectOption({ label: 'After my own tiers' });
    await card.getByRole('button', { name: 'Save the choice' }).click();
    await card.getByText('On: Colectiva Sur, after your own tiers.').waitFor();
    assert.deepEqual(await api.myChoice(), { teamId: team.teamId, atTier: null });

    await card.getByLabel('When').selectOption({ label: 'With my tier 2' });
    await card.getByRole('button', { name: 'Save the choice' }).click();
    await card.getByText('On: Colectiva Sur, with your tier 2.').waitFor();
    assert.deepEqual(await api.myChoice(), { teamId: team.teamId, atTier: 2 });

    // Seen again after a reload of the screen: the card shows what the service holds, not what was last typed.
    await page.getByRole('navigation').getByRole('button', { name: 'Teams' }).click();
    await page.getByRole('navigation').getByRole('button', { name: 'Check-in' }).click();
    await card.getByText('On: Colectiva Sur, with your tier 2.').waitFor(CRYPTO_TIMEOUT);
    assert.equal(await card.getByLabel('When').inputValue(), '2');

    await card.getByLabel('Alert the network of').selectOption({ label: 'No team (off)' });
    assert.equal(await card.getByLabel('When').count(), 0, 'no tier to pick when it is off');
    await card.getByRole('button', { name: 'Save the choice' }).click();
    await card.getByText('Off: only your own contacts are alerted.').waitFor();
    assert.equal(await api.myChoice(), null);
    assert.deepEqual(memberPhone.problems, []);
  });

  it('shows a plain member no network card on the team screen, and the service answers her 404 for it', async () => {
    const { page } = memberPhone;
    await openTeam(page);
    await page.getByRole('heading', { name: 'Team log' }).waitFor();
    assert.equal(await page.getByTestId('team-network').count(), 0);
    assert.equal(await page.getByText('Urgent-action network', { exact: true }).count(), 0);
    await assert.rejects(new TeamNetworkApi(member.account.api).get(team.teamId), (error: { status?: number }) => error.status === 404);
    // The coordinator's screen, at the same point, has it: the absence above is not the screen still loading.
    assert.equal(await coordinatorPhone.page.getByTestId('team-network').count(), 1);
  });

  it('fits both cards in 360 px in all seven languages, with no serious accessibility violation', async () => {
    const { page } = coordinatorPhone;
    const card = page.getByTestId('team-network');
    await card.getByRole('button', { name: 'Add a person to the network' }).click();
    await card.getByTestId('add-responder').waitFor();
    await memberPhone.page.getByRole('navigation').getByRole('button', { name: 'Check-in' }).click();
    const choice = memberPhone.page.getByTestId('team-network-choice');
    await choice.waitFor(CRYPTO_TIMEOUT);
    await choice.getByLabel('Alert the network of').selectOption({ label: 'Colectiva Sur' });
    for (const lang of LANGS) {
      for (const [who, screen] of [['coordinator', page], ['member', memberPhone.page]] as const) {
        await screen.locator('#language-select').selectOption(lang);
        await screen.locator(`html[lang="${lang}"]`).waitFor();
        await (who === 'coordinator' ? card : choice).scrollIntoViewIfNeeded();
        assert.deepEqual(await sidewaysOverflow(screen), [], `${who} in ${lang}`);
        await saveScreenshot(screen, `team-network-${who}-${lang}`);
      }
    }
    for (const screen of [page, memberPhone.page]) await screen.locator('#language-select').selectOption('en');
    for (const screen of [page, memberPhone.page]) {
      const violations = await seriousAccessibilityViolations(screen);
      assert.deepEqual(violations, [], describeViolations(violations));
    }
    assert.deepEqual(coordinatorPhone.problems, []);
    assert.deepEqual(memberPhone.problems, []);
  });

  it('removes a responder only after a confirmation that says what removal does', async () => {
    const { page } = coordinatorPhone;
    const card = page.getByTestId('team-network');
    await card.getByRole('button', { name: 'Remove Lic. Marta Ruiz' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText("Remove Lic. Marta Ruiz from the team's network? They get no more SMS from it, not even the next tier of an alert already under way.").waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await responders().countDocuments({}), 1, 'Cancel removes nobody');
    await card.getByRole('button', { name: 'Remove Lic. Marta Ruiz' }).click();
    await dialog.getByRole('button', { name: 'Remove Lic. Marta Ruiz' }).click();
    await card.getByText('Nobody yet.').waitFor();
    assert.equal(await responders().countDocuments({}), 0);
  });
});
