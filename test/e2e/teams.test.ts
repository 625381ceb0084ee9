import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import type { Page } from 'playwright-core';
import { MeshworkClient } from '../../src/client';
import { generateAccountKeys, selfSignedPublicKeys } from '../../src/client/crypto/account-keys';
import { signUp } from '../support/teams';
import { describeViolations, seriousAccessibilityViolations } from './support/axe';
import { browserWorld, openPhone, registerInBrowser, saveScreenshot, type Phone } from './support/browser';

const CRYPTO_TIMEOUT = { timeout: 60_000 };

describe('Teams and the risk-map workshop in a real browser', function () {
  const world = browserWorld();
  let ana: Phone;
  let bea: Phone;

  before(async function () {
    ana = await openPhone(world.browser, world.service.baseUrl);
    bea = await openPhone(world.browser, world.service.baseUrl, { locale: 'en-US' });
    await registerInBrowser(ana.page, 'team-ana', 'ana team password');
    await registerInBrowser(bea.page, 'team-bea', 'bea team password');
  });

  const openTeams = async (page: Page) => {
    await page.getByRole('navigation').getByRole('button', { name: 'Teams' }).click();
    await page.getByRole('heading', { level: 1, name: 'Teams' }).waitFor();
  };

  async function addThreat(page: Page, description: string, likelihood: number, impact: number, vulnerability?: string) {
    await page.getByLabel('What could happen').fill(description);
    await page.getByLabel('Likelihood', { exact: true }).selectOption(String(likelihood));
    await page.getByLabel('Impact', { exact: true }).selectOption(String(impact));
    if (vulnerability) await page.getByRole('checkbox', { name: vulnerability }).check();
    await page.getByRole('button', { name: 'Add the threat' }).click();
  }

  /** Every threat dot lies inside the grid cell of its likelihood and impact. */
  async function assertThreatsInTheirCells(page: Page, expected: Record<string, [number, number]>) {
    const matrix = page.getByTestId('risk-matrix');
    const marks = matrix.locator('[data-threat-id]');
    assert.equal(await marks.count(), Object.keys(expected).length);
    for (let i = 0; i < (await marks.count()); i += 1) {
      const mark = marks.nth(i);
      const title = (await mark.locator('title').textContent()) ?? '';
      const [description, position] = Object.entries(expected).find(([d]) => title.includes(d)) ?? assert.fail(`unexpected threat ${title}`);
      assert.deepEqual([Number(await mark.getAttribute('data-likelihood')), Number(await mark.getAttribute('data-impact'))], position, description);
      const dot = (await mark.locator('circle').boundingBox())!;
      const cell = (await matrix.locator(`[data-cell="${position[0]}-${position[1]}"]`).boundingBox())!;
      const [cx, cy] = [dot.x + dot.width / 2, dot.y + dot.height / 2];
      assert.ok(cx > cell.x && cx < cell.x + cell.width && cy > cell.y && cy < cell.y + cell.height, `${description} is drawn inside cell ${position.join('x')}`);
    }
  }

  it('creates a team, invites a member, compares safety words and admits her', async () => {
    await openTeams(ana.page);
    await ana.page.getByLabel('Team name').fill('Colectiva Luna');
    await ana.page.getByRole('button', { name: 'Create the team' }).click();
    await ana.page.getByRole('heading', { level: 1, name: 'Colectiva Luna' }).waitFor(CRYPTO_TIMEOUT);
    await ana.page.getByLabel('Invite by handle').fill('team-bea');
    await ana.page.getByRole('button', { name: 'Invite', exact: true }).click();
    await ana.page.getByTestId('members').getByText('invited').waitFor();

    await openTeams(bea.page);
    const invitation = bea.page.getByTestId('invitations');
    await invitation.getByText('team-ana invites you to a team.').waitFor();
    const beaWords = await invitation.getByTestId('fingerprint-words').textContent();
    await invitation.getByRole('button', { name: 'Accept' }).click();
    await invitation.waitFor({ state: 'detached' });
    // Accepted, not yet added: the screen says she waits for a coordinator, not that she is in no team.
    await bea.page.getByTestId('accepted-waiting').getByText("You accepted team-ana's invitation. Waiting for a coordinator to add you", { exact: false }).waitFor();
    assert.equal(await bea.page.getByText('You are in no team yet.').count(), 0);

    await ana.page.getByRole('button', { name: 'Compare safety words' }).click();
    const anaWords = await ana.page.getByTestId('fingerprint-words').textContent();
    assert.equal(anaWords?.split(' ').length, 12);
    assert.equal(anaWords, beaWords, 'both phones show the same twelve words');
    await saveScreenshot(ana.page, 'team-fingerprint');
    await ana.page.getByRole('button', { name: 'They match: give access' }).click();
    await ana.page.getByTestId('members').getByText('invited').waitFor({ state: 'detached' });
    assert.deepEqual(ana.problems, []);
  });

  it('shows the team log in the reader’s language: a phone set to Spanish reads each membership change in Spanish', async () => {
    const spanish = await openPhone(world.browser, world.service.baseUrl, { locale: 'es-HN' });
    const { page } = spanish;
    await page.getByLabel('Nombre (tu seudónimo)').fill('team-bea');
    await page.getByLabel('Contraseña', { exact: true }).fill('bea team password');
    await page.getByRole('button', { name: 'Iniciar sesión' }).click();
    await page.getByRole('navigation').getByRole('button', { name: 'Equipos' }).click(CRYPTO_TIMEOUT);
    await page.getByRole('button', { name: 'Colectiva Luna' }).click(CRYPTO_TIMEOUT);
    const log = page.locator('ol.timeline');
    await log.getByText('team-ana creó el equipo').waitFor(CRYPTO_TIMEOUT);
    await log.getByText('team-ana invitó a team-bea').waitFor();
    await log.getByText(/team-ana añadió a team-bea \(generación de clave \d+\)/).waitFor();
    // The client library's English summaries (the CLI's) must not leak onto a Spanish screen.
    assert.doesNotMatch((await log.textContent()) ?? '', /created the team|invited|added/);
    await saveScreenshot(page, 'team-log-es');
    assert.deepEqual(spanish.problems, []);
    await spanish.context.close();
  });

  it('writes a risk map whose matrix places each threat in its cell, and another member reads it', async () => {
    const page = ana.page;
    await page.getByRole('button', { name: 'New risk map' }).click();
    await page.getByLabel('Title').fill('Before the march');
    await page.getByLabel('Who').fill('Municipal police');
    await page.getByRole('button', { name: 'Add the actor' }).click();
    await page.getByLabel('What exposes us').fill('The office door has no lock');
    await page.getByRole('button', { name: 'Add the vulnerability' }).click();
    await addThreat(page, 'Raid on the office', 4, 5, 'The office door has no lock');
    await addThreat(page, 'Online harassment', 2, 3);
    await addThreat(page, 'Phone confiscated', 4, 5);
    await page.getByRole('button', { name: 'Save, encrypted' }).click();
    await page.getByText('Saved as version 1.').waitFor(CRYPTO_TIMEOUT);
    // The raid's likelihood 4 is weighed up to 5 by its vulnerability (src/client/content/risk.ts): it sits in column 5.
    const expected: Record<string, [number, number]> = { 'Raid on the office': [5, 5], 'Online harassment': [2, 3], 'Phone confiscated': [4, 5] };
    await assertThreatsInTheirCells(page, expected);
    assert.equal(await page.locator('[data-threat-id][data-level="critical"]').count(), 2, 'the raid (with a vulnerability) and the confiscation are critical');
    assert.equal(await page.locator('[data-threat-id][data-level="medium"]').count(), 1);
    await page.getByRole('heading', { level: 1 }).scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'risk-map', { fromTop: true });

    await openTeams(bea.page);
    await bea.page.getByRole('button', { name: 'Refresh' }).click();
    await bea.page.getByRole('button', { name: 'Colectiva Luna' }).click(CRYPTO_TIMEOUT);
    await bea.page.getByRole('button', { name: 'Before the march' }).waitFor(CRYPTO_TIMEOUT);
    assert.equal(await bea.page.getByTestId('uncompared-coordinators').count(), 0, 'accepting after comparing recorded the comparison with team-ana');
    await bea.page.getByRole('button', { name: 'Before the march' }).click(CRYPTO_TIMEOUT);
    await bea.page.getByRole('heading', { level: 1, name: 'Before the march' }).waitFor();
    await assertThreatsInTheirCells(bea.page, expected);
    const summary = bea.page.getByTestId('risk-summary');
    assert.match(await summary.locator('tbody tr').first().innerText(), /Raid on the office/, 'the highest risk comes first');
    assert.deepEqual(bea.problems, []);
  });

  it('shows a concurrent save as a merge choice, never a silent overwrite, and keeps both edits when merged', async () => {
    // Bea edits version 1 while Ana saves version 2.
    await addThreat(bea.page, 'Smear campaign in local media', 3, 3);
    await ana.page.getByLabel('Context').fill('A march on 8 March.');
    await ana.page.getByRole('button', { name: 'Save, encrypted' }).click();
    await ana.page.getByText('Saved as version 2.').waitFor(CRYPTO_TIMEOUT);

    await bea.page.getByRole('button', { name: 'Save, encrypted' }).click();
    const conflict = bea.page.getByTestId('conflict');
    await conflict.getByText('team-ana saved version 2. Nothing was overwritten.').waitFor(CRYPTO_TIMEOUT);
    await saveScreenshot(bea.page, 'risk-map-conflict');
    await conflict.getByRole('button', { name: 'Merge: their version plus what I added' }).click();
    await bea.page.getByText('Saved as version 3.').waitFor(CRYPTO_TIMEOUT);
    assert.equal(await bea.page.getByLabel('Context').inputValue(), 'A march on 8 March.', "Ana's context is kept");
    assert.equal(await bea.page.getByTestId('risk-matrix').locator('[data-threat-id]').count(), 4, "Bea's threat is added");

    await bea.page.getByRole('button', { name: 'Show every version' }).click();
    const history = await bea.page.getByTestId('history').innerText();
    assert.match(history, /version 1, saved by team-ana/);
    assert.match(history, /version 2, saved by team-ana/);
    assert.match(history, /version 3, saved by team-bea/);
  });

  it('has no serious accessibility violations on the teams list, the team and the risk-map workshop', async () => {
    let violations = await seriousAccessibilityViolations(bea.page);
    assert.equal(violations.length, 0, describeViolations(violations));
    await bea.page.getByRole('button', { name: 'Back' }).click();
    await bea.page.getByRole('heading', { level: 1, name: 'Colectiva Luna' }).waitFor();
    await saveScreenshot(bea.page, 'team', { fromTop: true });
    violations = await seriousAccessibilityViolations(bea.page);
    assert.equal(violations.length, 0, describeViolations(violations));
    await openTeams(bea.page);
    await saveScreenshot(bea.page, 'teams', { fromTop: true });
    violations = await seriousAccessibilityViolations(bea.page);
    assert.equal(violations.length, 0, describeViolations(violations));
  });

  it('remembers the keys it saw across a lock and an unlock, and warns when the server later shows different ones', async () => {
    const client = await MeshworkClient.connect({ baseUrl: world.service.baseUrl });
    const cora = await signUp(client, 'team-cora');
    const team = await cora.teams.create('Cora collective');
    await team.invite('team-bea');
    await openTeams(bea.page);
    await bea.page.getByTestId('invitations').getByText('team-cora invites you to a team.').waitFor();
    await bea.page.getByTestId('invitations').getByTestId('fingerprint-words').first().waitFor(CRYPTO_TIMEOUT);

    await bea.page.getByRole('button', { name: 'Lock', exact: true }).click();
    await bea.page.getByRole('heading', { level: 1, name: 'Locked' }).waitFor();
    await bea.page.getByLabel('Password', { exact: true }).fill('bea team password');
    await bea.page.getByRole('button', { name: 'Unlock' }).click();
    await bea.page.getByRole('button', { name: 'Lock', exact: true }).waitFor(CRYPTO_TIMEOUT);

    // The server swaps Cora's keys for a validly self-signed pair of its own.
    const accounts = mongoose.connection.db!.collection('accounts');
    const real = await accounts.findOne({ handle: 'team-cora' });
    await accounts.updateOne({ handle: 'team-cora' }, { $set: { publicKeys: selfSignedPublicKeys(client.sodium, 'team-cora', generateAccountKeys(client.sodium)) } });
    try {
      await openTeams(bea.page);
      const warning = bea.page.getByTestId('security-warning');
      await warning.first().waitFor(CRYPTO_TIMEOUT);
      assert.match(await warning.first().innerText(), /the keys for team-cora are not the ones this phone saw before/);
      await saveScreenshot(bea.page, 'teams-key-changed', { fromTop: true });
      const stored = await bea.page.evaluate(`new Promise((resolve) => {
        const open = indexedDB.open('meshwork-trust');
        open.onsuccess = () => { const all = open.result.transaction('records').objectStore('records').getAll(); all.onsuccess = () => resolve(JSON.stringify(all.result)); };
      })`);
      assert.ok(!String(stored).includes('team-cora') && !String(stored).includes(team.teamId), 'the trust store holds neither handles nor team ids in clear');
    } finally {
      await accounts.updateOne({ handle: 'team-cora' }, { $set: { publicKeys: real!.publicKeys } });
    }
  });
});
