import assert from 'node:assert/strict';
import { CheckInsApi, ContactsApi, MeshworkClient } from '../src/client';
import { ConfigError, loadConfig } from '../src/config/load';
import { TrustedContactModel } from '../src/contacts/contact.model';
import { ManualClock } from '../src/shared/clock';
import { TWILIO_API_BASE_URL } from '../src/sms/twilio-sender';
import { FakeTwilio, TEST_PUBLIC_URL, twilioConfig } from './support/fake-twilio';
import { startTestService, type TestService } from './support/service';

describe('An SMS provider named by TWILIO_API_BASE_URL', function () {
  let service: TestService;
  let fake: FakeTwilio;
  const clock = new ManualClock(new Date());
  const phone = '+6281234567890';

  before(async () => {
    // Served under a path prefix, as a provider behind a gateway would be; the service gets only settings, no code.
    fake = await new FakeTwilio(clock).start({ pathPrefix: '/twilio' });
    service = await startTestService({ ...twilioConfig, TWILIO_API_BASE_URL: `${fake.baseUrl}/` }, { clock });
  });
  after(async () => {
    await service.close();
    await fake.stop();
  });

  it("is Twilio's own API unless set", () => {
    assert.equal(loadConfig({}).TWILIO_API_BASE_URL, 'https://api.twilio.com');
    assert.equal(TWILIO_API_BASE_URL, 'https://api.twilio.com');
  });

  it('refuses at start-up a base URL that would send the auth token in clear over the network, naming the key', () => {
    for (const bad of ['http://sms.example.org', 'ftp://127.0.0.1', 'api.twilio.com', '']) {
      assert.throws(() => loadConfig({ TWILIO_API_BASE_URL: bad }), (error: unknown) => error instanceof ConfigError && /TWILIO_API_BASE_URL/.test(error.message), bad);
    }
    assert.equal(loadConfig({ TWILIO_API_BASE_URL: 'https://sms.example.org/twilio/' }).TWILIO_API_BASE_URL, 'https://sms.example.org/twilio');
    assert.equal(loadConfig({ TWILIO_API_BASE_URL: 'http://localhost:4010' }).TWILIO_API_BASE_URL, 'http://localhost:4010');
  });

  it('sends through that provider with the real twilio SDK, and still checks the signature of every inbound webhook', async () => {
    const client = await MeshworkClient.connect({ baseUrl: service.baseUrl });
    await client.register('provider-owner', 'provider password');
    const account = await client.signIn('provider-owner', 'provider password');
    await new CheckInsApi(account.api).setProfile({ displayName: 'Sari', timeZone: 'Asia/Jakarta', language: 'en', pin: '2468', duressPin: '1357' });
    const contact = await new ContactsApi(account.api).add({ name: 'Dewi', phone: '+62 812 3456 7890', language: 'en', tier: 1 });
    await service.services.scheduler.tick();
    assert.equal(fake.to(phone).length, 1, 'the invitation reached the provider at its base URL and path');
    assert.match(fake.to(phone)[0]!.body, /^Sari asks you to be a trusted contact/);
    assert.ok(fake.to(phone)[0]!.statusCallback?.startsWith(`${TEST_PUBLIC_URL}/v1/sms/status`), 'status callbacks still come to PUBLIC_URL');

    const target = { baseUrl: service.baseUrl, publicUrl: TEST_PUBLIC_URL };
    const forged = await fake.inbound(target, phone, 'YES', { token: 'not-the-token' });
    assert.equal(forged.status, 403);
    assert.equal((await TrustedContactModel.findById(contact.id).lean())?.state, 'invited', 'a forged YES changes nothing');
    const signed = await fake.inbound(target, phone, 'YES');
    assert.equal(signed.status, 200);
    assert.equal((await TrustedContactModel.findById(contact.id).lean())?.state, 'opted_in');
  });
});

describe('The regions’ languages, end to end', function () {
  let service: TestService;
  let fake: FakeTwilio;
  const clock = new ManualClock(new Date());

  before(async () => {
    fake = await new FakeTwilio(clock).start();
    service = await startTestService({ ...twilioConfig, ESCALATION_REPEATS: 0 }, { clock, smsSender: fake.sender(TEST_PUBLIC_URL) });
  });
  after(async () => {
    await service.close();
    await fake.stop();
  });

  it('texts Indonesian, Khmer and Burmese contacts in their language, takes YA for yes, and warns that a Khmer alert message costs three segments', async () => {
    const client = await MeshworkClient.connect({ baseUrl: service.baseUrl });
    await client.register('regions-owner', 'regions password');
    const account = await client.signIn('regions-owner', 'regions password');
    const checkIns = new CheckInsApi(account.api);
    await checkIns.setProfile({ displayName: 'Sophea', timeZone: 'Asia/Phnom_Penh', language: 'km', pin: '2468', duressPin: '1357' });
    assert.equal((await checkIns.getProfile()).language, 'km');
    const contacts = new ContactsApi(account.api);
    await contacts.add({ name: 'Dewi', phone: '+62 812 3456 7890', language: 'id', tier: 1 });
    await contacts.add({ name: 'Dara', phone: '+855 12 345 678', language: 'km', tier: 1 });
    const thiri = await contacts.add({ name: 'Thiri', phone: '+95 9 781 234567', language: 'my', tier: 2 });
    await service.services.scheduler.tick();
    assert.match(fake.to('+6281234567890')[0]!.body, /^Sophea meminta Anda menjadi kontak tepercaya di Meshwork\. .* Balas YA [0-9A-Z]{2} untuk setuju/);
    assert.match(fake.to('+85512345678')[0]!.body, /^Sophea សុំឱ្យអ្នកជាអ្នកទុកចិត្តលើ Meshwork។/);
    assert.match(fake.to('+959781234567')[0]!.body, /^Sophea က Meshwork တွင်/);

    const reply = await fake.inbound({ baseUrl: service.baseUrl, publicUrl: TEST_PUBLIC_URL }, '+6281234567890', 'Ya');
    assert.equal(reply.status, 200);
    assert.match(reply.text, /terima kasih/);
    assert.deepEqual((await contacts.list()).map((c) => [c.name, c.state]).sort(), [['Dara', 'invited'], ['Dewi', 'opted_in'], ['Thiri', 'invited']]);

    const { alertSize } = await checkIns.schedule({ schedule: { kind: 'once', dueAt: new Date(clock.now().getTime() + 3_600_000).toISOString() }, graceMinutes: 10, alertMessage: 'ទូរស័ព្ទទៅមេធាវី' });
    // A Khmer message turns even Dewi's Indonesian alert into UCS-2, where its Latin wrapper no longer fits two segments.
    assert.equal(alertSize.encoding, 'UCS-2');
    assert.equal(alertSize.segments, 3);
    assert.match(alertSize.warning ?? '', /3 SMS segments .*67 characters/);
    const updated = await contacts.update(thiri.id, { language: 'id' });
    assert.equal(updated.language, 'id');
    assert.equal((await TrustedContactModel.findById(thiri.id).lean())?.language, 'id');
  });

  it('refuses a language it has no texts in, and changes nothing', async () => {
    const client = await MeshworkClient.connect({ baseUrl: service.baseUrl });
    await client.register('no-such-language', 'regions password');
    const account = await client.signIn('no-such-language', 'regions password');
    for (const language of ['th', 'ID', 'khm', '']) {
      await assert.rejects(new CheckInsApi(account.api).setProfile({ displayName: 'Ana', timeZone: 'Asia/Bangkok', language: language as 'en', pin: '2468', duressPin: '1357' }), (error: { status?: number; code?: string }) => error.status === 400 && error.code === 'validation_failed');
    }
    await assert.rejects(new CheckInsApi(account.api).getProfile(), (error: { status?: number }) => error.status === 404);
  });
});
