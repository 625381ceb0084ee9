import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import mongoose from 'mongoose';
import type { Page } from 'playwright-core';
import { openDuress } from '../../src/alerts/alert-secrets';
import { CheckInsApi, ContactsApi, MeshworkClient } from '../../src/client';
import { FAKE_FROM } from '../support/fake-twilio';
import { describeViolations, seriousAccessibilityViolations } from './support/axe';
import { NEUTRAL_URL, browserWorld, fillProfileForm, openPhone, registerInBrowser, saveScreenshot, signInInBrowser } from './support/browser';

const PIN = '2468';
const DURESS_PIN = '1357';
const PHONE_TIME_ZONE = 'America/Mexico_City';

describe('Check-in screen in a real browser', function () {
  const world = browserWorld({ sms: true, config: { ESCALATION_REPEATS: 0 } });
  const { clock, fake, target, tick } = world;
  let phoneCounter = 200;
  const newPhoneNumber = () => `+447400123${String((phoneCounter += 1)).padStart(3, '0')}`;

  async function setUpProfile(page: Page, timeZone?: string) {
    await fillProfileForm(page, { pin: PIN, duressPin: DURESS_PIN, timeZone });
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

  /** Due two hours after the service's (manual) clock, typed as her profile zone's wall time (the phone's too, here). */
  async function scheduleOnce(page: Page, message: string) {
    await page.getByRole('button', { name: 'Schedule a check-in' }).click();
    const due = DateTime.fromJSDate(new Date(clock.now().getTime() + 2 * 3600_000)).setZone(PHONE_TIME_ZONE);
    await page.getByLabel('Check in by').fill(due.toFormat("yyyy-MM-dd'T'HH:mm"));
    await page.getByLabel('Message for your contacts if you do not check in').fill(message);
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    await page.getByTestId('alert-preview').waitFor();
    await page.getByRole('button', { name: 'Confirm and schedule' }).click();
    await page.getByTestId('next-deadline').waitFor();
  }

  async function checkInWith(page: Page, pin: string): Promise<string> {
    await page.getByRole('button', { name: "I'm safe" }).click();
    await page.getByLabel('Check-in PIN').fill(pin);
    await page.getByRole('dialog').getByRole('button', { name: 'Check in' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'Checked in at' });
    await notice.waitFor();
    return (await notice.locator('span').last().textContent()) ?? '';
  }

  it('sets up the PINs, adds a contact who opts in, schedules a check-in and checks in with the PIN', async () => {
    const phone = await openPhone(world.browser, world.service.baseUrl);
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

  it('asks for each PIN twice at set-up, and changes the PINs and the name in Settings only with the current PIN, each error under its field', async () => {
    const phone = await openPhone(world.browser, world.service.baseUrl);
    const { page } = phone;
    await registerInBrowser(page, 'checkin-pins', 'pins password');
    const profiles = () => mongoose.connection.db!.collection('checkinprofiles').countDocuments({});
    const before = await profiles();
    await page.getByLabel('Name used in alerts').fill('Ana');
    await page.getByLabel('Check-in PIN (4 to 12 digits)').fill(PIN);
    await page.getByLabel('Repeat the check-in PIN').fill(PIN);
    await page.getByLabel('Duress PIN (different digits)').fill(DURESS_PIN);
    await page.getByLabel('Repeat the duress PIN').fill('9999');
    await page.getByRole('button', { name: 'Save' }).click();
    const mismatch = page.getByRole('alert').filter({ hasText: 'The two duress PINs are not the same.' });
    await mismatch.waitFor();
    const repeatBox = (await page.getByLabel('Repeat the duress PIN').boundingBox())!;
    const errorBox = (await mismatch.boundingBox())!;
    assert.ok(errorBox.y > repeatBox.y && errorBox.y - (repeatBox.y + repeatBox.height) < 48, 'the message sits right under the field it is about');
    await saveScreenshot(page, 'pins-typed-twice');
    assert.equal(await profiles(), before, 'nothing saved while the two PINs differ');
    await page.getByLabel('Repeat the duress PIN').fill(DURESS_PIN);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'No check-in scheduled' }).waitFor();

    await page.getByRole('navigation').getByRole('button', { name: 'Settings' }).click();
    const form = page.getByTestId('change-pins');
    const fillPins = async (current: string) => {
      await form.getByLabel('Current check-in PIN').fill(current);
      await form.getByLabel('New check-in PIN (4 to 12 digits)').fill('8642');
      await form.getByLabel('Repeat the check-in PIN').fill('8642');
      await form.getByLabel('New duress PIN (different digits)').fill('7531');
      await form.getByLabel('Repeat the duress PIN').fill('7531');
      await form.getByRole('button', { name: 'Change the PINs' }).click();
    };
    const pinHashes = async () => {
      const newest = await mongoose.connection.db!.collection('checkinprofiles').findOne({}, { sort: { _id: -1 } });
      return `${newest?.pinHash} ${newest?.duressPinHash}`;
    };
    const stored = await pinHashes();
    await fillPins(DURESS_PIN);
    const wrong = form.getByRole('alert').filter({ hasText: 'That PIN is not right.' });
    await wrong.waitFor();
    const currentBox = (await form.getByLabel('Current check-in PIN').boundingBox())!;
    assert.ok((await wrong.boundingBox())!.y - (currentBox.y + currentBox.height) < 48, 'the refusal sits under the current PIN');
    assert.equal(await pinHashes(), stored, 'the duress PIN cannot replace the PINs: nothing changed');
    await fillPins(PIN);
    await form.getByText('PINs changed. Use the new ones from now on.').waitFor();
    assert.notEqual(await pinHashes(), stored, 'the new PINs are stored');
    await saveScreenshot(page, 'settings-pins-changed');

    // The name is changed only with the current PIN too: without it, the refusal sits under that field.
    const names = page.getByTestId('name-and-phone');
    const storedName = async () => (await mongoose.connection.db!.collection('checkinprofiles').findOne({}, { sort: { _id: -1 } }))?.encryptedDisplayName;
    const nameBefore = await storedName();
    await names.getByLabel('Name used in alerts').fill('Rosa');
    await names.getByRole('button', { name: 'Save name, language and phone' }).click();
    const noPin = names.getByRole('alert').filter({ hasText: 'Enter your current check-in PIN to change the name or the phone.' });
    await noPin.waitFor();
    // Right under the field's hint (which says why the PIN is asked), before anything else.
    const namePinHint = (await names.getByText('Needed to change the name or the phone').boundingBox())!;
    const noPinBox = (await noPin.boundingBox())!;
    assert.ok(noPinBox.y > namePinHint.y && noPinBox.y - (namePinHint.y + namePinHint.height) < 48, 'the refusal sits under the current PIN');
    assert.equal(await storedName(), nameBefore, 'no PIN, no new name');
    await names.getByLabel('Current check-in PIN').fill('7531'); // the new duress PIN
    await names.getByRole('button', { name: 'Save name, language and phone' }).click();
    await names.getByRole('alert').filter({ hasText: 'That PIN is not right.' }).waitFor();
    assert.equal(await storedName(), nameBefore, 'the duress PIN renames nobody');
    await names.getByLabel('Current check-in PIN').fill('8642');
    await names.getByRole('button', { name: 'Save name, language and phone' }).click();
    await names.getByText('Saved.').waitFor();
    assert.notEqual(await storedName(), nameBefore, 'the new name is stored with the current PIN');

    // The new PIN checks in; the old one no longer does.
    await page.getByRole('navigation').getByRole('button', { name: 'Check-in' }).click();
    await scheduleOnce(page, 'Call my lawyer Rosa.');
    await page.getByRole('button', { name: "I'm safe" }).click();
    await page.getByRole('dialog').getByLabel('Check-in PIN').fill(PIN);
    await page.getByRole('dialog').getByRole('button', { name: 'Check in' }).click();
    await page.getByRole('dialog').getByText('That PIN is not right. Try again.').waitFor();
    await page.getByRole('dialog').getByLabel('Check-in PIN').fill('8642');
    await page.getByRole('dialog').getByRole('button', { name: 'Check in' }).click();
    await page.getByRole('status').filter({ hasText: 'Checked in at' }).waitFor();
    assert.deepEqual(phone.problems, []);
    await phone.context.close();
  });

  it('warns on the preview, the home card and the alert list when no contact has replied YES, and still lets her schedule', async () => {
    const phone = await openPhone(world.browser, world.service.baseUrl);
    const { page } = phone;
    await registerInBrowser(page, 'checkin-nobody', 'nobody password');
    await setUpProfile(page);
    await page.getByRole('button', { name: 'Add a trusted contact' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Bea');
    await page.getByLabel('Mobile phone').fill(newPhoneNumber());
    await page.getByRole('button', { name: 'Add and send the invitation' }).click();
    await page.getByTestId('contacts').getByText('waiting for YES').waitFor();

    await page.getByRole('button', { name: 'Schedule a check-in' }).click();
    const due = DateTime.fromJSDate(new Date(clock.now().getTime() + 2 * 3600_000)).setZone(PHONE_TIME_ZONE);
    await page.getByLabel('Check in by').fill(due.toFormat("yyyy-MM-dd'T'HH:mm"));
    await page.getByLabel('Message for your contacts if you do not check in').fill('Call Rosa.');
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    const preview = page.getByTestId('alert-preview');
    await preview.getByText('Nobody will be alerted: Bea has not replied YES yet.').waitFor();
    await preview.getByText('Bea will not be alerted (waiting for YES).').waitFor();
    await preview.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'checkin-preview-nobody');
    await page.getByRole('button', { name: 'Confirm and schedule' }).click();
    const card = page.getByTestId('next-deadline');
    await card.getByText('Nobody will be alerted: Bea has not replied YES yet.').waitFor();
    assert.equal(await card.locator('.notice.warn').count(), 1, 'shown as a warning, not as a confirmation');
    await saveScreenshot(page, 'checkin-home-nobody', { fromTop: true });

    clock.advance(3 * 3600_000);
    await tick();
    await tick();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByTestId('alerts').getByText('Nobody was alerted: no contact had replied YES.').waitFor();
    assert.equal(await page.getByTestId('alerts').getByText('No alerts.').count(), 0);
    assert.deepEqual(phone.problems, []);
    await phone.context.close();
  });

  it('shows before scheduling who is alerted in which order and the exact SMS each receives', async () => {
    const phone = await openPhone(world.browser, world.service.baseUrl);
    const { page } = phone;
    await registerInBrowser(page, 'checkin-preview', 'preview password');
    await setUpProfile(page);
    const contactPhone = await addOptedInContact(page, 'Gabi');
    await page.getByRole('button', { name: 'Schedule a check-in' }).click();
    const due = DateTime.fromJSDate(new Date(clock.now().getTime() + 2 * 3600_000)).setZone(PHONE_TIME_ZONE);
    await page.getByLabel('Check in by').fill(due.toFormat("yyyy-MM-dd'T'HH:mm"));
    await page.getByLabel('Message for your contacts if you do not check in').fill('Call my lawyer Rosa.');
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    const preview = page.getByTestId('alert-preview');
    await preview.getByText('1. Gabi (tier 1)').waitFor();
    const shown = await preview.getByLabel('The text Gabi will receive').textContent();
    assert.match(shown ?? '', /^MESHWORK ALERT: Ana did not check in by \d\d:\d\d \(UTC-6\)\. Their message: Call my lawyer Rosa\. Reply ACK/);
    await preview.getByText('1 SMS').waitFor();
    await preview.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'checkin-preview');
    await page.getByRole('button', { name: 'Confirm and schedule' }).click();
    await page.getByTestId('next-deadline').waitFor();
    assert.equal(await page.getByTestId('next-deadline').getByText(/Nobody will be alerted/).count(), 0);
    clock.advance(3 * 3600_000);
    await tick();
    await tick();
    assert.equal(fake.to(contactPhone).at(-1)?.body, shown, 'the contact receives exactly the previewed text');
    await phone.context.close();
  });

  it('leaves by one tap on Exit from inside the PIN dialog, with the session revoked', async () => {
    const phone = await openPhone(world.browser, world.service.baseUrl);
    const { page } = phone;
    await registerInBrowser(page, 'checkin-exit', 'exit from dialog password');
    await setUpProfile(page);
    await scheduleOnce(page, 'Call Rosa.');
    await page.getByRole('button', { name: "I'm safe" }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Check-in PIN').fill('24');
    await saveScreenshot(page, 'pin-dialog-exit');
    const sessions = await mongoose.connection.db!.collection('sessions').countDocuments({});
    const exit = dialog.getByRole('button', { name: 'Exit', exact: true });
    const box = await exit.boundingBox();
    assert.ok(box && box.width >= 48 && box.height >= 48, JSON.stringify(box));
    await exit.tap();
    await page.waitForURL(NEUTRAL_URL);
    for (let i = 0; i < 100 && (await mongoose.connection.db!.collection('sessions').countDocuments({})) !== sessions - 1; i += 1) await new Promise((r) => setTimeout(r, 50));
    assert.equal(await mongoose.connection.db!.collection('sessions').countDocuments({}), sessions - 1, 'the session is revoked');
    await phone.context.close();
  });

  it('offline, says "I\'m safe" did not go through, shows the SMS way to check in, and keeps showing what it last knew', async () => {
    const phone = await openPhone(world.browser, world.service.baseUrl);
    const { page, context } = phone;
    await registerInBrowser(page, 'checkin-offline', 'offline password');
    const ownPhone = newPhoneNumber();
    await fillProfileForm(page, { pin: PIN, duressPin: DURESS_PIN, phone: ownPhone });
    await page.getByRole('heading', { name: 'No check-in scheduled' }).waitFor();
    // Her phone counts for SMS check-in only once she has typed the code texted to it.
    await tick();
    const code = /code: (\d{6})/.exec(fake.to(ownPhone).at(-1)?.body ?? '')?.[1];
    assert.ok(code, 'the code was texted');
    const verification = page.getByTestId('phone-verification');
    await verification.getByLabel('Code from the text').fill(code);
    await verification.getByRole('button', { name: 'Confirm' }).click();
    await verification.waitFor({ state: 'detached' });
    await scheduleOnce(page, 'Call Rosa.');
    const before = await mongoose.connection.db!.collection('checkins').find({}).sort({ _id: 1 }).toArray();
    const mine = before.at(-1)!; // the one just scheduled

    await context.setOffline(true);
    await page.getByRole('button', { name: "I'm safe" }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Check-in PIN').fill(PIN);
    await dialog.getByRole('button', { name: 'Check in' }).click();
    await dialog.getByText('The service could not be reached: you are NOT checked in yet.').waitFor();
    const help = dialog.getByTestId('sms-help');
    await help.getByText(`text your check-in PIN (only the digits) to ${FAKE_FROM}`).waitFor();
    await help.getByText(`from your phone ${'•'.repeat(ownPhone.length - 3)}${ownPhone.slice(-3)}`).waitFor();
    assert.equal(await page.getByRole('status').filter({ hasText: 'Checked in at' }).count(), 0, 'never reported as done');
    await saveScreenshot(page, 'checkin-offline-sms');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.deepEqual(await mongoose.connection.db!.collection('checkins').find({}).sort({ _id: 1 }).toArray(), before, 'nothing changed on the service');

    // Another tab and back: the check-in tab shows what it last knew, dated, not "Loading" forever.
    await page.getByRole('button', { name: 'Teams' }).click();
    await page.getByRole('button', { name: 'Check-in' }).click();
    await page.getByText(/^No connection\. Showing what this phone knew at \d\d:\d\d/).waitFor();
    await page.getByTestId('next-deadline').waitFor();
    assert.equal(await page.getByText('Loading…').count(), 0);
    await saveScreenshot(page, 'checkin-offline-stale', { fromTop: true });

    await context.setOffline(false);
    const textedBefore = fake.to(ownPhone).length;
    await fake.inbound(target(), ownPhone, PIN);
    assert.equal(fake.to(ownPhone).length, textedBefore, 'the reply goes in TwiML, not as a new message');
    assert.equal(await mongoose.connection.db!.collection('checkins').countDocuments({ _id: mine._id }), 0, 'the SMS way works: the one-off check-in is done');
    await phone.context.close();
  });

  it('drops a stale confirmation when a new deadline starts, counts hours past 24 and names the time zone by place and offset', async () => {
    const phone = await openPhone(world.browser, world.service.baseUrl);
    const { page } = phone;
    await registerInBrowser(page, 'checkin-stale', 'stale password');
    await setUpProfile(page);
    await scheduleOnce(page, 'First.');
    await checkInWith(page, PIN);
    const confirmation = page.getByRole('status').filter({ hasText: 'Checked in at' });
    assert.equal(await confirmation.getAttribute('data-tone'), 'done', 'a confirmation, styled unlike a warning');
    await page.getByRole('button', { name: 'Schedule a check-in' }).click();
    await page.getByText('Times are in your time zone: Mexico City · Central Standard Time (GMT-06:00).').waitFor();
    const due = DateTime.fromJSDate(new Date(clock.now().getTime() + 50 * 3600_000)).setZone(PHONE_TIME_ZONE);
    await page.getByLabel('Check in by').fill(due.toFormat("yyyy-MM-dd'T'HH:mm"));
    await page.getByLabel('Message for your contacts if you do not check in').fill('Second.');
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    await page.getByRole('button', { name: 'Confirm and schedule' }).click();
    await page.getByTestId('next-deadline').waitFor();
    assert.equal(await confirmation.count(), 0, 'the old "Checked in" is gone once a new deadline shows');
    const countdown = (await page.getByRole('timer').textContent()) ?? '';
    assert.match(countdown, /^\d{2,}:\d\d:\d\d$/);
    assert.ok(Number(countdown.split(':')[0]) >= 48, countdown);
    await saveScreenshot(page, 'checkin-countdown-hours', { fromTop: true });
    await phone.context.close();
  });

  it("shows the deadline in her profile's zone, and names it, on a phone whose clock is in another zone", async () => {
    // A borrowed phone set to London; her profile (and so her SMS) is in Mexico City.
    const phone = await openPhone(world.browser, world.service.baseUrl, { timezoneId: 'Europe/London' });
    const { page } = phone;
    await registerInBrowser(page, 'checkin-traveller', 'traveller password');
    await setUpProfile(page, PHONE_TIME_ZONE);
    const zoneLabel = 'Times are in your time zone: Mexico City · Central Standard Time (GMT-06:00).';
    await page.getByRole('button', { name: 'Schedule a check-in' }).click();
    await page.getByText(zoneLabel).waitFor();
    // Typed as her zone's wall time, the one the form names.
    const due = DateTime.fromJSDate(new Date(clock.now().getTime() + 5 * 3600_000)).setZone(PHONE_TIME_ZONE).startOf('minute');
    const inLondon = due.setZone('Europe/London');
    assert.notEqual(due.toFormat('HH:mm'), inLondon.toFormat('HH:mm'));
    await page.getByLabel('Check in by').fill(due.toFormat("yyyy-MM-dd'T'HH:mm"));
    await page.getByLabel('Message for your contacts if you do not check in').fill('Call Rosa.');
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    await page.getByRole('button', { name: 'Confirm and schedule' }).click();
    const card = page.getByTestId('next-deadline');
    await card.waitFor();
    const [saved] = await mongoose.connection.db!.collection('checkins').find({}).sort({ _id: -1 }).limit(1).toArray();
    assert.equal((saved!.dueAt as Date).toISOString(), due.toUTC().toISO(), 'the deadline is the moment she meant in her zone');
    const heading = (await card.getByRole('heading').textContent()) ?? '';
    assert.ok(heading.includes(due.toFormat('HH:mm')) && heading.includes(String(due.day)), `${heading} shows ${due.toFormat('d, HH:mm')} (Mexico City)`);
    assert.ok(!heading.includes(inLondon.toFormat('HH:mm')), `${heading} does not show the phone's London time`);
    assert.equal(await card.getByTestId('deadline-zone').textContent(), zoneLabel);
    assert.match((await page.getByText(/· next by /).first().textContent()) ?? '', new RegExp(due.toFormat('HH:mm')), 'the list of check-ins too');
    assert.deepEqual(phone.problems, []);
    await phone.context.close();
  });

  it('moves the deadline later with the PIN, and shows the same words for the duress PIN while an alert starts', async () => {
    const phone = await openPhone(world.browser, world.service.baseUrl);
    const { page } = phone;
    await registerInBrowser(page, 'checkin-extend', 'extend password');
    await setUpProfile(page);
    const contactPhone = await addOptedInContact(page, 'Fer');
    const extendWith = async (pin: string) => {
      await page.getByLabel('More time').selectOption({ label: '60 min' });
      await page.getByRole('button', { name: 'I need more time' }).click();
      const dialog = page.getByRole('dialog', { name: 'Move the deadline 60 minutes later' });
      await dialog.getByLabel('Check-in PIN').fill(pin);
      await dialog.getByRole('button', { name: 'Give me the time' }).click();
      const notice = page.getByRole('status').filter({ hasText: 'Done. Next check-in by' });
      await notice.waitFor();
      return (await notice.locator('span').last().textContent()) ?? '';
    };
    await scheduleOnce(page, 'Call Rosa.');
    const before = (await mongoose.connection.db!.collection('checkins').find({}).sort({ _id: -1 }).limit(1).toArray())[0]!;
    const normal = await extendWith(PIN);
    const after = await mongoose.connection.db!.collection('checkins').findOne({ _id: before._id });
    assert.equal(after!.dueAt.getTime() - before.dueAt.getTime(), 60 * 60_000, 'the deadline moved by the chosen time');
    await saveScreenshot(page, 'checkin-extended', { fromTop: true });
    const duress = await extendWith(DURESS_PIN);
    assert.equal(duress.replace(/\d\d:\d\d/g, 'HH:MM').replace(/\d+/g, 'N'), normal.replace(/\d\d:\d\d/g, 'HH:MM').replace(/\d+/g, 'N'), 'the same words on screen');
    await tick();
    assert.match(fake.to(contactPhone).at(-1)?.body ?? '', /silent call for help/);
    await page.getByRole('button', { name: 'Refresh' }).click();
    assert.equal(await page.getByTestId('alerts').getByText('No alerts.').count(), 1, "the defender's screen shows no alert");
    assert.deepEqual(phone.problems, []);
    await phone.context.close();
  });

  it('asks before removing a contact, naming them, and removes nothing on Cancel', async () => {
    const phone = await openPhone(world.browser, world.service.baseUrl);
    const { page } = phone;
    await registerInBrowser(page, 'checkin-remove', 'remove contact password');
    await setUpProfile(page);
    await addOptedInContact(page, 'Hana');
    const contacts = () => mongoose.connection.db!.collection('trustedcontacts').countDocuments({ state: 'opted_in', ownerId: { $exists: true } });
    const before = await contacts();
    await page.getByRole('button', { name: 'Remove Hana' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove Hana from your trusted contacts? They will no longer be alerted.' });
    await dialog.waitFor();
    await saveScreenshot(page, 'contact-remove-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await contacts(), before, 'Cancel removes nothing');
    await page.getByTestId('contacts').getByText('Hana', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Remove Hana' }).click();
    await dialog.getByRole('button', { name: 'Remove Hana' }).click();
    await page.getByTestId('contacts').getByText('No contacts yet.').waitFor();
    assert.equal(await contacts(), before - 1);
    await phone.context.close();
  });

  it('treats the duress PIN exactly like the PIN on screen, while an alert starts quietly', async () => {
    const phone = await openPhone(world.browser, world.service.baseUrl);
    const { page } = phone;
    await registerInBrowser(page, 'checkin-duress', 'duress password');
    const duressAlerts = async () => (await mongoose.connection.db!.collection('alerts').find({}).toArray()).filter((a) => openDuress(world.service.services.fieldCipher, a as never).duress).length;
    const duressBefore = await duressAlerts();
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
    assert.equal(await duressAlerts(), duressBefore + 1, 'a duress alert exists on the server (its flag is sealed at rest)');
    await tick();
    await tick();
    assert.ok(fake.to(contactPhone).length >= 2, 'the contact was alerted');
    await phone.context.close();
  });

  it('shows a missed check-in: the fake Twilio server gets the SMS and the timeline shows it', async () => {
    const phone = await openPhone(world.browser, world.service.baseUrl);
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
    const client = await MeshworkClient.connect({ baseUrl: world.service.baseUrl });
    await client.register('checkin-langs', 'languages password');
    const account = await client.signIn('checkin-langs', 'languages password');
    const checkIns = new CheckInsApi(account.api);
    await checkIns.setProfile({ displayName: 'Ana', timeZone: 'America/Mexico_City', language: 'es', pin: PIN, duressPin: DURESS_PIN });
    await new ContactsApi(account.api).add({ name: 'Eli', phone: newPhoneNumber(), language: 'pt', tier: 1 });
    await checkIns.schedule({ schedule: { kind: 'daily', times: ['09:00', '21:00'] }, graceMinutes: 15, alertMessage: 'Llamen a Rosa.' });

    const spanish = await openPhone(world.browser, world.service.baseUrl, { locale: 'es-MX' });
    await spanish.page.getByRole('heading', { level: 1, name: 'Iniciar sesión' }).waitFor();
    assert.equal(await spanish.page.evaluate('document.documentElement.lang'), 'es');
    await spanish.context.close();

    const phone = await openPhone(world.browser, world.service.baseUrl);
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
    const phone = await openPhone(world.browser, world.service.baseUrl);
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
