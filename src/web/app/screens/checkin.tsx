import { useCallback, useEffect, useState } from 'preact/hooks';
import type { UnlockedAccount } from '../../../client';
import { CheckInsApi, type AlertSummary, type CheckIn, type CheckInProfile } from '../../../client/checkins';
import { ContactsApi, type TrustedContact } from '../../../client/contacts';
import { useI18n, useShowTimesIn } from '../../i18n/i18n';
import { onAccountChange } from '../common/session';
import { Busy, ErrorMessage, Notice, ScreenTitle, useErrorText } from '../common/ui';
import { PhoneVerification } from './phone-verification';
import { ProfileSetup } from './profile-setup';
import { NextDeadline } from './next-deadline';
import { SmsCheckInHelp } from './sms-check-in-help';
import { ScheduleForm } from './schedule-form';
import { CheckInList } from './check-in-list';
import { Contacts } from './contacts';
import { TeamNetworkChoiceCard } from './team-network-choice';
import { Alerts } from './alerts';

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
  const showTimesIn = useShowTimesIn();
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
      showTimesIn(profile?.timeZone ?? null);
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
          <TeamNetworkChoiceCard account={account} />
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
