import { useEffect, useRef, useState } from 'preact/hooks';
import type { DecryptedDocument, IncidentInput, Team } from '../../../client';
import { leaveIfConfirmed, useOpenEditor, type Draft } from '../common/drafts';
import { useDateEcho, useI18n } from '../../i18n/i18n';
import { Busy, ErrorMessage, Field, Notice, ScreenTitle, TextArea } from '../common/ui';
import { useAction } from '../common/use-action';

type IncidentDocument = DecryptedDocument<'incident'>;
const PAGE = 50;

const byWhenNewestFirst = (a: IncidentDocument, b: IncidentDocument) => Date.parse(b.content.occurredAt) - Date.parse(a.content.occurredAt) || b.writtenAt.localeCompare(a.writtenAt);

/** The team screen's card leading to the log. */
export function IncidentsCard({ onOpen }: { onOpen(): void }) {
  const { t } = useI18n();
  return (
    <div class="card">
      <h2>{t('incidents.title')}</h2>
      <p class="hint">{t('incidents.intro')}</p>
      <button type="button" onClick={onOpen}>
        {t('incidents.open')}
      </button>
    </div>
  );
}

/** The team's incident log: each entry an encrypted document of its own, listed by when it happened, newest first. */
export function IncidentLog({ team, restored, onDone }: { team: Team; restored?: Draft; onDone(): void }) {
  const { t, dateTime, date, time } = useI18n();
  const [entries, setEntries] = useState<IncidentDocument[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [adding, setAdding] = useState(Boolean(restored));
  const [added, setAdded] = useState(false);
  const { busy, error, run } = useAction((caught) => ((caught as { name?: unknown } | null)?.name === 'InvalidContentError' ? t('plan.incomplete') : null));

  /** Pages follow the order entries were written (the server's cursor); the list shows them by when they happened. */
  const load = async (older?: { entries: IncidentDocument[]; before: string }) => {
    const page = await team.vault.list('incident', { limit: PAGE, before: older?.before });
    setEntries([...(older?.entries ?? []), ...page].sort(byWhenNewestFirst));
    const last = page[page.length - 1];
    setCursor(page.length === PAGE && last ? (last.server.createdAt ?? last.server.writtenAt) : null);
  };

  useEffect(() => void run(() => load()), [team]);

  return (
    <section class="screen incident-log">
      <ScreenTitle>{t('incidents.title')}</ScreenTitle>
      <button type="button" class="link" onClick={() => leaveIfConfirmed(onDone)}>
        {t('common.back')}
      </button>
      <p class="hint">{t('incidents.intro')}</p>
      <ErrorMessage error={error} />
      {added ? <Notice>{t('incidents.added')}</Notice> : null}
      {adding ? (
        <IncidentForm
          teamId={team.teamId}
          restored={restored?.content as IncidentFormState | undefined}
          busy={busy}
          onCancel={() => leaveIfConfirmed(() => setAdding(false))}
          onSubmit={(incident) =>
            void run(async () => {
              await team.vault.create('incident', incident);
              await load();
              setAdding(false);
              setAdded(true);
            })
          }
        />
      ) : (
        <button type="button" class="primary wide" onClick={() => { setAdded(false); setAdding(true); }}>
          {t('incidents.add')}
        </button>
      )}
      {!entries ? (
        error ? null : <Busy label={t('common.loading')} />
      ) : entries.length === 0 ? (
        <p>{t('incidents.none')}</p>
      ) : (
        <ol class="plain incidents" data-testid="incidents">
          {entries.map((entry) => (
            <li key={entry.documentId} class="card incident">
              <article aria-labelledby={`incident-${entry.documentId}`}>
                <h2 id={`incident-${entry.documentId}`} class="incident-when">
                  {/* With the year: a log is read back years later, for a complaint or a report. */}
                  <time dateTime={entry.content.occurredAt}>
                    {date(entry.content.occurredAt)}, {time(entry.content.occurredAt)}
                  </time>
                  {entry.content.place ? ` · ${entry.content.place}` : ''}
                </h2>
                <p class="incident-what">{entry.content.description}</p>
                {entry.content.actors.length ? (
                  <p>
                    <strong>{t('incidents.actors')}:</strong> {entry.content.actors.join(', ')}
                  </p>
                ) : null}
                {entry.content.followUp ? (
                  <p>
                    <strong>{t('incidents.followUp')}:</strong> {entry.content.followUp}
                  </p>
                ) : null}
                <p class="hint">{t('incidents.writtenBy', { handle: entry.author.handle, when: dateTime(entry.writtenAt) })}</p>
              </article>
            </li>
          ))}
        </ol>
      )}
      {cursor && entries ? (
        <button type="button" disabled={busy} onClick={() => void run(() => load({ entries, before: cursor }))}>
          {t('incidents.older')}
        </button>
      ) : null}
    </section>
  );
}

interface IncidentFormState {
  when: string;
  place: string;
  what: string;
  actors: string;
  followUp: string;
}

function IncidentForm({ teamId, restored, busy, onSubmit, onCancel }: { teamId: string; restored?: IncidentFormState; busy: boolean; onSubmit(incident: IncidentInput): void; onCancel(): void }) {
  // "When" is typed and shown as a wall time in the zone the hint names (her profile's once known).
  const { t, timeZoneLabel, fromWallTime, toWallTime } = useI18n();
  const echoDate = useDateEcho();
  const [startedAt] = useState(() => toWallTime(Date.now()));
  const [when, setWhen] = useState(restored?.when ?? startedAt);
  const [place, setPlace] = useState(restored?.place ?? '');
  const [what, setWhat] = useState(restored?.what ?? '');
  const [actors, setActors] = useState(restored?.actors ?? '');
  const [followUp, setFollowUp] = useState(restored?.followUp ?? '');
  // Unsaved until the entry is written: the log re-renders without the form once it is.
  const dirty = !busy && (when !== startedAt || [place, what, actors, followUp].some((text) => text.trim() !== ''));
  useOpenEditor(dirty, () => ({ kind: 'incident', teamId, documentId: null, baseVersion: null, title: what.trim().slice(0, 60), content: { when, place, what, actors, followUp } satisfies IncidentFormState }));
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLInputElement>('input')?.focus();
  }, []);
  const submit = () => {
    const occurredAt = fromWallTime(when);
    if (Number.isNaN(occurredAt.getTime())) return;
    onSubmit({
      occurredAt: occurredAt.toISOString(),
      ...(place.trim() ? { place: place.trim() } : {}),
      description: what.trim(),
      actors: actors.split(',').map((a) => a.trim()).filter(Boolean),
      ...(followUp.trim() ? { followUp: followUp.trim() } : {}),
    });
  };
  return (
    <form ref={ref} class="card stack" data-testid="incident-form" onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <h2>{t('incidents.add')}</h2>
      <Field label={t('incidents.when')} hint={`${echoDate(when, true)} ${t('profile.timeZone', { zone: timeZoneLabel })}`.trim()} type="datetime-local" value={when} onValue={setWhen} required />
      <Field label={t('incidents.where')} value={place} onValue={setPlace} maxLength={300} />
      <TextArea label={t('incidents.what')} value={what} onValue={setWhat} rows={4} required maxLength={10000} />
      <Field label={t('incidents.actors')} hint={t('plan.namesHint')} value={actors} onValue={setActors} maxLength={2000} />
      <TextArea label={t('incidents.followUp')} hint={t('incidents.followUpHint')} value={followUp} onValue={setFollowUp} rows={2} maxLength={5000} />
      <button type="submit" class="primary" disabled={busy}>
        {t('incidents.save')}
      </button>
      <button type="button" disabled={busy} onClick={onCancel}>
        {t('common.cancel')}
      </button>
    </form>
  );
}
