import { useState } from 'preact/hooks';
import { CheckInsApi, type CheckIn } from '../../../client/checkins';
import { useI18n } from '../../i18n/i18n';
import { PinDialog } from '../common/pin-dialog';

export function CheckInList({ checkIns, api, onChanged }: { checkIns: CheckIn[]; api: CheckInsApi; onChanged(): Promise<void> }) {
  const { t, dateTime, timeZoneLabel } = useI18n();
  const [cancelling, setCancelling] = useState<CheckIn | null>(null);
  if (checkIns.length === 0) return null;
  const describe = (c: CheckIn) =>
    c.schedule.kind === 'once' ? t('schedule.once') : c.schedule.kind === 'interval' ? t('list.every', { n: c.schedule.everyHours ?? 0 }) : t('list.dailyAt', { times: (c.schedule.times ?? []).join(', ') });
  return (
    <div class="card">
      <h2>{t('list.title')}</h2>
      <p class="hint">{t('profile.timeZone', { zone: timeZoneLabel })}</p>
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
