import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import type { Browser } from 'playwright-core';
import { CheckInsApi, MeshworkClient, TeamNetworkApi } from '../../src/client';
import { ManualClock } from '../../src/shared/clock';
import { FakeTwilio, TEST_PUBLIC_URL, twilioConfig } from '../support/fake-twilio';
import type { TestService } from '../support/service';
import { signUp, teamOf } from '../support/teams';
import { launchChromium, openPhone, saveScreenshot, signInInBrowser, skipWithoutChromium, startWebService } from './support/browser';

const PHONE_TIME_ZONE = 'America/Mexico_City';

describe("The check-in screen counts her team's urgent-action network", function () {
  let service: TestService;
  let browser: Browser;
  let fake: FakeTwilio;
  let clock: ManualClock;

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

  it("does not say nobody will be alerted when her team's lawyer would be, and shows the lawyer by role at the team's tier", async () => {
    const client = await MeshworkClient.connect({ baseUrl: service.baseUrl });
    const [coordinator, member] = [await signUp(client, 'reach-coord'), await signUp(client, 'reach-member')];
    const team = await teamOf('Reach collective', coordinator, [member]);
    const network = new TeamNetworkApi(coordinator.account.api);
    await network.setSmsName(team.teamId, 'Red Sur');
    const lawyerPhone = '+447400127001';
    await network.add(team.teamId, { name: 'Lic. Marta Ruiz', phone: lawyerPhone, language: 'en', role: 'lawyer' });
    await service.services.scheduler.tick();
    const ref = /YES ([0-9A-Z]{2,3})\b/.exec(fake.to(lawyerPhone).at(-1)!.body)![1]!;
    assert.equal((await fake.inbound({ baseUrl: service.baseUrl, publicUrl: TEST_PUBLIC_URL }, lawyerPhone, `YES ${ref}`)).status, 200);
    await new CheckInsApi(member.account.api).setProfile({ displayName: 'Ana', timeZone: PHONE_TIME_ZONE, language: 'en', pin: '2468', duressPin: '1357' });
    await new TeamNetworkApi(member.account.api).choose({ teamId: team.teamId, atTier: null });

    const phone = await openPhone(browser, service.baseUrl);
    const { page } = phone;
    await signInInBrowser(page, 'reach-member', 'password of reach-member');
    await page.getByRole('button', { name: 'Schedule a check-in' }).click();
    const due = DateTime.fromJSDate(new Date(clock.now().getTime() + 2 * 3600_000)).setZone(PHONE_TIME_ZONE);
    await page.getByLabel('Check in by').fill(due.toFormat("yyyy-MM-dd'T'HH:mm"));
    await page.getByLabel('Message for your contacts if you do not check in').fill('Call the collective.');
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    const preview = page.getByTestId('alert-preview');
    await preview.getByText('+ 1 responder of Red Sur at tier 1').waitFor();
    await preview.getByText('1. lawyer, Red Sur (tier 1)').waitFor();
    assert.match((await preview.getByLabel('The text the lawyer of Red Sur will receive').textContent()) ?? '', /^MESHWORK ALERT: Ana did not check in .* Reply ACK 4K/);
    assert.equal(await preview.getByText(/Nobody will be alerted|Marta/).count(), 0);
    await preview.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'checkin-preview-team-network');
    await page.getByRole('button', { name: 'Confirm and schedule' }).click();
    const card = page.getByTestId('next-deadline');
    await card.getByTestId('team-reach').getByText('+ 1 responder of Red Sur at tier 1').waitFor();
    assert.equal(await card.getByText(/Nobody will be alerted/).count(), 0, 'no false alarm');
    assert.deepEqual(phone.problems, []);
    await phone.context.close();
  });
});
