import { useState } from 'preact/hooks';
import { CheckInsApi, type AlertSummary, type TimelineEntry } from '../../../client/checkins';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { Busy, ErrorMessage, Notice, useErrorText } from '../common/ui';

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

export function Alerts({ alerts, api, onRefresh }: { alerts: AlertSummary[]; api: CheckInsApi; onRefresh(): Promise<void> }) {
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
