import assert from 'node:assert/strict';
import { CheckInsApi, ContactsApi, MeshworkClient, type CheckInProfile, type CheckInProfileInput, type TrustedContact } from '../../src/client';
import type { Config } from '../../src/config/schema';
import { ManualClock } from '../../src/shared/clock';
import { FakeTwilio, TEST_PUBLIC_URL, twilioConfig } from './fake-twilio';
import { startTestService, type TestService } from './service';

export const PIN = '2468';
export const DURESS_PIN = '1357';

export interface Defender {
  token: string;
  checkIns: CheckInsApi;
  contacts: ContactsApi;
  /** The profile as the server answered the set-up. */
  profile: CheckInProfile;
}

/** What a signed-in account of the reference client carries (an UnlockedAccount, or the plain sign-in answer). */
interface SignedIn {
  token: string;
  api: ConstructorParameters<typeof CheckInsApi>[0];
}

/**
 * Gives a signed-in account its check-in profile (PIN 2468, duress PIN 1357, English, UTC); `profile` overrides
 * any field, e.g. a name the alert texts must show.
 */
export async function withCheckInProfile(account: SignedIn, profile: Partial<CheckInProfileInput> = {}): Promise<Defender> {
  const checkIns = new CheckInsApi(account.api);
  const saved = await checkIns.setProfile({ displayName: 'Ana', timeZone: 'UTC', language: 'en', pin: PIN, duressPin: DURESS_PIN, ...profile });
  return { token: account.token, checkIns, contacts: new ContactsApi(account.api), profile: saved };
}

/**
 * A defender as the reference client makes one: registered, signed in, with a check-in profile (PIN 2468,
 * duress PIN 1357, English, her handle as display name). `profile` overrides any field.
 */
export async function setUpDefender(client: MeshworkClient, handle: string, profile: Partial<CheckInProfileInput> = {}): Promise<Defender> {
  await client.register(handle, `${handle} password`);
  const account = await client.signIn(handle, `${handle} password`);
  return withCheckInProfile(account, { displayName: handle, ...profile });
}

export interface SafetyWorldOptions {
  /** Settings over the fake Twilio's, e.g. ESCALATION_TIER_WAIT_SECONDS. */
  config?: Partial<Record<keyof Config, unknown>>;
  /** Where the manual clock starts (default: now), for scenarios whose daily times must fall just so. */
  startAt?: Date;
  instanceId?: string;
  /**
   * The first ten characters of the numbers `newPhone()` hands out ('+447400123'), and the counter after which
   * they start (default +447400100001 on): a number reused within a file would find another test's contact behind it.
   */
  phones?: { prefix: string; after: number };
  /** Profile fields every `defender()` of the file gets unless the call overrides them. */
  profile?: Partial<CheckInProfileInput>;
}

export interface OptedInContact extends TrustedContact {
  phone: string;
  /** What Meshwork answered her YES (the TwiML message text). */
  reply: string | null;
}

/**
 * One file's safety set-up: a manual clock, the fake Twilio, the real service texting through the twilio SDK to
 * it, and the reference client. Call at the top of a `describe`: it registers the `before`/`after` hooks that
 * start and stop them; `service` and `client` exist from the `before` on.
 */
export function safetyWorld(options: SafetyWorldOptions): SafetyWorld {
  const world = new SafetyWorld(options);
  before(() => world.start());
  after(() => world.stop());
  return world;
}

export class SafetyWorld {
  readonly clock: ManualClock;
  readonly fake: FakeTwilio;
  /** Where the fake Twilio posts the webhooks: the service's address, under the public URL it signs for. */
  readonly target = { baseUrl: '', publicUrl: TEST_PUBLIC_URL };
  private started?: { service: TestService; client: MeshworkClient };
  private phoneCounter: number;

  constructor(private readonly options: SafetyWorldOptions) {
    this.clock = new ManualClock(options.startAt ?? new Date());
    this.fake = new FakeTwilio(this.clock);
    this.phoneCounter = options.phones?.after ?? 0;
  }

  async start(): Promise<void> {
    await this.fake.start();
    const service = await startTestService({ ...twilioConfig, ...this.options.config }, { clock: this.clock, smsSender: this.fake.sender(TEST_PUBLIC_URL), instanceId: this.options.instanceId });
    this.target.baseUrl = service.baseUrl;
    this.started = { service, client: await MeshworkClient.connect({ baseUrl: service.baseUrl }) };
  }

  async stop(): Promise<void> {
    await this.started?.service.close();
    await this.fake.stop();
  }

  get service(): TestService {
    assert.ok(this.started, 'the safety world starts in a before hook');
    return this.started.service;
  }

  get client(): MeshworkClient {
    assert.ok(this.started, 'the safety world starts in a before hook');
    return this.started.client;
  }

  /** One scheduler tick (after the alert work of any check-in just answered, as a real tick seconds later). */
  readonly tick = () => this.service.services.scheduler.tick();

  readonly newPhone = () => `${this.options.phones?.prefix ?? '+447400100'}${String((this.phoneCounter += 1)).padStart(3, '0')}`;

  /** A defender with the file's profile defaults (see setUpDefender). */
  readonly defender = (handle: string, profile: Partial<CheckInProfileInput> = {}) => setUpDefender(this.client, handle, { ...this.options.profile, ...profile });

  /** Adds a contact, delivers the invitation on a tick, and has her reply YES through the real webhook. */
  readonly optedInContact = async (who: Pick<Defender, 'contacts'>, name: string, tier: number, language: 'en' | 'es' | 'pt' | 'fr' = 'en', phone = this.newPhone()): Promise<OptedInContact> => {
    const contact = await who.contacts.add({ name, phone, language, tier });
    await this.tick();
    assert.equal(this.fake.to(phone).length, 1, 'the invitation is sent');
    const answer = await this.fake.inbound(this.target, phone, 'YES');
    assert.equal(answer.status, 200);
    const reply = /<Message>([\s\S]*)<\/Message>/.exec(answer.text)?.[1]?.replace(/&apos;/g, "'") ?? null;
    return { ...contact, phone, reply };
  };
}
