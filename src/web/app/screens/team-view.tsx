import { useCallback, useEffect, useState } from 'preact/hooks';
import type { DecryptedDocument, Team } from '../../../client';
import { takeRestoring, type Draft } from '../common/drafts';
import { Fingerprint } from '../common/fingerprint';
import { useI18n } from '../../i18n/i18n';
import { teamLogLine } from '../common/team-log-line';
import { Busy, ConfirmDialog, ErrorMessage, Field, ScreenTitle, useErrorText } from '../common/ui';
import { IncidentLog, IncidentsCard } from './incidents';
import { SecurityPlanEditor, SecurityPlansCard } from './plan';
import { useAction } from '../common/use-action';
import { securityWarningOf } from './security-warning';
import { RiskMapEditor } from './risk-map-editor';
import { LogHead } from './log-head';
import { TeamNetworkCard } from './team-network';

export function TeamView({ team, onBack }: { team: Team; onBack(): void }) {
  const { t, dateTime } = useI18n();
  const errorText = useErrorText();
  const [, setVersion] = useState(0);
  const [maps, setMaps] = useState<DecryptedDocument<'risk-map'>[] | null>(null);
  const [editing, setEditing] = useState<DecryptedDocument<'risk-map'> | 'new' | null>(null);
  const [plan, setPlan] = useState<DecryptedDocument<'security-plan'> | 'new' | null>(null);
  const [incidents, setIncidents] = useState(false);
  const [restored, setRestored] = useState<Draft | null>(null);
  const [invitee, setInvitee] = useState('');
  const [comparing, setComparing] = useState<string | null>(null);
  const [uncompared, setUncompared] = useState<string[]>([]);
  const [removingMember, setRemovingMember] = useState<string | null>(null);
  // Shown under the handle field, not at the top of the screen: the error is about what she typed there.
  const [inviteError, setInviteError] = useState<string | null>(null);
  const action = useAction();
  const { busy, error, setError } = action;
  const coordinator = team.myRole === 'coordinator';

  const reload = useCallback(async () => {
    try {
      await team.refresh();
      setUncompared(await team.uncomparedCoordinators());
      setMaps(await team.vault.list('risk-map'));
      setVersion((v) => v + 1);
    } catch (caught) {
      const warning = securityWarningOf(caught, team.teamId);
      setError(warning ? t(warning.key, warning.params) : errorText(caught));
    }
  }, [team]);
  useEffect(() => void reload(), [reload]);
  useEffect(() => {
    const draft = takeRestoring(team.teamId);
    if (!draft) return;
    setRestored(draft);
    if (draft.kind === 'incident') return setIncidents(true);
    const open = draft.kind === 'risk-map' ? (doc: DecryptedDocument | 'new') => setEditing(doc as DecryptedDocument<'risk-map'> | 'new') : (doc: DecryptedDocument | 'new') => setPlan(doc as DecryptedDocument<'security-plan'> | 'new');
    // The document may have been deleted meanwhile: the draft then comes back as a new one.
    if (!draft.documentId) open('new');
    else team.vault.get(draft.documentId).then(open, () => open('new'));
  }, [team]);

  const run = (change: () => Promise<unknown>) => action.run(async () => {
    await change();
    await reload();
  });

  const restoredAs = (kind: Draft['kind'], documentId: string | null) => (restored?.kind === kind && (kind === 'incident' || restored.documentId === documentId) ? restored : undefined);
  if (editing) return <RiskMapEditor team={team} document={editing === 'new' ? null : editing} restored={restoredAs('risk-map', editing === 'new' ? null : editing.documentId)} onDone={() => { setEditing(null); setRestored(null); void reload(); }} />;
  if (plan) return <SecurityPlanEditor team={team} document={plan === 'new' ? null : plan} restored={restoredAs('security-plan', plan === 'new' ? null : plan.documentId)} onDone={() => { setPlan(null); setRestored(null); }} />;
  if (incidents) return <IncidentLog team={team} restored={restoredAs('incident', null)} onDone={() => { setIncidents(false); setRestored(null); }} />;

  return (
    <section class="screen">
      <ScreenTitle>{team.name}</ScreenTitle>
      <button type="button" class="link" onClick={onBack}>
        {t('common.back')}
      </button>
      <ErrorMessage error={error} />
      {uncompared.length ? (
        <p class="error" role="alert" data-testid="uncompared-coordinators">
          {t('teams.uncomparedCoordinators', { handles: uncompared.join(', ') })}
        </p>
      ) : null}
      <div class="card">
        <h2>{t('riskMap.title')}</h2>
        {!maps ? <Busy label={t('common.loading')} /> : maps.length === 0 ? <p>{t('riskMap.none')}</p> : null}
        <ul class="plain">
          {(maps ?? []).map((doc) => (
            <li key={doc.documentId}>
              <button type="button" class="link" onClick={() => setEditing(doc)}>
                {doc.content.title}
              </button>
              <p class="hint">{t('riskMap.savedBy', { version: doc.version, handle: doc.author.handle, when: dateTime(doc.writtenAt) })}</p>
              {doc.readableByFormerMembers.length ? (
                <p class="error" role="alert" data-testid="readable-by-former">
                  {t('vault.readableByFormer', { handles: doc.readableByFormerMembers.join(', ') })}
                </p>
              ) : null}
              {doc.timeDiffers ? (
                <p class="error" role="alert" data-testid="time-differs">
                  {t('vault.timeDiffers', { server: dateTime(doc.server.writtenAt), signed: dateTime(doc.writtenAt) })}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
        <button type="button" onClick={() => setEditing('new')}>
          {t('riskMap.new')}
        </button>
      </div>
      <SecurityPlansCard team={team} onOpen={setPlan} />
      <IncidentsCard onOpen={() => setIncidents(true)} />
      <div class="card" data-testid="members">
        <h2>{t('members.title')}</h2>
        <ul class="plain">
          {team.members().map((member) => (
            <li key={member.accountId}>
              <p>
                <strong>{member.handle}</strong> · {t(member.role === 'coordinator' ? 'members.coordinator' : 'members.member')}
                {member.status === 'invited' ? <span class="status"> {t('members.invited')}</span> : null}
              </p>
              {uncompared.includes(member.handle) ? (
                <div class="stack">
                  <Fingerprint sodium={team.sodium} safetyNumber={team.safetyNumberWith(member.handle)} label={t('fingerprint.compareWith', { handle: member.handle })} />
                  <LogHead team={team} />
                  <button type="button" disabled={busy} onClick={() => void run(() => team.confirmCompared(member.handle))}>
                    {t('members.theyMatch')}
                  </button>
                </div>
              ) : null}
              {coordinator && member.handle !== team.account.handle ? (
                <div class="row">
                  {member.status === 'invited' ? (
                    <button type="button" disabled={busy} onClick={() => setComparing(comparing === member.handle ? null : member.handle)}>
                      {t('members.compareAndAdmit')}
                    </button>
                  ) : null}
                  <button type="button" class="danger" disabled={busy} onClick={() => setRemovingMember(member.handle)}>
                    {t('members.remove', { handle: member.handle })}
                  </button>
                </div>
              ) : null}
              {comparing === member.handle ? (
                <div class="stack">
                  <Fingerprint sodium={team.sodium} safetyNumber={team.safetyNumberWith(member.handle)} label={t('fingerprint.compareWith', { handle: member.handle })} />
                  <LogHead team={team} />
                  <button type="button" class="primary" disabled={busy} onClick={() => void run(async () => { await team.admit(member.handle); setComparing(null); })}>
                    {t('members.admit')}
                  </button>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
        {removingMember ? (
          <ConfirmDialog
            question={t('members.removeConfirm', { handle: removingMember })}
            confirmLabel={t('members.remove', { handle: removingMember })}
            onAnswer={(yes) => {
              const handle = removingMember;
              setRemovingMember(null);
              if (yes) void run(() => team.remove(handle));
            }}
          />
        ) : null}
        {coordinator ? (
          <form
            class="stack"
            onSubmit={(e) => {
              e.preventDefault();
              setInviteError(null);
              void run(async () => {
                try {
                  await team.invite(invitee);
                  setInvitee('');
                } catch (caught) {
                  const code = (caught as { code?: string }).code;
                  if (code !== 'not_found' && code !== 'validation_failed') throw caught;
                  setInviteError(t('members.noSuchHandle', { handle: invitee.trim() }));
                }
              });
            }}
          >
            <Field label={t('members.inviteHandle')} value={invitee} onValue={(v) => { setInvitee(v); setInviteError(null); }} autoCapitalize="none" spellcheck={false} required />
            <ErrorMessage error={inviteError} />
            <button type="submit" disabled={busy}>
              {t('members.invite')}
            </button>
          </form>
        ) : null}
      </div>
      {/* Coordinators only: the service answers 404 to anyone else, so the card is not offered to them. */}
      {coordinator ? <TeamNetworkCard team={team} /> : null}
      <div class="card">
        <h2>{t('log.title')}</h2>
        <p class="hint">{t('log.intro')}</p>
        <ol class="timeline">
          {team.log.map((entry) => (
            <li key={entry.seq}>
              {entry.createdAt ? <time dateTime={entry.createdAt}>{dateTime(entry.createdAt)}</time> : null}
              {entry.seq}. {teamLogLine(t, entry)}
            </li>
          ))}
        </ol>
      </div>
    </section>
  );
}
