import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { UnlockedAccount } from '../../../client';
import { CheckInsApi, type AlertPreview, type AlertSummary, type CheckIn, type CheckInProfile, type Language, type ScheduleCheckInInput, type TimelineEntry } from '../../../client/checkins';
import { ContactsApi, type TrustedContact } from '../../../client/contacts';
import { sameZoneIn, timeZonesInOrder } from '../../../shared/time-zones';
import { describeTimeZone, LANGUAGES, useDateEcho, useI18n, type I18n, type MessageKey } from '../i18n';
import { PinDialog } from '../pin-dialog';
import { onAccountChange } from '../session';
import { Busy, ConfirmDialog, ErrorMessage, Field, Notice, ScreenTitle, SelectField, TextArea, useErrorText } from '../ui';
import { useAction } from '../use-action';
import { PhoneVerification } from './phone-verification';

interface Loaded {
  profile: CheckInProfile | null;
  checkIns: CheckIn[];
  contacts: TrustedContact[];
  alerts: AlertSummary[];
}

/** How often the screen refreshes contacts' opt-in state, check-ins and alerts while open. */
const REFRESH_MS = 30_000;

/**
 * What the screen last read from the service, kept in memory only (never storage) so that without a
 * connection the tab shows what it knew, dated, instead of "Loading" forever. A lock drops it.
 */
let lastKnown: { handle: string; at: number; data: Loaded } | null = null;
onAccountChange((account) => {
  if (!account) lastKnown = null;
});

/** fetch() rejects with a TypeError when the network is down; an answer from the service is never one. */
const isNetworkFailure = (error: unknown) => (error as { name?: unknown } | null)?.name === 'TypeError';

/** The defender's home: the next deadline, one large "I'm safe" button, the trusted network, alerts. */
export function CheckInHome({ account, smsNumber }: { account: UnlockedAccount; smsNumber: string | null }) {
  const { t, time } = useI18n();
  const errorText = useErrorText();
  const [apis] = useState(() => ({ checkIns: new CheckInsApi(account.api), contacts: new ContactsApi(account.api) }));
  const known = lastKnown?.handle === account.handle ? lastKnown : null;
  const [data, setData] = useState<Loaded | null>(known?.data ?? null);
  const [staleSince, setStaleSince] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const profile = await apis.checkIns.getProfile().catch((caught: { status?: number }) => {
        if (caught.status === 404) return null;
        throw caught;
      });
      const [checkIns, contacts, alerts] = profile ? await Promise.all([apis.checkIns.list(), apis.contacts.list(), apis.checkIns.alerts()]) : [[], [], []];
      const loaded = { profile, checkIns, contacts, alerts };
      lastKnown = { handle: account.handle, at: Date.now(), data: loaded };
      setData(loaded);
      setStaleSince(null);
      setError(null);
    } catch (caught) {
      if (isNetworkFailure(caught)) {
        setStaleSince(lastKnown?.handle === account.handle ? lastKnown.at : null);
        setError(t('offline.noConnection'));
      } else setError(errorText(caught));
    }
  }, [apis]);

  useEffect(() => {
    void load();
    const timer = window.setInterval(() => void load(), REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [load]);

  return (
    <section class="screen">
      <ScreenTitle>{t('checkin.title')}</ScreenTitle>
      {staleSince !== null ? <Notice tone="warn">{t('offline.stale', { time: time(staleSince) })}</Notice> : <ErrorMessage error={error} />}
      {!data && !error ? <Busy label={t('common.loading')} /> : null}
      {!data && error && staleSince === null ? <SmsCheckInHelp smsNumber={smsNumber} phoneHint={null} /> : null}
      {data && !data.profile ? <ProfileSetup api={apis.checkIns} onSaved={load} /> : null}
      {data?.profile ? (
        <>
          <PhoneVerification profile={data.profile} api={apis.checkIns} onVerified={load} />
          <NextDeadline checkIns={data.checkIns} api={apis.checkIns} onChanged={load} smsHelp={<SmsCheckInHelp smsNumber={smsNumber} phoneHint={data.profile.phoneHint} smsCheckIn={data.profile.smsCheckIn} />} />
          <ScheduleForm api={apis.checkIns} onScheduled={load} />
          <CheckInList checkIns={data.checkIns} api={apis.checkIns} onChanged={load} />
          <Contacts contacts={data.contacts} api={apis.contacts} onChanged={load} />
          <Alerts alerts={data.alerts} api={apis.checkIns} onRefresh={load} />
          <details class="card">
            <summary>{t('sms.title')}</summary>
            <SmsCheckInHelp smsNumber={smsNumber} phoneHint={data.profile.phoneHint} smsCheckIn={data.profile.smsCheckIn} />
          </details>
        </>
      ) : null}
    </section>
  );
}

function ProfileSetup({ api, onSaved }: { api: CheckInsApi; onSaved(): Promise<void> }) {
  const { t, lang, timeZone, timeZoneLabel } = useI18n();
  const errorText = useErrorText();
  const [displayName, setDisplayName] = useState('');
  const [language, setLanguage] = useState<Language>(lang);
  // The zones of the chosen language's region first, then this phone's, then all; the phone's is preselected.
  const zones = useMemo(() => timeZonesInOrder(language, timeZone), [language, timeZone]);
  const zoneOptions = useMemo(() => zones.map((zone) => ({ value: zone, label: describeTimeZone(zone, lang) })), [zones, lang]);
  const [profileZone, setProfileZone] = useState(() => sameZoneIn(zones, timeZone) ?? timeZone);
  const [pin, setPin] = useState('');
  const [duressPin, setDuressPin] = useState('');
  const [pinAgain, setPinAgain] = useState('');
  const [duressPinAgain, setDuressPinAgain] = useState('');
  const [phone, setPhone] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Typed twice: a PIN mistyped unseen at set-up would make her next "I'm safe" fail, and the alert go out.
  const [mismatch, setMismatch] = useState<'pin' | 'duress' | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (pin !== pinAgain) return setMismatch('pin');
    if (duressPin !== duressPinAgain) return setMismatch('duress');
    setMismatch(null);
    if (pin === duressPin) return setError(t('profile.pinsDiffer'));
    setBusy(true);
    setError(null);
    try {
      await api.setProfile({ displayName, timeZone: profileZone, language, pin, duressPin, phone: phone.trim() ? phone.trim() : undefined });
      setPin('');
      setDuressPin('');
      setPinAgain('');
      setDuressPinAgain('');
      await onSaved();
    } catch (caught) {
      setError(errorText(caught));
      setBusy(false);
    }
  };

  return (
    <div class="card">
      <h2>{t('profile.title')}</h2>
      <p>{t('profile.intro')}</p>
      <form onSubmit={submit} class="stack">
        <Field label={t('profile.displayName')} hint={t('profile.displayNameHint')} value={displayName} onValue={setDisplayName} required maxLength={40} />
        <SelectField label={t('profile.language')} value={language} options={LANGUAGES.map((l) => ({ value: l.code, label: l.name }))} onValue={setLanguage} />
        <Field label={t('profile.pin')} hint={t('profile.pinHint')} type="password" inputMode="numeric" autoComplete="off" pattern="[0-9]{4,12}" value={pin} onValue={setPin} required />
        <Field label={t('pins.repeatPin')} type="password" inputMode="numeric" autoComplete="off" pattern="[0-9]{4,12}" value={pinAgain} onValue={(v) => { setPinAgain(v); setMismatch(null); }} required />
        {mismatch === 'pin' ? <ErrorMessage error={t('pins.pinMismatch')} /> : null}
        <Field label={t('profile.duressPin')} hint={t('profile.duressPinHint')} type="password" inputMode="numeric" autoComplete="off" pattern="[0-9]{4,12}" value={duressPin} onValue={setDuressPin} required />
        <Field label={t('pins.repeatDuressPin')} type="password" inputMode="numeric" autoComplete="off" pattern="[0-9]{4,12}" value={duressPinAgain} onValue={(v) => { setDuressPinAgain(v); setMismatch(null); }} required />
        {mismatch === 'duress' ? <ErrorMessage error={t('pins.duressMismatch')} /> : null}
        <Field label={t('profile.phone')} hint={t('profile.phoneHint')} type="tel" autoComplete="off" value={phone} onValue={setPhone} />
        <SelectField label={t('profile.timeZonePick')} value={profileZone} options={zoneOptions} onValue={setProfileZone} />
        <p class="hint">{t('profile.timeZonePickHint', { zone: timeZoneLabel })}</p>
        <ErrorMessage error={error} />
        <button type="submit" class="primary" disabled={busy}>
          {t('profile.save')}
        </button>
      </form>
    </div>
  );
}

function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** Hours keep counting past 24 ("26:03:10"): "1 · 00:00:00" read as one minute or one second under stress. */
function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hh = String(Math.floor(total / 3600)).padStart(2, '0');
  const mm = String(Math.floor((total % 3600) / 60)).padStart(2, '0');
  const ss = String(total % 60).padStart(2, '0');
  return `${hh}:${mm}:${ss}`;
}

/**
 * The way to check in without the app's connection: a text with the PIN from her own registered
 * phone. The PIN itself is never shown (someone may be looking at the screen).
 */
function SmsCheckInHelp({ smsNumber, phoneHint, smsCheckIn }: { smsNumber: string | null; phoneHint: string | null; smsCheckIn?: 'on' | 'off' }) {
  const { t } = useI18n();
  if (!smsNumber) return <p data-testid="sms-help">{t('sms.noNumber')}</p>;
  // An unconfirmed number is ignored by the service: telling her to text from it would be a false way out.
  if (phoneHint && smsCheckIn === 'off') return <p data-testid="sms-help">{t('phoneVerify.off', { phone: phoneHint })}</p>;
  return (
    <div data-testid="sms-help" class="stack">
      <p>{phoneHint ? t('sms.how', { number: smsNumber, phone: phoneHint }) : t('sms.noPhone', { number: smsNumber })}</p>
      <p class="hint">{t('sms.example')}</p>
    </div>
  );
}

function NextDeadline({ checkIns, api, onChanged, smsHelp }: { checkIns: CheckIn[]; api: CheckInsApi; onChanged(): Promise<void>; smsHelp: ComponentChildren }) {
  const { t, dateTime, time } = useI18n();
  const now = useNow();
  const [asking, setAsking] = useState(false);
  const [extending, setExtending] = useState(false);
  const [extendMinutes, setExtendMinutes] = useState(30);
  // A confirmation belongs to the deadline it produced: a new or different deadline makes it stale, so it goes.
  const [confirmed, setConfirmed] = useState<{ text: string; forDeadline: string } | null>(null);
  const next = [...checkIns].sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt))[0];
  const shownDeadline = next ? `${next.id}@${next.dueAt}` : 'none';
  const done = confirmed && (confirmed.forDeadline === 'pending' || confirmed.forDeadline === shownDeadline) ? confirmed.text : null;
  const setDone = (text: string | null) => setConfirmed(text ? { text, forDeadline: 'pending' } : null);
  // Bound to the first deadline shown after the check-in (the reload brings it); any later change hides it.
  useEffect(() => {
    setConfirmed((current) => (current?.forDeadline === 'pending' ? { ...current, forDeadline: shownDeadline } : current));
  }, [shownDeadline]);

  if (!next) {
    return (
      <div class="card deadline">
        <h2>{t('checkin.noneTitle')}</h2>
        <p>{t('checkin.noneExplain')}</p>
        {done ? <Notice>{done}</Notice> : null}
      </div>
    );
  }
  const due = Date.parse(next.dueAt);
  const deadline = Date.parse(next.deadline);
  const overdue = now > due;
  return (
    <div class="card deadline" data-testid="next-deadline">
      <h2>{t('checkin.nextBy', { when: dateTime(next.dueAt) })}</h2>
      <p class={overdue ? 'countdown overdue' : 'countdown'} role="timer" aria-label={t('checkin.countdownLabel')}>
        {formatCountdown((overdue ? deadline : due) - now)}
      </p>
      <p>{overdue ? t('checkin.overdue', { time: time(next.deadline) }) : t('checkin.graceNote', { minutes: next.graceMinutes })}</p>
      {next.reach.optedIn === 0 ? <Notice tone="warn">{nobodyText(t, next.reach.waitingForYes)}</Notice> : null}
      {done ? <Notice>{done}</Notice> : null}
      <button type="button" class="safe-button" onClick={() => { setDone(null); setAsking(true); }}>
        {t('checkin.safe')}
      </button>
      <div class="row extend">
        <SelectField label={t('extend.howLong')} value={extendMinutes} options={[15, 30, 60, 120, 240].map((m) => ({ value: m, label: t('settings.minutes', { n: m }) }))} onValue={setExtendMinutes} />
        <button type="button" onClick={() => { setDone(null); setExtending(true); }}>
          {t('extend.open')}
        </button>
      </div>
      {extending ? (
        // The duress PIN works here too, with the same dialog and the same words on screen.
        <PinDialog
          title={t('extend.title', { n: extendMinutes })}
          submitLabel={t('extend.confirm')}
          onClose={() => setExtending(false)}
          onPin={async (pin) => {
            const result = await api.extend(next.id, pin, extendMinutes);
            setDone(t('extend.done', { when: dateTime(result.dueAt) }));
            await onChanged();
          }}
        />
      ) : null}
      {asking ? (
        <PinDialog
          title={t('checkin.safeTitle')}
          submitLabel={t('checkin.safeConfirm')}
          networkHelp={smsHelp}
          onClose={() => setAsking(false)}
          onPin={async (pin) => {
            const result = await api.checkIn(next.id, pin);
            setDone(result.nextDueAt ? t('checkin.doneNext', { time: time(result.checkedInAt), next: dateTime(result.nextDueAt) }) : t('checkin.done', { time: time(result.checkedInAt) }));
            await onChanged();
          }}
        />
      ) : null}
    </div>
  );
}

/** Said wherever she looks when a check-in protects nobody: home card, before scheduling. */
function nobodyText(t: I18n['t'], waitingForYes: string[]): string {
  if (waitingForYes.length === 1) return t('reach.nobodyWaitingOne', { name: waitingForYes[0] ?? '' });
  if (waitingForYes.length > 1) return t('reach.nobodyWaitingMany', { names: waitingForYes.join(', ') });
  return t('reach.nobodyNoContact');
}

type Kind = 'once' | 'interval' | 'daily';

function defaultDueValue(): string {
  const inTwoHours = new Date(Date.now() + 2 * 3600_000);
  inTwoHours.setMinutes(0, 0, 0);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${inTwoHours.getFullYear()}-${pad(inTwoHours.getMonth() + 1)}-${pad(inTwoHours.getDate())}T${pad(inTwoHours.getHours())}:${pad(inTwoHours.getMinutes())}`;
}

function ScheduleForm({ api, onScheduled }: { api: CheckInsApi; onScheduled(): Promise<void> }) {
  const { t, timeZone, timeZoneLabel } = useI18n();
  const echoDate = useDateEcho();
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<Kind>('once');
  const [dueAt, setDueAt] = useState(defaultDueValue);
  const [everyHours, setEveryHours] = useState('12');
  const [times, setTimes] = useState('09:00, 21:00');
  const [grace, setGrace] = useState(15);
  const [message, setMessage] = useState('');
  const [place, setPlace] = useState('');
  const { busy, error, run } = useAction((caught) => {
    const code = (caught as { code?: string }).code;
    return code === 'due_in_past' ? t('schedule.inPast') : code === 'due_too_far' ? t('schedule.tooFar') : null;
  });
  const [warning, setWarning] = useState<string | null>(null);
  // What will be sent, shown before scheduling; it belongs to exactly the input it was made for.
  const [preview, setPreview] = useState<{ input: ScheduleCheckInInput; result: AlertPreview } | null>(null);
  const edit =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      setPreview(null);
      set(value);
    };

  const currentInput = (): ScheduleCheckInInput => {
    const schedule =
      kind === 'once'
        ? { kind, dueAt: new Date(dueAt).toISOString() }
        : kind === 'interval'
          ? { kind, everyHours: Number(everyHours) }
          : { kind, times: times.split(/[,\s]+/).filter(Boolean) };
    return { schedule, graceMinutes: grace, alertMessage: message, place: place.trim() || undefined, timeZone };
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    await run(async () => {
      if (!preview) {
        const input = currentInput();
        setPreview({ input, result: await api.preview(input) });
        return;
      }
      const { alertSize } = await api.schedule(preview.input);
      setWarning(alertSize.segments > 2 ? t('schedule.segments', { n: alertSize.segments }) : null);
      setMessage('');
      setPlace('');
      setPreview(null);
      setOpen(false);
      await onScheduled();
    });
  };

  return (
    <div class="card">
      {warning ? <Notice tone="warn">{warning}</Notice> : null}
      {!open ? (
        <button type="button" onClick={() => setOpen(true)}>
          {t('schedule.open')}
        </button>
      ) : (
        <form onSubmit={submit} class="stack">
          <h2>{t('schedule.title')}</h2>
          <SelectField
            label={t('schedule.kind')}
            value={kind}
            options={[
              { value: 'once', label: t('schedule.once') },
              { value: 'interval', label: t('schedule.interval') },
              { value: 'daily', label: t('schedule.daily') },
            ]}
            onValue={edit(setKind)}
          />
          {kind === 'once' ? <Field label={t('schedule.dueAt')} hint={echoDate(dueAt, true) || undefined} type="datetime-local" value={dueAt} onValue={edit(setDueAt)} required /> : null}
          {kind === 'interval' ? <Field label={t('schedule.everyHours')} type="number" inputMode="numeric" min={1} max={168} value={everyHours} onValue={edit(setEveryHours)} required /> : null}
          {kind === 'daily' ? <Field label={t('schedule.times')} hint={t('schedule.timesHint')} value={times} onValue={edit(setTimes)} required /> : null}
          <SelectField label={t('schedule.grace')} value={grace} options={[0, 5, 10, 15, 30, 60, 120].map((m) => ({ value: m, label: t('settings.minutes', { n: m }) }))} onValue={edit(setGrace)} />
          <TextArea label={t('schedule.message')} hint={t('schedule.messageHint')} value={message} onValue={edit(setMessage)} rows={3} maxLength={480} required />
          <Field label={t('schedule.place')} hint={t('schedule.placeHint')} value={place} onValue={edit(setPlace)} maxLength={160} />
          <p class="hint">{t('profile.timeZone', { zone: timeZoneLabel })}</p>
          {preview ? <AlertPreviewPanel preview={preview.result} /> : null}
          <ErrorMessage error={error} />
          <button type="submit" class="primary" disabled={busy}>
            {preview ? t('preview.confirm') : t('schedule.submit')}
          </button>
          <button type="button" onClick={() => { setPreview(null); setOpen(false); }}>
            {t('common.cancel')}
          </button>
        </form>
      )}
    </div>
  );
}

/** Before scheduling: who is texted, in which order, and the exact SMS each gets (rendered by the server's catalogue). */
function AlertPreviewPanel({ preview }: { preview: AlertPreview }) {
  const { t } = useI18n();
  const alerted = preview.recipients.filter((r) => r.order !== null).sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  const left = preview.recipients.filter((r) => r.order === null);
  return (
    <section class="stack" data-testid="alert-preview" aria-labelledby="alert-preview-title">
      <h3 id="alert-preview-title">{t('preview.title')}</h3>
      {preview.nobodyWillBeAlerted ? (
        <Notice tone="warn">
          {nobodyText(t, left.filter((r) => r.state === 'invited').map((r) => r.name))} {t('reach.scheduleAnyway')}
        </Notice>
      ) : null}
      {alerted.length > 0 ? (
        <ol class="plain">
          {alerted.map((r) => (
            <li key={r.contactId}>
              <p>
                <strong>{t('preview.who', { order: r.order ?? 0, name: r.name, tier: r.tier })}</strong> · {t('preview.segments', { n: r.segments })}
              </p>
              <p class="preview-text" aria-label={t('preview.textFor', { name: r.name })}>
                {r.text}
              </p>
            </li>
          ))}
        </ol>
      ) : null}
      {left.map((r) => (
        <p key={r.contactId} class="hint">
          {t('preview.notAlerted', { name: r.name, why: t(r.state === 'opted_out' ? 'contacts.optedOut' : 'contacts.invited') })}
        </p>
      ))}
    </section>
  );
}

function CheckInList({ checkIns, api, onChanged }: { checkIns: CheckIn[]; api: CheckInsApi; onChanged(): Promise<void> }) {
  const { t, dateTime } = useI18n();
  const [cancelling, setCancelling] = useState<CheckIn | null>(null);
  if (checkIns.length === 0) return null;
  const describe = (c: CheckIn) =>
    c.schedule.kind === 'once' ? t('schedule.once') : c.schedule.kind === 'interval' ? t('list.every', { n: c.schedule.everyHours ?? 0 }) : t('list.dailyAt', { times: (c.schedule.times ?? []).join(', ') });
  return (
    <div class="card">
      <h2>{t('list.title')}</h2>
      <ul class="plain">
        {checkIns.map((c) => (
          <li key={c.id}>
            <p>
              <strong>{describe(c)}</strong> · {t('list.nextBy', { when: dateTime(c.dueAt) })}
            </p>
            <p class="hint">{c.alertMessage}</p>
            <button type="button" class="danger" onClick={() => setCancelling(c)}>
              {t('list.cancel')}
            </button>
          </li>
        ))}
      </ul>
      {cancelling ? (
        <PinDialog
          title={t('list.cancelTitle')}
          submitLabel={t('list.cancelConfirm')}
          onClose={() => setCancelling(null)}
          onPin={async (pin) => {
            await api.cancel(cancelling.id, pin);
            await onChanged();
          }}
        />
      ) : null}
    </div>
  );
}

const CONTACT_STATE: Record<TrustedContact['state'], MessageKey> = { invited: 'contacts.invited', opted_in: 'contacts.optedIn', opted_out: 'contacts.optedOut' };

function Contacts({ contacts, api, onChanged }: { contacts: TrustedContact[]; api: ContactsApi; onChanged(): Promise<void> }) {
  const { t, lang } = useI18n();
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [language, setLanguage] = useState<Language>(lang);
  const [tier, setTier] = useState(1);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<TrustedContact | null>(null);
  const { busy, error, run } = useAction((caught) => {
    const code = (caught as { code?: string }).code;
    return code === 'invalid_phone' ? t('contacts.invalidPhone') : code === 'contact_exists' ? t('contacts.exists') : null;
  });
  const act = (action: () => Promise<unknown>) => run(async () => {
    await action();
    await onChanged();
  });

  const add = async (event: Event) => {
    event.preventDefault();
    if (await act(() => api.add({ name, phone, language, tier }))) {
      setName('');
      setPhone('');
      setAdding(false);
    }
  };

  return (
    <div class="card" data-testid="contacts">
      <h2>{t('contacts.title')}</h2>
      <p class="hint">{t('contacts.intro')}</p>
      {contacts.length === 0 ? <p>{t('contacts.none')}</p> : null}
      <ul class="plain">
        {contacts.map((c) => (
          <li key={c.id}>
            <p>
              <strong>{c.name}</strong> · {c.phoneHint} · {t('contacts.tierN', { n: c.tier })}{' '}
              <span class={`status ${c.state === 'opted_in' ? 'ok' : c.state === 'opted_out' ? 'bad' : ''}`}>{t(CONTACT_STATE[c.state])}</span>
            </p>
            <div class="row">
              {c.state === 'invited' ? (
                <button type="button" disabled={busy} onClick={() => void act(() => api.reinvite(c.id))}>
                  {t('contacts.reinvite')}
                </button>
              ) : null}
              <button type="button" class="danger" disabled={busy} onClick={() => setRemoving(c)}>
                {t('contacts.remove', { name: c.name })}
              </button>
            </div>
          </li>
        ))}
      </ul>
      {removing ? (
        <ConfirmDialog
          question={t('contacts.removeConfirm', { name: removing.name })}
          confirmLabel={t('contacts.remove', { name: removing.name })}
          onAnswer={(yes) => {
            const contact = removing;
            setRemoving(null);
            if (yes) void act(() => api.remove(contact.id));
          }}
        />
      ) : null}
      <ErrorMessage error={error} />
      {adding ? (
        <form onSubmit={add} class="stack">
          <Field label={t('contacts.name')} value={name} onValue={setName} required maxLength={60} />
          <Field label={t('contacts.phone')} hint={t('contacts.phoneHint')} type="tel" value={phone} onValue={setPhone} required />
          <SelectField label={t('contacts.language')} value={language} options={LANGUAGES.map((l) => ({ value: l.code, label: l.name }))} onValue={setLanguage} />
          <SelectField label={t('contacts.tier')} value={tier} options={[1, 2, 3].map((n) => ({ value: n, label: t('contacts.tierN', { n }) }))} onValue={setTier} />
          <button type="submit" class="primary" disabled={busy}>
            {t('contacts.add')}
          </button>
          <button type="button" onClick={() => setAdding(false)}>
            {t('common.cancel')}
          </button>
        </form>
      ) : (
        <button type="button" onClick={() => setAdding(true)}>
          {t('contacts.addOpen')}
        </button>
      )}
    </div>
  );
}

const ALERT_STATE: Record<AlertSummary['state'], MessageKey> = { escalating: 'alerts.escalating', acknowledged: 'alerts.acknowledged', resolved: 'alerts.resolved' };

const TIMELINE_KIND: Record<string, MessageKey> = {
  checked_in: 'timeline.checked_in',
  missed: 'timeline.missed',
  duress: 'timeline.missed', // shown like a missed check-in: a duress alert must not announce itself on the phone
  tier_alerted: 'timeline.tier_alerted',
  repeat_started: 'timeline.repeat_started',
  no_contacts: 'timeline.no_contacts',
  escalation_exhausted: 'timeline.escalation_exhausted',
  message_sent: 'timeline.message_sent',
  message_delivered: 'timeline.message_delivered',
  message_failed: 'timeline.message_failed',
  acknowledged: 'timeline.acknowledged',
  all_clear_sent: 'timeline.all_clear_sent',
  resolved: 'timeline.resolved',
  cancelled: 'timeline.cancelled',
  extended: 'timeline.extended',
};

function Alerts({ alerts, api, onRefresh }: { alerts: AlertSummary[]; api: CheckInsApi; onRefresh(): Promise<void> }) {
  const { t, dateTime } = useI18n();
  const errorText = useErrorText();
  const [openId, setOpenId] = useState<string | null>(null);
  const [timeline, setTimeline] = useState<TimelineEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const show = async (alertId: string) => {
    setOpenId(alertId);
    setTimeline(null);
    try {
      setTimeline((await api.timeline(alertId)).timeline);
    } catch (caught) {
      setError(errorText(caught));
    }
  };

  return (
    <div class="card" data-testid="alerts">
      <h2>{t('alerts.title')}</h2>
      {alerts.length === 0 ? <p>{t('alerts.none')}</p> : null}
      <ul class="plain">
        {alerts.map((a) => (
          <li key={a.id}>
            <p>
              {t('alerts.missedAt', { when: dateTime(a.missedAt) })} <span class={`status ${a.state === 'resolved' ? 'ok' : 'bad'}`}>{t(ALERT_STATE[a.state])}</span>
            </p>
            {a.reachedNobody ? <Notice tone="warn">{t('alerts.reachedNobody')}</Notice> : null}
            {a.acknowledgedBy ? <p class="hint">{t('alerts.handledBy', { name: a.acknowledgedBy })}</p> : null}
            <button type="button" onClick={() => void (openId === a.id ? setOpenId(null) : show(a.id))} aria-expanded={openId === a.id}>
              {t('alerts.timeline')}
            </button>
            {openId === a.id ? (
              timeline ? (
                <ol class="timeline" aria-label={t('alerts.timeline')}>
                  {timeline.map((entry, i) => (
                    <li key={i}>
                      <time dateTime={entry.at}>{dateTime(entry.at)}</time>
                      {t(TIMELINE_KIND[entry.kind] ?? 'timeline.other', { tier: entry.tier ?? '', name: entry.contactName ?? '' })}
                      {entry.contactName && !['acknowledged'].includes(entry.kind) ? ` · ${entry.contactName}` : ''}
                    </li>
                  ))}
                </ol>
              ) : (
                <Busy label={t('common.loading')} />
              )
            ) : null}
          </li>
        ))}
      </ul>
      <ErrorMessage error={error} />
      <button type="button" onClick={() => void onRefresh()}>
        {t('common.refresh')}
      </button>
    </div>
  );
}
