import { useCallback, useEffect, useState } from 'preact/hooks';
import {
  EncryptedTrustStore, KeyChangedError, MeshworkApiError, TeamLogVerificationError, Teams as TeamsClient, TrustStoreTamperedError,
  type DecryptedDocument, type Invitation, type RiskMap, type Team, type UnlockedAccount,
} from '../../../client';
import { leaveIfConfirmed, peekRestoring, takeRestoring, useOpenEditor, type Draft } from '../drafts';
import { Fingerprint } from '../fingerprint';
import { useDateEcho, useI18n, type MessageKey } from '../i18n';
import { teamLogLine } from '../team-log-line';
import { indexedDbTrustRecords } from '../trust-store';
import { RiskMatrix, RiskSummaryTable } from '../risk-matrix';
import { Busy, ConfirmDialog, ErrorMessage, Field, Notice, ScreenTitle, SelectField, TextArea, useErrorText } from '../ui';
import { IncidentLog, IncidentsCard } from './incidents';
import { SecurityPlanEditor, SecurityPlansCard } from './plan';
import { useAction } from '../use-action';
import { VersionHistory } from './versions';

/**
 * One Teams client per unlocked account. Its trust store (key pins, log and version marks) persists in IndexedDB,
 * encrypted under a key only the unlocked account has, so an auto-lock or a page load is not a fresh device.
 */
const clients = new WeakMap<UnlockedAccount, TeamsClient>();
function teamsFor(account: UnlockedAccount): TeamsClient {
  let client = clients.get(account);
  if (!client) clients.set(account, (client = new TeamsClient(account, new EncryptedTrustStore(account.sodium, account.keys.box.privateKey, indexedDbTrustRecords))));
  return client;
}

/** A warning the person must see: a possible attack (changed keys, a log that does not verify), never swallowed. */
export interface SecurityWarning {
  key: MessageKey;
  params: Record<string, string>;
}

export function securityWarningOf(error: unknown, teamId?: string): SecurityWarning | null {
  if (error instanceof KeyChangedError) return { key: 'teams.keyChanged', params: { handle: error.handle } };
  if (error instanceof TeamLogVerificationError) return { key: 'teams.logTampered', params: { team: teamId ?? error.teamId } };
  if (error instanceof TrustStoreTamperedError) return { key: 'teams.trustStoreTampered', params: {} };
  return null;
}

const newId = () => Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16).padStart(2, '0')).join('');
const today = () => new Date().toISOString().slice(0, 10);

/** Every team, opened one by one (the client library's openEach): what cannot be opened yet is waiting. */
async function openEachTeam(client: TeamsClient): Promise<{ opened: Team[]; waiting: number; warnings: SecurityWarning[] }> {
  const { opened, failed } = await client.openEach();
  const warnings: SecurityWarning[] = [];
  let waiting = 0;
  for (const { teamId, error } of failed) {
    // Changed keys or a log that does not verify may be an attack: say so, never "waiting for a coordinator".
    const warning = securityWarningOf(error, teamId);
    if (warning) warnings.push(warning);
    else waiting += 1;
  }
  return { opened, waiting, warnings };
}

export function TeamsWorkshop({ account }: { account: UnlockedAccount }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const client = teamsFor(account);
  const [teams, setTeams] = useState<{ opened: Team[]; waiting: number; warnings: SecurityWarning[] } | null>(null);
  const [invitations, setInvitations] = useState<(Invitation & { safetyNumber?: string })[]>([]);
  // Accepted, not yet added: the team cannot be opened, but saying "no team" would be false.
  const [accepted, setAccepted] = useState<Invitation[]>([]);
  const [open, setOpen] = useState<Team | null>(null);
  const [name, setName] = useState('');
  const { busy, error, setError, run } = useAction();

  const load = useCallback(async () => {
    try {
      const [list, pending] = await Promise.all([openEachTeam(client), client.invitations()]);
      const warnings = [...list.warnings];
      const withNumbers = await Promise.all(
        pending.filter((i) => !i.accepted).map(async (i) => {
          try {
            return { ...i, safetyNumber: await client.safetyNumberWith(i.invitedBy.handle) };
          } catch (caught) {
            const warning = securityWarningOf(caught);
            if (warning) warnings.push(warning);
            return { ...i, safetyNumber: undefined };
          }
        }),
      );
      setTeams({ ...list, warnings });
      setInvitations(withNumbers);
      setAccepted(pending.filter((i) => i.accepted));
    } catch (caught) {
      setError(errorText(caught));
    }
  }, [client]);
  useEffect(() => void load(), [load]);
  // A draft kept at the last lock goes back to its team's screen, which hands it to its editor.
  useEffect(() => {
    const restoring = peekRestoring();
    if (restoring) client.open(restoring.teamId).then(setOpen, (caught: unknown) => setError(errorText(caught)));
  }, [client]);

  if (open) return <TeamView team={open} onBack={() => { setOpen(null); void load(); }} />;

  return (
    <section class="screen">
      <ScreenTitle>{t('teams.title')}</ScreenTitle>
      <ErrorMessage error={error} />
      {(teams?.warnings ?? []).map((warning, i) => (
        <p key={i} class="error" role="alert" data-testid="security-warning">
          {t(warning.key, warning.params)}
        </p>
      ))}
      {invitations.length ? (
        <div class="card" data-testid="invitations">
          <h2>{t('teams.invitations')}</h2>
          <ul class="plain">
            {invitations.map((invitation) => (
              <li key={invitation.teamId}>
                <p>{t('teams.invitedBy', { handle: invitation.invitedBy.handle })}</p>
                {invitation.safetyNumber ? <Fingerprint sodium={account.sodium} safetyNumber={invitation.safetyNumber} label={t('fingerprint.compareWith', { handle: invitation.invitedBy.handle })} /> : null}
                <button type="button" class="primary" disabled={busy} onClick={() => void run(async () => { await client.accept(invitation.teamId); await load(); })}>
                  {t('teams.accept')}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div class="card">
        <h2>{t('teams.yours')}</h2>
        {!teams ? <Busy label={t('common.loading')} /> : teams.opened.length + teams.waiting + accepted.length === 0 ? <p>{t('teams.none')}</p> : null}
        {accepted.map((invitation) => (
          <p key={invitation.teamId} class="hint" data-testid="accepted-waiting">
            {t('teams.acceptedWaiting', { handle: invitation.invitedBy.handle })}
          </p>
        ))}
        {teams?.waiting ? <p class="hint">{t('teams.waiting', { n: teams.waiting })}</p> : null}
        <ul class="plain">
          {(teams?.opened ?? []).map((team) => (
            <li key={team.teamId}>
              <button type="button" class="link" onClick={() => setOpen(team)}>
                {team.name}
              </button>{' '}
              <span class="hint">{t('teams.memberCount', { n: team.members().filter((m) => m.status === 'member').length })}</span>
            </li>
          ))}
        </ul>
        <button type="button" onClick={() => void load()}>
          {t('common.refresh')}
        </button>
      </div>
      <form class="card stack" onSubmit={(e) => { e.preventDefault(); void run(async () => { const team = await client.create(name); setName(''); setOpen(team); }); }}>
        <h2>{t('teams.create')}</h2>
        <Field label={t('teams.name')} hint={t('teams.nameHint')} value={name} onValue={setName} required maxLength={200} />
        <button type="submit" class="primary" disabled={busy}>
          {t('teams.createSubmit')}
        </button>
      </form>
    </section>
  );
}

function TeamView({ team, onBack }: { team: Team; onBack(): void }) {
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

/** The head of the verified team log, beside the safety words: two phones shown different heads see different logs. */
function LogHead({ team }: { team: Team }) {
  const { t } = useI18n();
  const head = team.logHead();
  return (
    <p class="hint" data-testid="log-head">
      {t('log.head', { seq: String(head.seq), hash: head.short })} {t('log.headHint')}
    </p>
  );
}

const emptyMap = (): RiskMap => ({ title: '', context: '', assessedOn: today(), participants: [], actors: [], threats: [], vulnerabilities: [], capacities: [] });
const LEVELS = [1, 2, 3, 4, 5];

/** Merges two edits of the same map: everything in theirs, plus the items only mine added. */
function mergeMaps(theirs: RiskMap, mine: RiskMap): RiskMap {
  const union = <T extends { id: string }>(a: T[], b: T[]) => [...a, ...b.filter((item) => !a.some((x) => x.id === item.id))];
  const actors = union(theirs.actors, mine.actors);
  const vulnerabilities = union(theirs.vulnerabilities, mine.vulnerabilities);
  const capacities = union(theirs.capacities, mine.capacities);
  return { ...theirs, actors, vulnerabilities, capacities, threats: union(theirs.threats, mine.threats) };
}

function RiskMapEditor({ team, document, restored, onDone }: { team: Team; document: DecryptedDocument<'risk-map'> | null; restored?: Draft; onDone(): void }) {
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

type Update = (patch: Partial<RiskMap>) => void;

function ActorsEditor({ map, update }: { map: RiskMap; update: Update }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [stance, setStance] = useState<'ally' | 'neutral' | 'opponent'>('opponent');
  const [influence, setInfluence] = useState(3);
  return (
    <div class="card stack">
      <h2>{t('actors.title')}</h2>
      <ul class="plain">
        {map.actors.map((actor) => (
          <li key={actor.id} class="row">
            <span>
              <strong>{actor.name}</strong> · {t(actor.stance === 'ally' ? 'actors.ally' : actor.stance === 'neutral' ? 'actors.neutral' : 'actors.opponent')} · {t('actors.influenceN', { n: actor.influence })}
            </span>
            <button type="button" class="danger" onClick={() => update({ actors: map.actors.filter((a) => a.id !== actor.id), threats: map.threats.map((th) => ({ ...th, actorIds: th.actorIds.filter((id) => id !== actor.id) })) })}>
              {t('common.remove')}
            </button>
          </li>
        ))}
      </ul>
      <Field label={t('actors.name')} value={name} onValue={setName} maxLength={200} />
      <SelectField label={t('actors.stance')} value={stance} options={(['ally', 'neutral', 'opponent'] as const).map((s) => ({ value: s, label: t(s === 'ally' ? 'actors.ally' : s === 'neutral' ? 'actors.neutral' : 'actors.opponent') }))} onValue={setStance} />
      <SelectField label={t('actors.influence')} value={influence} options={LEVELS.map((n) => ({ value: n, label: String(n) }))} onValue={setInfluence} />
      <button type="button" disabled={!name.trim()} onClick={() => { update({ actors: [...map.actors, { id: newId(), name: name.trim(), kind: 'other', stance, influence }] }); setName(''); }}>
        {t('actors.add')}
      </button>
    </div>
  );
}

/** Severity of a vulnerability and strength of a capacity share one 1-3 scale; they weigh in the risk formula. */
const WEIGHTS = [1, 2, 3] as const;
const WEIGHT_KEY: Record<(typeof WEIGHTS)[number], MessageKey> = { 1: 'items.weight1', 2: 'items.weight2', 3: 'items.weight3' };

function ItemsEditor({ map, update }: { map: RiskMap; update: Update }) {
  const { t } = useI18n();
  const [vulnerability, setVulnerability] = useState('');
  const [severity, setSeverity] = useState<number>(2);
  const [capacity, setCapacity] = useState('');
  const [strength, setStrength] = useState<number>(2);
  const weights = WEIGHTS.map((n) => ({ value: n as number, label: t(WEIGHT_KEY[n]) }));
  return (
    <div class="card stack">
      <h2>{t('items.vulnerabilities')}</h2>
      <ul class="plain stack">
        {map.vulnerabilities.map((v) => (
          <li key={v.id} data-testid="vulnerability">
            <SelectField label={t('items.severityOf', { item: v.description })} value={v.severity} options={weights} onValue={(n) => update({ vulnerabilities: map.vulnerabilities.map((x) => (x.id === v.id ? { ...x, severity: n } : x)) })} />
          </li>
        ))}
      </ul>
      <Field label={t('items.newVulnerability')} value={vulnerability} onValue={setVulnerability} maxLength={1000} />
      <SelectField label={t('items.severity')} value={severity} options={weights} onValue={setSeverity} />
      <button type="button" disabled={!vulnerability.trim()} onClick={() => { update({ vulnerabilities: [...map.vulnerabilities, { id: newId(), description: vulnerability.trim(), area: 'other', severity }] }); setVulnerability(''); }}>
        {t('items.addVulnerability')}
      </button>
      <h2>{t('items.capacities')}</h2>
      <ul class="plain stack">
        {map.capacities.map((c) => (
          <li key={c.id} data-testid="capacity">
            <SelectField label={t('items.strengthOf', { item: c.description })} value={c.strength} options={weights} onValue={(n) => update({ capacities: map.capacities.map((x) => (x.id === c.id ? { ...x, strength: n } : x)) })} />
          </li>
        ))}
      </ul>
      <Field label={t('items.newCapacity')} value={capacity} onValue={setCapacity} maxLength={1000} />
      <SelectField label={t('items.strength')} value={strength} options={weights} onValue={setStrength} />
      <button type="button" disabled={!capacity.trim()} onClick={() => { update({ capacities: [...map.capacities, { id: newId(), description: capacity.trim(), kind: 'capacity', strength }] }); setCapacity(''); }}>
        {t('items.addCapacity')}
      </button>
    </div>
  );
}

function ThreatsEditor({ map, update }: { map: RiskMap; update: Update }) {
  const { t } = useI18n();
  const [description, setDescription] = useState('');
  const [actorId, setActorId] = useState('');
  const [likelihood, setLikelihood] = useState(3);
  const [impact, setImpact] = useState(3);
  const [vulnerabilityIds, setVulnerabilityIds] = useState<string[]>([]);
  const [capacityIds, setCapacityIds] = useState<string[]>([]);
  const toggle = (list: string[], id: string) => (list.includes(id) ? list.filter((x) => x !== id) : [...list, id]);
  const add = () => {
    update({ threats: [...map.threats, { id: newId(), description: description.trim(), actorIds: actorId ? [actorId] : [], likelihood, impact, vulnerabilityIds, capacityIds }] });
    setDescription('');
    setVulnerabilityIds([]);
    setCapacityIds([]);
  };
  return (
    <div class="card stack">
      <h2>{t('threats.title')}</h2>
      <ul class="plain">
        {map.threats.map((threat, i) => (
          <li key={threat.id} class="row">
            <span>
              {/* The number on its dot in the matrix. */}
              {i + 1}. {threat.description} · {t('risk.position', { likelihood: threat.likelihood, impact: threat.impact })}
            </span>
            <button type="button" class="danger" onClick={() => update({ threats: map.threats.filter((x) => x.id !== threat.id) })}>
              {t('common.remove')}
            </button>
          </li>
        ))}
      </ul>
      <Field label={t('threats.description')} value={description} onValue={setDescription} maxLength={1000} />
      <SelectField label={t('threats.actor')} value={actorId} options={[{ value: '', label: t('threats.noActor') }, ...map.actors.map((a) => ({ value: a.id, label: a.name }))]} onValue={setActorId} />
      <SelectField label={t('risk.likelihood')} value={likelihood} options={LEVELS.map((n) => ({ value: n, label: String(n) }))} onValue={setLikelihood} />
      <SelectField label={t('risk.impact')} value={impact} options={LEVELS.map((n) => ({ value: n, label: String(n) }))} onValue={setImpact} />
      {map.vulnerabilities.length ? (
        <fieldset class="stack">
          <legend>{t('threats.linkedVulnerabilities')}</legend>
          {map.vulnerabilities.map((v) => (
            <label key={v.id} class="check">
              <input type="checkbox" checked={vulnerabilityIds.includes(v.id)} onChange={() => setVulnerabilityIds(toggle(vulnerabilityIds, v.id))} />
              {v.description}
            </label>
          ))}
        </fieldset>
      ) : null}
      {map.capacities.length ? (
        <fieldset class="stack">
          <legend>{t('threats.linkedCapacities')}</legend>
          {map.capacities.map((c) => (
            <label key={c.id} class="check">
              <input type="checkbox" checked={capacityIds.includes(c.id)} onChange={() => setCapacityIds(toggle(capacityIds, c.id))} />
              {c.description}
            </label>
          ))}
        </fieldset>
      ) : null}
      <button type="button" disabled={!description.trim()} onClick={add}>
        {t('threats.add')}
      </button>
    </div>
  );
}
