import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import type { Page } from 'playwright-core';
import { describeViolations, seriousAccessibilityViolations } from './support/axe';
import { browserWorld, describeFailure, NEUTRAL_URL, openPhone, registerInBrowser, saveScreenshot, type Phone } from './support/browser';

const CRYPTO_TIMEOUT = { timeout: 60_000 };
const TEAM = 'Colectiva del Valle';
const PAST_REVIEW = '2024-01-15';
const FUTURE_REVIEW = `${new Date().getFullYear() + 1}-06-30`;

describe('The security plan, the incident log and restoring versions in a real browser', function () {
  const world = browserWorld();
  let ana: Phone;
  let bea: Phone;

  const openTeams = async (page: Page) => {
    await page.getByRole('navigation').getByRole('button', { name: 'Teams' }).click();
    await page.getByRole('heading', { level: 1, name: 'Teams' }).waitFor();
  };
  const openTeam = async (page: Page) => {
    await openTeams(page);
    await page.getByRole('button', { name: TEAM }).click(CRYPTO_TIMEOUT);
    await page.getByRole('heading', { level: 1, name: TEAM }).waitFor(CRYPTO_TIMEOUT);
  };
  /** A saved plan opens read-only; `edit` goes on to the editor, as most of these tests need. */
  const openPlan = async (page: Page, title: string, { edit = true } = {}) => {
    await page.getByTestId('security-plans').getByRole('button', { name: title }).click(CRYPTO_TIMEOUT);
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.getByTestId('plan-view').waitFor();
    if (edit) await page.getByRole('button', { name: 'Edit the plan' }).click();
    if (edit) await page.getByRole('button', { name: 'Save, encrypted' }).waitFor();
  };
  const teamIds = async () => (await mongoose.connection.db!.collection('teams').find({}, { projection: { _id: 1 } }).toArray()).map((team) => String(team._id));
  const assertNoSeriousViolations = async (page: Page) => {
    const violations = await seriousAccessibilityViolations(page);
    assert.equal(violations.length, 0, describeViolations(violations));
  };

  before(async function () {
    ana = await openPhone(world.browser, world.service.baseUrl);
    bea = await openPhone(world.browser, world.service.baseUrl, { locale: 'en-US' });
    await registerInBrowser(ana.page, 'plan-ana', 'ana plan password');
    await registerInBrowser(bea.page, 'plan-bea', 'bea plan password');

    // Ana coordinates a team of two.
    await openTeams(ana.page);
    await ana.page.getByLabel('Team name').fill(TEAM);
    await ana.page.getByRole('button', { name: 'Create the team' }).click();
    await ana.page.getByRole('heading', { level: 1, name: TEAM }).waitFor(CRYPTO_TIMEOUT);
    await ana.page.getByLabel('Invite by handle').fill('plan-bea');
    await ana.page.getByRole('button', { name: 'Invite', exact: true }).click();
    await ana.page.getByTestId('members').getByText('invited').waitFor();
    await openTeams(bea.page);
    await bea.page.getByTestId('invitations').getByRole('button', { name: 'Accept' }).click();
    await bea.page.getByTestId('invitations').waitFor({ state: 'detached' });
    await ana.page.getByRole('button', { name: 'Compare safety words' }).click();
    await ana.page.getByRole('button', { name: 'They match: give access' }).click();
    await ana.page.getByTestId('members').getByText('invited').waitFor({ state: 'detached' });
  });
  afterEach(async function () {
    // A timeout alone says nothing; say what each phone showed (a save refused, an error on screen).
    if (this.currentTest?.state !== 'failed') return;
    for (const [name, phone] of [['ana', ana], ['bea', bea]] as const) if (phone) console.error(await describeFailure(name, phone));
  });

  it('a coordinator writes a security plan and a second member reads it', async () => {
    const page = ana.page;
    await page.getByRole('button', { name: 'New security plan' }).click();
    await page.getByLabel('Title', { exact: true }).fill('Plan of the valley');
    await page.getByLabel('Review on').fill(FUTURE_REVIEW);

    await page.getByRole('button', { name: 'Add a protocol' }).click();
    const detention = page.getByTestId('protocol').nth(0);
    assert.equal(await detention.getByLabel('Name of the protocol').inputValue(), 'Detention', 'a new protocol is named after its situation');
    await detention.getByLabel('Name of the protocol').fill('If one of us is detained');
    await detention.getByLabel('Preventive measures').fill('Never go to a protest alone\nCarry the lawyer’s number on paper');
    await detention.getByLabel('Steps when it happens').fill('Call Lucia\nTwo of us go to the police station');
    await detention.getByLabel('Who leads it').fill('Rosa, Itzel');
    await page.getByLabel('Situation for a new protocol').selectOption('online-attack');
    await page.getByRole('button', { name: 'Add a protocol' }).click();
    await page.getByTestId('protocol').nth(1).getByLabel('Steps when it happens').fill('Screenshot before reporting');

    const contacts = page.getByTestId('emergency-contacts');
    await contacts.getByLabel('Name', { exact: true }).fill('Lucia');
    await contacts.getByLabel('Role (optional)').fill('Lawyer of the network');
    await contacts.getByRole('button', { name: 'Add the contact' }).click();
    await contacts.getByLabel('Name', { exact: true }).fill('National network');
    await contacts.getByRole('button', { name: 'Add the contact' }).click();

    await page.getByLabel('When it starts').fill('A member is detained or disappears');
    await page.getByLabel('Immediate steps').fill('Confirm the facts with two people\nCall the lawyer');
    await page.getByRole('checkbox', { name: 'Lucia' }).check();
    await page.getByLabel('Heart', { exact: true }).fill('Monthly circle to talk about fear');
    await page.getByLabel('Mind', { exact: true }).fill('Rotate the spokesperson role');
    await page.getByLabel('Body', { exact: true }).fill('Walk together on Sundays');
    await page.getByRole('button', { name: 'Save, encrypted' }).click();
    await page.getByText('Saved as version 1.').waitFor(CRYPTO_TIMEOUT);
    assert.equal(await page.getByTestId('review-reminder').count(), 0, 'no reminder before the review date');
    await saveScreenshot(page, 'security-plan', { fromTop: true });
    await detention.evaluate((element) => element.scrollIntoView());
    await saveScreenshot(page, 'security-plan-protocol');
    await page.getByRole('heading', { name: 'Urgent action plan' }).evaluate((element) => element.scrollIntoView());
    await saveScreenshot(page, 'security-plan-urgent-action');

    await openTeam(bea.page);
    await openPlan(bea.page, 'Plan of the valley', { edit: false });
    // Read-only, urgent action plan first: what sets it off, what to do at once, whom to alert.
    const view = bea.page.getByTestId('plan-view');
    assert.equal(await view.locator('input, textarea, select').count(), 0, 'nothing on the read-only view can be changed by a stray tap');
    const headings = await view.locator('h2').allInnerTexts();
    assert.equal(headings[0], 'Urgent action plan', `the urgent action plan comes first (${headings.join(', ')})`);
    const urgent = bea.page.getByTestId('urgent-plan');
    assert.match(await urgent.innerText(), /When it starts: A member is detained or disappears/);
    assert.deepEqual(await urgent.locator('ol li').allInnerTexts(), ['Confirm the facts with two people', 'Call the lawyer']);
    assert.deepEqual(await bea.page.getByTestId('plan-alert').locator('li').allInnerTexts(), ['Lucia · Lawyer of the network'], 'only the contact chosen for alerts, with her role');
    const protocols = bea.page.getByTestId('protocol-view');
    assert.deepEqual(await protocols.locator('h3').allInnerTexts(), ['If one of us is detained', 'Online attack']);
    assert.deepEqual(await protocols.nth(0).locator('ol li').allInnerTexts(), ['Call Lucia', 'Two of us go to the police station']);
    await view.getByText('Walk together on Sundays').waitFor();
    await saveScreenshot(bea.page, 'security-plan-read', { fromTop: true });
    // A protocol still named after its situation reads in the reader's language; one she named keeps its name.
    await bea.page.locator('#language-select').selectOption('es');
    await bea.page.locator('html[lang="es"]').waitFor();
    assert.deepEqual(await protocols.locator('h3').allInnerTexts(), ['If one of us is detained', 'Ataque en línea']);
    await bea.page.locator('#language-select').selectOption('en');
    await bea.page.getByRole('button', { name: 'Edit the plan' }).click();
    const read = bea.page.getByTestId('protocol');
    assert.equal(await read.count(), 2);
    assert.equal(await read.nth(0).getByLabel('Name of the protocol').inputValue(), 'If one of us is detained');
    assert.equal(await read.nth(0).getByLabel('Steps when it happens').inputValue(), 'Call Lucia\nTwo of us go to the police station');
    assert.equal(await read.nth(0).getByLabel('Who leads it').inputValue(), 'Rosa, Itzel');
    assert.equal(await read.nth(1).getByLabel('Situation', { exact: true }).inputValue(), 'online-attack');
    assert.equal(await read.nth(1).getByLabel('Name of the protocol').inputValue(), 'Online attack');
    await bea.page.getByTestId('emergency-contacts').getByText('Lawyer of the network').waitFor();
    assert.equal(await bea.page.getByRole('checkbox', { name: 'Lucia' }).isChecked(), true);
    assert.equal(await bea.page.getByRole('checkbox', { name: 'National network' }).isChecked(), false);
    assert.equal(await bea.page.getByLabel('Body', { exact: true }).inputValue(), 'Walk together on Sundays');
    assert.equal(await bea.page.getByLabel('Review on').inputValue(), FUTURE_REVIEW);
    assert.deepEqual(ana.problems, []);
    assert.deepEqual(bea.problems, []);
  });

  it('shows a reminder once the review date has passed, on the plan and on the team screen, to every member', async () => {
    await ana.page.getByLabel('Review on').fill(PAST_REVIEW);
    await ana.page.getByTestId('review-reminder').waitFor();
    await ana.page.getByRole('button', { name: 'Save, encrypted' }).click();
    await ana.page.getByText('Saved as version 2.').waitFor(CRYPTO_TIMEOUT);
    assert.match(await ana.page.getByTestId('review-reminder').innerText(), /The review date \(15 January 2024\) has passed\./);
    await ana.page.getByRole('heading', { level: 1 }).scrollIntoViewIfNeeded();
    await saveScreenshot(ana.page, 'security-plan-review-passed', { fromTop: true });

    await bea.page.getByRole('button', { name: 'Back' }).click();
    await bea.page.getByRole('heading', { level: 1, name: TEAM }).waitFor();
    const card = bea.page.getByTestId('security-plans');
    await card.getByTestId('review-reminder').waitFor(CRYPTO_TIMEOUT);
    assert.match(await card.getByTestId('review-reminder').innerText(), /January 15, 2024\) has passed/, 'in her own locale');
    await openPlan(bea.page, 'Plan of the valley');
    await bea.page.getByTestId('review-reminder').waitFor();
  });

  it('restores version 1 of the plan as version 3, keeping every version', async () => {
    const page = bea.page;
    await page.getByRole('button', { name: 'Show every version' }).click();
    const history = page.getByTestId('history');
    await history.getByText('version 2, saved by plan-ana').waitFor(CRYPTO_TIMEOUT);
    assert.equal(await history.getByRole('button', { name: 'Restore version 2' }).count(), 0, 'the current version has nothing to restore');
    await history.getByRole('button', { name: 'Restore version 1' }).click();
    await page.getByText('Version 1 restored as version 3. Earlier versions are kept.').waitFor(CRYPTO_TIMEOUT);
    await history.getByText('version 3, saved by plan-bea').waitFor(CRYPTO_TIMEOUT);
    const versions = await history.locator('li').allInnerTexts();
    assert.equal(versions.length, 3, 'history is never rewritten');
    assert.equal(await page.getByLabel('Review on').inputValue(), FUTURE_REVIEW, "version 1's review date is back");
    assert.equal(await page.getByTestId('review-reminder').count(), 0);
    await saveScreenshot(page, 'security-plan-history');

    // Ana, still on version 2, reopens the plan and reads version 1's content as version 3.
    await ana.page.getByRole('button', { name: 'Back' }).click();
    await openPlan(ana.page, 'Plan of the valley');
    assert.equal(await ana.page.getByLabel('Review on').inputValue(), FUTURE_REVIEW);
    assert.equal(await ana.page.getByTestId('protocol').nth(0).getByLabel('Name of the protocol').inputValue(), 'If one of us is detained');
    await ana.page.getByRole('button', { name: 'Show every version' }).click();
    await ana.page.getByTestId('history').getByText('version 3, saved by plan-bea').waitFor(CRYPTO_TIMEOUT);
    assert.deepEqual(ana.problems, []);
    assert.deepEqual(bea.problems, []);
  });

  it('restores version 1 of a risk map as version 3', async () => {
    const page = ana.page;
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByRole('button', { name: 'New risk map' }).click();
    await page.getByLabel('Title', { exact: true }).fill('Before the hearing');
    await page.getByRole('button', { name: 'Save, encrypted' }).click();
    await page.getByText('Saved as version 1.').waitFor(CRYPTO_TIMEOUT);
    await page.getByLabel('Title', { exact: true }).fill('After the hearing');
    await page.getByRole('button', { name: 'Save, encrypted' }).click();
    await page.getByText('Saved as version 2.').waitFor(CRYPTO_TIMEOUT);
    await page.getByRole('button', { name: 'Show every version' }).click();
    await page.getByTestId('history').getByRole('button', { name: 'Restore version 1' }).click();
    await page.getByText('Version 1 restored as version 3. Earlier versions are kept.').waitFor(CRYPTO_TIMEOUT);
    assert.equal(await page.getByLabel('Title', { exact: true }).inputValue(), 'Before the hearing');
    await page.getByTestId('history').getByText('version 3, saved by plan-ana').waitFor(CRYPTO_TIMEOUT);
    assert.equal(await page.getByTestId('history').locator('li').count(), 3);
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByRole('heading', { level: 1, name: TEAM }).waitFor();
  });

  it('lists an incident one member records for another, newest first by when it happened', async () => {
    await bea.page.getByRole('button', { name: 'Back' }).click();
    await bea.page.getByRole('button', { name: 'Open the incident log' }).click();
    await bea.page.getByRole('heading', { level: 1, name: 'Incident log' }).waitFor();
    await bea.page.getByText('No incidents recorded.').waitFor(CRYPTO_TIMEOUT);
    await bea.page.getByRole('button', { name: 'Record an incident' }).click();
    const form = bea.page.getByTestId('incident-form');
    await form.getByLabel('When').fill('2025-03-08T10:30');
    await form.getByLabel('Where (optional)').fill('Outside the town hall');
    await form.getByLabel('What happened').fill('Two men photographed us during the assembly');
    await form.getByLabel('Who was involved').fill('Municipal police, a private guard');
    await form.getByLabel('Follow-up', { exact: true }).fill('Told the network; Lucia filed a complaint');
    await saveScreenshot(bea.page, 'incident-form');
    await form.getByRole('button', { name: 'Add to the log, encrypted' }).click();
    await bea.page.getByText('Added to the log, encrypted.').waitFor(CRYPTO_TIMEOUT);

    // Ana writes hers later, about something that happened earlier.
    await ana.page.getByRole('button', { name: 'Open the incident log' }).click();
    const anaLog = ana.page.getByTestId('incidents');
    await anaLog.getByText('Two men photographed us during the assembly').waitFor(CRYPTO_TIMEOUT);
    const entry = await anaLog.locator('li').first().innerText();
    assert.match(entry, /Outside the town hall/);
    assert.match(entry, /Who was involved: Municipal police, a private guard/);
    assert.match(entry, /Follow-up: Told the network; Lucia filed a complaint/);
    assert.match(entry, /written by plan-bea/);
    assert.match(entry, /8 Mar/, 'when it happened, in her own language and time zone');
    await ana.page.getByRole('button', { name: 'Record an incident' }).click();
    await ana.page.getByTestId('incident-form').getByLabel('When').fill('2025-02-20T19:00');
    await ana.page.getByTestId('incident-form').getByLabel('What happened').fill('Threatening call to the office');
    await ana.page.getByRole('button', { name: 'Add to the log, encrypted' }).click();
    await ana.page.getByText('Added to the log, encrypted.').waitFor(CRYPTO_TIMEOUT);
    await anaLog.getByText('Threatening call to the office').waitFor();
    const listed = await anaLog.locator('li .incident-what').allInnerTexts();
    assert.deepEqual(listed, ['Two men photographed us during the assembly', 'Threatening call to the office']);
    await saveScreenshot(ana.page, 'incident-log', { fromTop: true });
    assert.deepEqual(ana.problems, []);
    assert.deepEqual(bea.problems, []);
  });

  it('has no serious accessibility violations on the plan, the team screen and the incident log', async () => {
    await assertNoSeriousViolations(ana.page);
    await ana.page.getByRole('button', { name: 'Back' }).click();
    await ana.page.getByRole('heading', { level: 1, name: TEAM }).waitFor();
    await assertNoSeriousViolations(ana.page);
    await openPlan(ana.page, 'Plan of the valley', { edit: false });
    await assertNoSeriousViolations(ana.page);
    await ana.page.getByRole('button', { name: 'Edit the plan' }).click();
    await ana.page.getByRole('button', { name: 'Show every version' }).click();
    await ana.page.getByTestId('history').waitFor(CRYPTO_TIMEOUT);
    await assertNoSeriousViolations(ana.page);
    // The plan whose review date has passed, as a member reads it.
    await bea.page.getByRole('button', { name: 'Back' }).click();
    await openPlan(bea.page, 'Plan of the valley');
    await bea.page.getByLabel('Review on').fill(PAST_REVIEW);
    await bea.page.getByTestId('review-reminder').waitFor();
    await assertNoSeriousViolations(bea.page);
  });

  it('shows a concurrent save of the plan as a merge choice, never a silent overwrite, and keeps both edits when merged', async () => {
    // Bea (still on version 3, review date changed above) adds a contact while Ana saves version 4.
    const contacts = bea.page.getByTestId('emergency-contacts');
    await contacts.getByLabel('Name', { exact: true }).fill('Father Tomas');
    await contacts.getByLabel('Name', { exact: true }).press('Enter');
    await contacts.getByText('Father Tomas', { exact: true }).waitFor();
    assert.equal(await bea.page.getByText(/Saved as version/).count(), 0, 'Enter in a contact field adds the contact, it does not save the plan');
    await ana.page.getByLabel('Heart', { exact: true }).fill('Monthly circle to talk about fear\nCelebrate each small victory');
    await ana.page.getByRole('button', { name: 'Save, encrypted' }).click();
    await ana.page.getByText('Saved as version 4.').waitFor(CRYPTO_TIMEOUT);

    await bea.page.getByRole('button', { name: 'Save, encrypted' }).click();
    const conflict = bea.page.getByTestId('conflict');
    await conflict.getByText('plan-ana saved version 4. Nothing was overwritten.').waitFor(CRYPTO_TIMEOUT);
    assert.equal(await conflict.evaluate((element) => element === element.ownerDocument.activeElement), true, 'the choice takes focus');
    await saveScreenshot(bea.page, 'security-plan-conflict');
    await conflict.getByRole('button', { name: 'Merge: their version plus what I added' }).click();
    await bea.page.getByText('Saved as version 5.').waitFor(CRYPTO_TIMEOUT);
    assert.equal(await bea.page.getByLabel('Heart', { exact: true }).inputValue(), 'Monthly circle to talk about fear\nCelebrate each small victory', "Ana's practice is kept");
    await bea.page.getByTestId('emergency-contacts').getByText('Father Tomas', { exact: true }).waitFor();
    assert.equal(await bea.page.getByLabel('Review on').inputValue(), FUTURE_REVIEW, "their review date wins a merge");
    assert.deepEqual(ana.problems, []);
    assert.deepEqual(bea.problems, []);
  });

  it('renders the plan and the incident log in Spanish, Portuguese and French without a missing string, 360 px wide', async () => {
    const page = bea.page;
    const language = page.locator('#language-select');
    const assertEveryString = async (screen: string) => {
      for (const lang of ['es', 'pt', 'fr', 'en']) {
        await language.selectOption(lang);
        await page.locator(`html[lang="${lang}"]`).waitFor();
        const text = await page.locator('body').innerText();
        assert.doesNotMatch(text, /⟦/, `${screen} in ${lang}: ${text.match(/⟦[^⟧]*⟧/g)?.join(', ')}`);
        const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
        assert.equal(overflow, 0, `${screen} in ${lang} fits 360 px without scrolling sideways`);
      }
    };
    await page.getByRole('button', { name: 'Show every version' }).click();
    await page.getByTestId('history').waitFor(CRYPTO_TIMEOUT);
    // The date field itself follows the browser's locale; its hint says the date again in the app's language.
    await language.selectOption('es');
    await page.locator('html[lang="es"]').waitFor();
    assert.match(await page.getByText(/^Se lee:/).first().innerText(), new RegExp(`^Se lee: 30 de junio de ${FUTURE_REVIEW.slice(0, 4)}\\.`));
    await language.selectOption('en');
    await page.getByText(/^Reads: June 30, \d{4}\./).first().waitFor(); // bea reads en-US
    await assertEveryString('the security plan');
    await page.getByRole('button', { name: 'Back' }).click();
    await assertEveryString('the team screen');
    await page.getByRole('button', { name: 'Open the incident log' }).click();
    await page.getByTestId('incidents').waitFor(CRYPTO_TIMEOUT);
    await page.getByRole('button', { name: 'Record an incident' }).click();
    await assertEveryString('the incident log');
    assert.deepEqual(bea.problems, []);
  });
  it('shows an unknown handle, when inviting, right under the handle field, and changes nothing', async () => {
    const page = ana.page;
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByRole('heading', { level: 1, name: TEAM }).waitFor();
    const logEntries = () => mongoose.connection.db!.collection('teamlogentries').countDocuments({});
    const before = await logEntries();
    const field = page.getByLabel('Invite by handle');
    await field.fill('plan-nobody');
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    const message = page.getByTestId('members').getByRole('alert').filter({ hasText: 'Nobody has the handle “plan-nobody”.' });
    await message.waitFor(CRYPTO_TIMEOUT);
    const fieldBox = (await field.boundingBox())!;
    const messageBox = (await message.boundingBox())!;
    assert.ok(messageBox.y > fieldBox.y && messageBox.y - (fieldBox.y + fieldBox.height) < 48, `the message sits under the field (${messageBox.y - fieldBox.y - fieldBox.height} px below)`);
    await message.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'invite-unknown-handle');
    assert.equal(await logEntries(), before, 'no invitation was written');
    await field.fill('');
    assert.equal(await message.count(), 0, 'typing again clears it');
  });

  it('places each threat in the cell of its level, numbered in the order entered, in the colours of the legend, and moves it when a severity changes', async () => {
    const page = ana.page;
    await page.getByRole('button', { name: 'New risk map' }).click();
    await page.getByLabel('Title', { exact: true }).fill('The march in May');
    await page.getByLabel('What exposes us').fill('We walk home alone');
    await page.getByLabel('How much it exposes us', { exact: true }).selectOption({ label: '3 · a lot' });
    await page.getByRole('button', { name: 'Add the vulnerability' }).click();
    await page.getByLabel('What protects us').fill('A lawyer on call');
    await page.getByLabel('How much it protects us', { exact: true }).selectOption({ label: '3 · a lot' });
    await page.getByRole('button', { name: 'Add the capacity' }).click();
    const addThreat = async (description: string, likelihood: number, impact: number, link?: string) => {
      await page.getByLabel('What could happen').fill(description);
      await page.getByLabel('Likelihood', { exact: true }).selectOption(String(likelihood));
      await page.getByLabel('Impact', { exact: true }).selectOption(String(impact));
      if (link) await page.getByRole('checkbox', { name: link }).check();
      await page.getByRole('button', { name: 'Add the threat' }).click();
    };
    await addThreat('Detention at the march', 3, 5, 'We walk home alone');
    await addThreat('Office raid', 4, 4, 'A lawyer on call');
    await addThreat('Online smear', 2, 2);
    await addThreat('Followed home', 3, 4);

    const legend = page.getByTestId('risk-legend');
    const legendColours = async (level: string) => ({
      cell: await legend.locator(`li[data-level="${level}"] rect`).getAttribute('fill'),
      dot: await legend.locator(`li[data-level="${level}"] circle`).getAttribute('fill'),
    });
    /** [number, column, row, level, score] per threat, each checked against its cell, the legend and the summary. */
    const assertConsistent = async (expected: [number, number, number, string, number][]) => {
      const matrix = page.getByTestId('risk-matrix');
      const marks = matrix.locator('[data-threat-id]');
      assert.equal(await marks.count(), expected.length);
      for (const [number, column, row, level, score] of expected) {
        const mark = matrix.locator(`[data-number="${number}"]`);
        assert.equal(await mark.locator('text').textContent(), String(number), 'the dot shows the number it was entered with');
        assert.deepEqual([Number(await mark.getAttribute('data-likelihood')), Number(await mark.getAttribute('data-impact')), await mark.getAttribute('data-level')], [column, row, level], `threat ${number}`);
        const cell = matrix.locator(`[data-cell="${column}-${row}"]`);
        const dot = (await mark.locator('circle').boundingBox())!;
        const box = (await cell.boundingBox())!;
        const [cx, cy] = [dot.x + dot.width / 2, dot.y + dot.height / 2];
        assert.ok(cx > box.x && cx < box.x + box.width && cy > box.y && cy < box.y + box.height, `threat ${number} is drawn inside cell ${column}-${row}`);
        const colours = await legendColours(level);
        assert.equal(await cell.getAttribute('fill'), colours.cell, `the cell of threat ${number} has the legend's colour for ${level}`);
        assert.equal(await mark.locator('circle').getAttribute('fill'), colours.dot, `the dot of threat ${number} has the legend's colour for ${level}`);
        const summaryRow = page.getByTestId('risk-summary').locator('tbody tr').filter({ has: page.locator(`td:first-child:text-is("${number}")`) });
        assert.equal(await summaryRow.getAttribute('data-level'), level);
        assert.match(await summaryRow.innerText(), new RegExp(`${level} \\(score ${score} of 25\\)`));
      }
    };
    // Likelihood 3 x (3 + 3) / 3 = 6, kept at 5: 5 x 5 = 25. Likelihood 4 x 3 / (3 + 3) = 2: 2 x 4 = 8.
    await assertConsistent([[1, 5, 5, 'critical', 25], [2, 2, 4, 'medium', 8], [3, 2, 2, 'low', 4], [4, 3, 4, 'high', 12]]);
    assert.match(await legend.innerText(), /critical: score 20–25 \(1\)[\s\S]*high: score 12–19 \(1\)[\s\S]*medium: score 6–11 \(1\)[\s\S]*low: score 1–5 \(1\)/);
    assert.deepEqual(await page.getByTestId('risk-summary').locator('tbody tr td:first-child').allInnerTexts(), ['1', '4', '2', '3'], 'highest risk first, each with its own number');
    await page.getByRole('heading', { level: 1 }).scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'risk-matrix-legend', { fromTop: true });

    // The team judges the vulnerability milder: 3 x 4 / 3 = 4, so the detention moves to 4 x 5 = 20, still critical.
    await page.getByLabel('How much “We walk home alone” exposes us').selectOption({ label: '1 · a little' });
    await assertConsistent([[1, 4, 5, 'critical', 20], [2, 2, 4, 'medium', 8], [3, 2, 2, 'low', 4], [4, 3, 4, 'high', 12]]);
    await page.getByRole('button', { name: 'Save the map, encrypted' }).click();
    await page.getByText('Saved as version 1.').waitFor(CRYPTO_TIMEOUT);
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByRole('button', { name: 'The march in May' }).click(CRYPTO_TIMEOUT);
    assert.equal(await page.getByLabel('How much “We walk home alone” exposes us').inputValue(), '1', 'the severity is saved with the map');
    await assertConsistent([[1, 4, 5, 'critical', 20], [2, 2, 4, 'medium', 8], [3, 2, 2, 'low', 4], [4, 3, 4, 'high', 12]]);
    assert.deepEqual(ana.problems, []);
  });

  it('asks before leaving an edited plan, keeps the draft sealed through auto-lock, offers it back after unlocking, and quick exit erases it', async () => {
    const cora = await openPhone(world.browser, world.service.baseUrl);
    const { page } = cora;
    await page.clock.install();
    await page.reload();
    await registerInBrowser(page, 'plan-cora', 'cora plan password');
    await openTeams(page);
    const teamsBefore = await teamIds();
    await page.getByLabel('Team name').fill('Red de Cora');
    await page.getByRole('button', { name: 'Create the team' }).click();
    await page.getByRole('heading', { level: 1, name: 'Red de Cora' }).waitFor(CRYPTO_TIMEOUT);
    const [teamId] = (await teamIds()).filter((id) => !teamsBefore.includes(id));
    assert.ok(teamId, 'the team exists');
    await page.getByRole('button', { name: 'New security plan' }).click();
    await page.getByLabel('Title', { exact: true }).fill('Plan for the border trip');
    await page.getByLabel('When it starts').fill('Cora does not answer for 2 hours near Tapachula');
    await page.getByLabel('Immediate steps').fill('Call the shelter');

    // A tab change and Back both ask, in a page dialog that carries its own Exit; keeping on editing loses nothing.
    await page.getByRole('navigation').getByRole('button', { name: 'Check-in' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('You have unsaved changes here. Leave and lose them?').waitFor();
    assert.equal(await dialog.getByRole('button', { name: 'Exit' }).isVisible(), true, 'the dialog has its own Exit');
    await saveScreenshot(page, 'draft-leave-question');
    await dialog.getByRole('button', { name: 'Keep editing' }).click();
    await page.getByRole('button', { name: 'Back' }).click();
    await dialog.getByRole('button', { name: 'Keep editing' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.getByLabel('When it starts').inputValue(), 'Cora does not answer for 2 hours near Tapachula');

    // Auto-lock comes: the draft is kept, but only as ciphertext that names neither the plan nor the team.
    await page.clock.fastForward('05:10');
    await page.getByRole('heading', { level: 1, name: 'Locked' }).waitFor();
    const stored = (await page.evaluate('JSON.stringify(Object.entries(localStorage))')) as string;
    assert.match(stored, /mw\.sealed/, 'a sealed draft is kept');
    for (const clear of ['Tapachula', 'border trip', 'shelter', teamId, 'security-plan']) assert.ok(!stored.includes(clear), `"${clear}" is not readable in storage`);

    await page.getByLabel('Password', { exact: true }).fill('cora plan password');
    await page.getByRole('button', { name: 'Unlock' }).click();
    const kept = page.getByTestId('kept-draft');
    await kept.getByText(/You have an unsaved draft from .*: Plan for the border trip\./).waitFor(CRYPTO_TIMEOUT);
    await saveScreenshot(page, 'draft-offered-back', { fromTop: true });
    await kept.getByRole('button', { name: 'Restore the draft' }).click();
    await page.getByRole('heading', { level: 1, name: 'Plan for the border trip' }).waitFor(CRYPTO_TIMEOUT);
    assert.equal(await page.getByLabel('When it starts').inputValue(), 'Cora does not answer for 2 hours near Tapachula');
    assert.equal(await page.getByLabel('Immediate steps').inputValue(), 'Call the shelter');
    assert.equal(await page.evaluate(`localStorage.getItem('mw.sealed')`), null, 'a restored draft is no longer kept twice');
    // Save at the top of the plan too, with its confirmation beside it.
    await page.getByRole('button', { name: 'Save the plan, encrypted' }).click();
    await page.getByText('Saved as version 1.').waitFor(CRYPTO_TIMEOUT);

    // Edited again and locked again; then quick exit from the lock screen leaves nothing of the draft behind.
    await page.getByLabel('Immediate steps').fill('Call the shelter\nCall the consulate');
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Locked' }).waitFor();
    assert.notEqual(await page.evaluate(`localStorage.getItem('mw.sealed')`), null, 'the Lock button keeps the draft sealed too');
    await page.getByRole('button', { name: 'Exit' }).click();
    await page.waitForURL(NEUTRAL_URL);
    const after = await cora.context.newPage();
    await after.goto(world.service.baseUrl);
    assert.equal(await after.evaluate('localStorage.length'), 0, 'quick exit erased the sealed draft');
    assert.deepEqual(cora.problems, []);
    await cora.context.close();
  });
});
