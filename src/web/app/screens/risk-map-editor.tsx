import { useState } from 'preact/hooks';
import { MeshworkApiError, type DecryptedDocument, type RiskMap, type Team } from '../../../client';
import { leaveIfConfirmed, useOpenEditor, type Draft } from '../common/drafts';
import { useDateEcho, useI18n } from '../../i18n/i18n';
import { RiskMatrix, RiskSummaryTable } from '../common/risk-matrix';
import { ErrorMessage, Field, Notice, ScreenTitle, TextArea, useErrorText } from '../common/ui';
import { VersionHistory } from './versions';
import { today } from './risk-map-parts';
import { ActorsEditor } from './actors-editor';
import { ItemsEditor } from './items-editor';
import { ThreatsEditor } from './threats-editor';

const emptyMap = (): RiskMap => ({ title: '', context: '', assessedOn: today(), participants: [], actors: [], threats: [], vulnerabilities: [], capacities: [] });

/** Merges two edits of the same map: everything in theirs, plus the items only mine added. */
function mergeMaps(theirs: RiskMap, mine: RiskMap): RiskMap {
  const union = <T extends { id: string }>(a: T[], b: T[]) => [...a, ...b.filter((item) => !a.some((x) => x.id === item.id))];
  const actors = union(theirs.actors, mine.actors);
  const vulnerabilities = union(theirs.vulnerabilities, mine.vulnerabilities);
  const capacities = union(theirs.capacities, mine.capacities);
  return { ...theirs, actors, vulnerabilities, capacities, threats: union(theirs.threats, mine.threats) };
}

export function RiskMapEditor({ team, document, restored, onDone }: { team: Team; document: DecryptedDocument<'risk-map'> | null; restored?: Draft; onDone(): void }) {
  const { t } = useI18n();
  const echoDate = useDateEcho();
  const errorText = useErrorText();
  const [map, setMap] = useState<RiskMap>(() => (restored ? (restored.content as RiskMap) : document ? structuredClone(document.content) : emptyMap()));
  const [base, setBase] = useState(document);
  // A restored draft saves against the version it was started from, so edits made meanwhile raise a conflict.
  const [startedFrom, setStartedFrom] = useState<number | null>(restored?.baseVersion ?? null);
  const [conflict, setConflict] = useState<DecryptedDocument<'risk-map'> | null>(null);
  const [saved, setSaved] = useState(false);
  const [dirty, setDirty] = useState(Boolean(restored));
  useOpenEditor(dirty, () => ({ kind: 'risk-map', teamId: team.teamId, documentId: base?.documentId ?? null, baseVersion: startedFrom ?? base?.version ?? null, title: map.title, content: map }));
  const [restoredFrom, setRestoredFrom] = useState<number | null>(null);
  // The confirmation and any error show beside the Save that was pressed (top or end of the map).
  const [savedWhere, setSavedWhere] = useState<'top' | 'end'>('top');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const update = (patch: Partial<RiskMap>) => {
    setSaved(false);
    setDirty(true);
    setRestoredFrom(null);
    setMap((current) => ({ ...current, ...patch }));
  };

  const save = async (content: RiskMap, baseVersion?: number) => {
    setBusy(true);
    setError(null);
    try {
      const written = base ? await team.vault.update<'risk-map'>(base.documentId, content, { baseVersion: baseVersion ?? startedFrom ?? base.version }) : await team.vault.create('risk-map', content);
      setBase(written);
      setStartedFrom(null);
      setMap(structuredClone(written.content));
      setConflict(null);
      setSaved(true);
      setDirty(false);
    } catch (caught) {
      if (caught instanceof MeshworkApiError && caught.code === 'version_conflict' && base) {
        // Never a silent overwrite: show what changed and let the person choose.
        setRestoredFrom(null);
        setConflict((await team.vault.get(base.documentId)) as DecryptedDocument<'risk-map'>);
      } else setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="screen">
      <ScreenTitle>{map.title || t('riskMap.new')}</ScreenTitle>
      <button type="button" class="link" onClick={() => leaveIfConfirmed(onDone)}>
        {t('common.back')}
      </button>
      <RiskMatrix map={map} />
      <RiskSummaryTable map={map} />
      {conflict ? (
        <div class="card stack" role="alert" data-testid="conflict">
          <h2>{t('conflict.title')}</h2>
          <p>{t('conflict.explain', { handle: conflict.author.handle, version: conflict.version })}</p>
          <button type="button" class="primary" disabled={busy} onClick={() => void save(mergeMaps(conflict.content, map), conflict.version)}>
            {t('conflict.merge')}
          </button>
          <button type="button" disabled={busy} onClick={() => { setBase(conflict); setMap(structuredClone(conflict.content)); setDirty(false); setConflict(null); }}>
            {t('conflict.theirs')}
          </button>
          <button type="button" class="danger" disabled={busy} onClick={() => void save(map, conflict.version)}>
            {t('conflict.mine')}
          </button>
        </div>
      ) : null}
      <form id="risk-map-form" class="card stack" onSubmit={(e) => { e.preventDefault(); setSavedWhere((e.submitter as HTMLElement | null)?.dataset.where === 'end' ? 'end' : 'top'); void save(map); }}>
        <Field label={t('riskMap.name')} value={map.title} onValue={(title) => update({ title })} required maxLength={200} />
        <TextArea label={t('riskMap.context')} value={map.context} onValue={(context) => update({ context })} rows={3} />
        <Field label={t('riskMap.assessedOn')} hint={echoDate(map.assessedOn) || undefined} type="date" value={map.assessedOn} onValue={(assessedOn) => update({ assessedOn })} required />
        {savedWhere === 'top' ? <ErrorMessage error={error} /> : null}
        {saved && !restoredFrom && savedWhere === 'top' ? <Notice>{t('riskMap.saved', { version: base?.version ?? 1 })}</Notice> : null}
        <button type="submit" class="primary" disabled={busy}>
          {t('riskMap.save')}
        </button>
      </form>
      <ActorsEditor map={map} update={update} />
      <ItemsEditor map={map} update={update} />
      <ThreatsEditor map={map} update={update} />
      {/* A long map: Save at the end too, where the last threat was added, not only a screen's scroll away. */}
      <div class="card stack save-bar">
        {savedWhere === 'end' ? <ErrorMessage error={error} /> : null}
        {saved && !restoredFrom && savedWhere === 'end' ? <Notice>{t('riskMap.saved', { version: base?.version ?? 1 })}</Notice> : null}
        {/* Submits the form above, so the browser's check of its required fields applies here too. */}
        <button type="submit" form="risk-map-form" data-where="end" class="primary" disabled={busy}>
          {t('drafts.saveMapAtEnd')}
        </button>
      </div>
      {base ? (
        <VersionHistory
          team={team}
          documentId={base.documentId}
          newest={base.version}
          busy={busy}
          dirty={dirty}
          // Restoring saves the old content as a new version on top of the one this editor started from.
          onRestore={(version) => { const content = structuredClone(version.content as RiskMap); setMap(content); setRestoredFrom(version.version); void save(content); }}
          notice={saved && restoredFrom ? t('history.restored', { from: restoredFrom, version: base.version }) : null}
        />
      ) : null}
    </section>
  );
}
