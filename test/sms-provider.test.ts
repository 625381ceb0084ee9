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
