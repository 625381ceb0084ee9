import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { CheckInsApi, type CheckIn } from '../../../client/checkins';
import { useI18n } from '../../i18n/i18n';
import { PinDialog } from '../common/pin-dialog';
import { Notice, SelectField } from '../common/ui';
import { nobodyText, teamNetworkText } from './nobody-text';

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

export function NextDeadline({ checkIns, api, onChanged, smsHelp }: { checkIns: CheckIn[]; api: CheckInsApi; onChanged(): Promise<void>; smsHelp: ComponentChildren }) {
  const { t, dateTime, time, timeZoneLabel } = useI18n();
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
      <p class="hint" data-testid="deadline-zone">{t('profile.timeZone', { zone: timeZoneLabel })}</p>
      <p class={overdue ? 'countdown overdue' : 'countdown'} role="timer" aria-label={t('checkin.countdownLabel')}>
        {formatCountdown((overdue ? deadline : due) - now)}
      </p>
      <p>{overdue ? t('checkin.overdue', { time: time(next.deadline) }) : t('checkin.graceNote', { minutes: next.graceMinutes })}</p>
      {next.reach.optedIn === 0 ? (
        <Notice tone="warn">{nobodyText(t, next.reach.waitingForYes, next.reach.teamNetwork)}</Notice>
      ) : next.reach.teamNetwork?.status === 'not_a_member' || next.reach.teamNetwork?.optedIn === 0 ? (
        // Someone else is covered, but the team network she chose is not: said as plainly as "nobody".
        <Notice tone="warn">{teamNetworkText(t, next.reach.teamNetwork)}</Notice>
      ) : next.reach.teamNetwork ? (
        <p class="hint" data-testid="team-reach">{teamNetworkText(t, next.reach.teamNetwork)}</p>
      ) : null}
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
