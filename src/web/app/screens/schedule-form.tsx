import { useState } from 'preact/hooks';
import { CheckInsApi, type AlertPreview, type ScheduleCheckInInput } from '../../../client/checkins';
import { useDateEcho, useI18n } from '../../i18n/i18n';
import { ErrorMessage, Field, Notice, SelectField, TextArea } from '../common/ui';
import { useAction } from '../common/use-action';
import { AlertPreviewPanel } from './alert-preview-panel';

type Kind = 'once' | 'interval' | 'daily';

/** Two hours from now, on the hour, as her zone's wall time. */
const defaultDueValue = (toWallTime: (date: number) => string) => `${toWallTime(Date.now() + 2 * 3600_000).slice(0, 13)}:00`;

export function ScheduleForm({ api, onScheduled }: { api: CheckInsApi; onScheduled(): Promise<void> }) {
  // The typed time is a wall time in the zone the form names (her profile's), not in this phone's clock zone.
  const { t, timeZone, timeZoneLabel, fromWallTime, toWallTime } = useI18n();
  const echoDate = useDateEcho();
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<Kind>('once');
  const [dueAt, setDueAt] = useState(() => defaultDueValue(toWallTime));
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
        ? { kind, dueAt: fromWallTime(dueAt).toISOString() }
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
