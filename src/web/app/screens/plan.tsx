import { useEffect, useRef, useState } from 'preact/hooks';
import { MeshworkApiError, type DecryptedDocument, type SecurityPlan, type Team } from '../../../client';
import { leaveIfConfirmed, useOpenEditor, type Draft } from '../common/drafts';
import { messageInEveryLanguage, useDateEcho, useI18n, type MessageKey } from '../../i18n/i18n';
import { Busy, ErrorMessage, Field, Notice, ScreenTitle, SelectField, TextArea, useErrorText } from '../common/ui';
import { VersionHistory } from './versions';

type Scenario = SecurityPlan['protocols'][number]['scenario'];
type Protocol = SecurityPlan['protocols'][number];
type EmergencyContact = SecurityPlan['emergencyContacts'][number];
type PlanDocument = DecryptedDocument<'security-plan'>;

/** The four every plan should answer first, then the others the schema knows; "other" is the team's own scenario. */
const SCENARIOS: Scenario[] = ['detention', 'raid', 'online-attack', 'travel', 'surveillance', 'threat-received', 'protest', 'sexual-violence', 'disappearance', 'other'];
const SCENARIO_KEY: Record<Scenario, MessageKey> = {
  detention: 'scenario.detention',
  raid: 'scenario.raid',
  'online-attack': 'scenario.onlineAttack',
  travel: 'scenario.travel',
  surveillance: 'scenario.surveillance',
  'threat-received': 'scenario.threatReceived',
  protest: 'scenario.protest',
  'sexual-violence': 'scenario.sexualViolence',
  disappearance: 'scenario.disappearance',
  other: 'scenario.other',
};

const pad = (n: number) => String(n).padStart(2, '0');
/** Today in the person's own time zone (a review date is a calendar day, not an instant). */
const localDay = (date = new Date()) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
export const reviewPassed = (reviewOn: string) => reviewOn < localDay();
const inThreeMonths = () => {
  const date = new Date();
  date.setMonth(date.getMonth() + 3);
  return localDay(date);
};

/** Lists are edited as one line per item (thumb-friendly on a phone); names as a comma-separated line. */
const lines = (text: string) => text.split('\n').map((line) => line.trim()).filter(Boolean);
const names = (text: string) => text.split(',').map((name) => name.trim()).filter(Boolean);

interface ProtocolDraft {
  key: number;
  scenario: Scenario;
  title: string;
  preventive: string;
  steps: string;
  responsible: string;
}
interface PlanDraft {
  title: string;
  reviewOn: string;
  protocols: ProtocolDraft[];
  contacts: EmergencyContact[];
  trigger: string;
  urgentSteps: string;
  alert: string[];
  heart: string;
  mind: string;
  body: string;
}

let nextKey = 1;
const protocolDraft = (p: Protocol): ProtocolDraft => ({ key: nextKey++, scenario: p.scenario, title: p.title, preventive: p.preventiveMeasures.join('\n'), steps: p.steps.join('\n'), responsible: p.responsible.join(', ') });

function toDraft(plan: SecurityPlan): PlanDraft {
  return {
    title: plan.title,
    reviewOn: plan.reviewOn,
    protocols: plan.protocols.map(protocolDraft),
    contacts: plan.emergencyContacts.map((c) => ({ ...c })),
    trigger: plan.urgentActionPlan.trigger,
    urgentSteps: plan.urgentActionPlan.steps.join('\n'),
    alert: [...plan.urgentActionPlan.alert],
    heart: plan.wellbeing.heart.join('\n'),
    mind: plan.wellbeing.mind.join('\n'),
    body: plan.wellbeing.body.join('\n'),
  };
}

function toPlan(draft: PlanDraft): SecurityPlan {
  const contactNames = new Set(draft.contacts.map((c) => c.name));
  return {
    title: draft.title.trim(),
    reviewOn: draft.reviewOn,
    protocols: draft.protocols.map((p) => ({ scenario: p.scenario, title: p.title.trim(), preventiveMeasures: lines(p.preventive), steps: lines(p.steps), responsible: names(p.responsible) })),
    emergencyContacts: draft.contacts,
    urgentActionPlan: { trigger: draft.trigger.trim(), steps: lines(draft.urgentSteps), alert: draft.alert.filter((name) => contactNames.has(name)) },
    wellbeing: { heart: lines(draft.heart), mind: lines(draft.mind), body: lines(draft.body) },
  };
}

const emptyDraft = (): PlanDraft => ({ title: '', reviewOn: inThreeMonths(), protocols: [], contacts: [], trigger: '', urgentSteps: '', alert: [], heart: '', mind: '', body: '' });

/** Theirs, plus the protocols, contacts, people to alert and practices only mine added. */
function mergePlans(theirs: SecurityPlan, mine: SecurityPlan): SecurityPlan {
  const union = (a: string[], b: string[]) => [...a, ...b.filter((x) => !a.includes(x))];
  const protocols = [...theirs.protocols, ...mine.protocols.filter((p) => !theirs.protocols.some((q) => q.scenario === p.scenario && q.title === p.title))];
  const emergencyContacts = [...theirs.emergencyContacts, ...mine.emergencyContacts.filter((c) => !theirs.emergencyContacts.some((d) => d.name === c.name))];
  return {
    ...theirs,
    protocols,
    emergencyContacts,
    urgentActionPlan: { ...theirs.urgentActionPlan, alert: union(theirs.urgentActionPlan.alert, mine.urgentActionPlan.alert) },
    wellbeing: { heart: union(theirs.wellbeing.heart, mine.wellbeing.heart), mind: union(theirs.wellbeing.mind, mine.wellbeing.mind), body: union(theirs.wellbeing.body, mine.wellbeing.body) },
  };
}

export function ReviewReminder({ reviewOn }: { reviewOn: string }) {
  const { t, day } = useI18n();
  if (!reviewPassed(reviewOn)) return null;
  return (
    <p class="warning review-reminder" data-testid="review-reminder">
      <strong>{t('plan.reviewPassed', { date: day(reviewOn) })}</strong> {t('plan.reviewAdvice')}
    </p>
  );
}

/** The team screen's card: the team's security plans, with a reminder on any whose review date has passed. */
export function SecurityPlansCard({ team, onOpen }: { team: Team; onOpen(document: PlanDocument | 'new'): void }) {
  const { t, dateTime, day } = useI18n();
  const errorText = useErrorText();
  const [plans, setPlans] = useState<PlanDocument[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    team.vault.list('security-plan').then(
      (docs) => current && setPlans(docs),
      (caught: unknown) => current && setError(errorText(caught)),
    );
    return () => {
      current = false;
    };
  }, [team]);
  return (
    <div class="card" data-testid="security-plans">
      <h2>{t('plan.title')}</h2>
      <ErrorMessage error={error} />
      {!plans ? error ? null : <Busy label={t('common.loading')} /> : plans.length === 0 ? <p>{t('plan.none')}</p> : null}
      <ul class="plain">
        {(plans ?? []).map((doc) => (
          <li key={doc.documentId}>
            <button type="button" class="link" onClick={() => onOpen(doc)}>
              {doc.content.title}
            </button>
            <p class="hint">{t('riskMap.savedBy', { version: doc.version, handle: doc.author.handle, when: dateTime(doc.writtenAt) })}</p>
            {reviewPassed(doc.content.reviewOn) ? <ReviewReminder reviewOn={doc.content.reviewOn} /> : <p class="hint">{t('plan.reviewBy', { date: day(doc.content.reviewOn) })}</p>}
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => onOpen('new')}>
        {t('plan.new')}
      </button>
    </div>
  );
}

/** A draft kept sealed across a lock; its protocols get fresh keys, as this page's counter started again. */
const restoredDraft = (content: unknown): PlanDraft => {
  const draft = content as PlanDraft;
  return { ...draft, protocols: draft.protocols.map((p) => ({ ...p, key: nextKey++ })) };
};

/**
 * A protocol still named after its situation ("Detention", "Detención", …) is shown in the reader's language:
 * the name its creator's app filled in is a default, not something she wrote.
 */
export function useProtocolTitle(): (protocol: { scenario: Scenario; title: string }) => string {
  const { t } = useI18n();
  return ({ scenario, title }) => (messageInEveryLanguage(SCENARIO_KEY[scenario]).includes(title.trim()) ? t(SCENARIO_KEY[scenario]) : title);
}

/**
 * An existing plan opens read-only, urgent action plan first: under stress she reads what to do and whom to
 * alert, without a form that a stray tap could change. Editing is a separate step; a new plan or a restored
 * draft opens straight in the editor.
 */
export function SecurityPlanEditor({ team, document, restored, onDone }: { team: Team; document: PlanDocument | null; restored?: Draft; onDone(): void }) {
  const [editing, setEditing] = useState(!document || Boolean(restored));
  if (!editing && document) return <SecurityPlanView document={document} onEdit={() => setEditing(true)} onDone={onDone} />;
  return <PlanEditorForm team={team} document={document} restored={restored} onDone={onDone} />;
}

function SecurityPlanView({ document, onEdit, onDone }: { document: PlanDocument; onEdit(): void; onDone(): void }) {
  const { t, dateTime, day } = useI18n();
  const protocolTitle = useProtocolTitle();
  const plan = document.content;
  const contact = (name: string) => plan.emergencyContacts.find((c) => c.name === name);
  const list = (items: string[], ordered = false) => {
    if (!items.length) return <p class="hint">{t('planView.nothing')}</p>;
    const children = items.map((item, i) => <li key={i}>{item}</li>);
    return ordered ? <ol class="plan-steps">{children}</ol> : <ul>{children}</ul>;
  };
  return (
    <section class="screen plan plan-view" data-testid="plan-view">
      <ScreenTitle>{plan.title}</ScreenTitle>
      <button type="button" class="link" onClick={onDone}>
        {t('common.back')}
      </button>
      <ReviewReminder reviewOn={plan.reviewOn} />
      <div class="card stack urgent-plan" data-testid="urgent-plan">
        <h2>{t('plan.urgent')}</h2>
        <p>
          <strong>{t('plan.trigger')}:</strong> {plan.urgentActionPlan.trigger}
        </p>
        <h3>{t('plan.urgentSteps')}</h3>
        {list(plan.urgentActionPlan.steps, true)}
        <h3>{t('plan.alert')}</h3>
        {plan.urgentActionPlan.alert.length ? (
          <ul data-testid="plan-alert">
            {plan.urgentActionPlan.alert.map((name) => (
              <li key={name}>
                <strong>{name}</strong>
                {contact(name)?.role ? ` · ${contact(name)?.role}` : ''}
                {contact(name)?.notes ? <span class="hint"> · {contact(name)?.notes}</span> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p class="hint">{t('planView.nobodyToAlert')}</p>
        )}
      </div>
      <button type="button" class="primary wide" onClick={onEdit}>
        {t('planView.edit')}
      </button>
      <div class="card stack">
        <h2>{t('plan.protocols')}</h2>
        {plan.protocols.length === 0 ? <p class="hint">{t('planView.nothing')}</p> : null}
        {plan.protocols.map((protocol, i) => (
          <article key={i} class="stack" data-testid="protocol-view">
            <h3>{protocolTitle(protocol)}</h3>
            <p class="hint">{t(SCENARIO_KEY[protocol.scenario])}</p>
            <h4>{t('plan.steps')}</h4>
            {list(protocol.steps, true)}
            {protocol.preventiveMeasures.length ? (
              <>
                <h4>{t('plan.preventive')}</h4>
                {list(protocol.preventiveMeasures)}
              </>
            ) : null}
            {protocol.responsible.length ? (
              <p>
                <strong>{t('plan.responsible')}:</strong> {protocol.responsible.join(', ')}
              </p>
            ) : null}
          </article>
        ))}
      </div>
      <div class="card stack">
        <h2>{t('plan.contacts')}</h2>
        {plan.emergencyContacts.length === 0 ? <p class="hint">{t('planView.nothing')}</p> : null}
        <ul class="plain">
          {plan.emergencyContacts.map((c) => (
            <li key={c.name}>
              <strong>{c.name}</strong>
              {c.role ? ` · ${c.role}` : ''}
              {c.notes ? <span class="hint"> · {c.notes}</span> : null}
            </li>
          ))}
        </ul>
      </div>
      <div class="card stack">
        <h2>{t('plan.wellbeing')}</h2>
        <h3>{t('plan.heart')}</h3>
        {list(plan.wellbeing.heart)}
        <h3>{t('plan.mind')}</h3>
        {list(plan.wellbeing.mind)}
        <h3>{t('plan.body')}</h3>
        {list(plan.wellbeing.body)}
      </div>
      <p class="hint">
        {t('riskMap.savedBy', { version: document.version, handle: document.author.handle, when: dateTime(document.writtenAt) })} · {t('plan.reviewBy', { date: day(plan.reviewOn) })}
      </p>
    </section>
  );
}

function PlanEditorForm({ team, document, restored, onDone }: { team: Team; document: PlanDocument | null; restored?: Draft; onDone(): void }) {
  const { t } = useI18n();
  const echoDate = useDateEcho();
  const protocolTitle = useProtocolTitle();
  const errorText = useErrorText();
  const [draft, setDraft] = useState<PlanDraft>(() => (restored ? restoredDraft(restored.content) : document ? toDraft(document.content) : emptyDraft()));
  const [base, setBase] = useState(document);
  // A restored draft saves against the version it was started from, so edits made meanwhile raise a conflict.
  const [startedFrom, setStartedFrom] = useState<number | null>(restored?.baseVersion ?? null);
  const [conflict, setConflict] = useState<PlanDocument | null>(null);
  const [saved, setSaved] = useState<{ version: number; restoredFrom?: number } | null>(null);
  const [dirty, setDirty] = useState(Boolean(restored));
  // The confirmation and any error show beside the Save that was pressed (top or end of the plan).
  const [savedWhere, setSavedWhere] = useState<'top' | 'end'>('end');
  useOpenEditor(dirty, () => ({ kind: 'security-plan', teamId: team.teamId, documentId: base?.documentId ?? null, baseVersion: startedFrom ?? base?.version ?? null, title: draft.title, content: draft }));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const update = (patch: Partial<PlanDraft>) => {
    setSaved(null);
    setDirty(true);
    setDraft((current) => ({ ...current, ...patch }));
  };
  const updateProtocol = (key: number, patch: Partial<ProtocolDraft>) => update({ protocols: draft.protocols.map((p) => (p.key === key ? { ...p, ...patch } : p)) });
  // A keyboard or screen-reader user who adds a protocol lands in its name field, not back at the button.
  const [focusProtocol, setFocusProtocol] = useState<number | null>(null);
  useEffect(() => {
    if (focusProtocol !== null) window.document.querySelector<HTMLInputElement>(`[data-protocol-key="${focusProtocol}"] input`)?.focus();
  }, [focusProtocol]);

  const save = async (content: SecurityPlan, options: { baseVersion?: number; restoredFrom?: number } = {}) => {
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const written = base
        ? await team.vault.update<'security-plan'>(base.documentId, content, { baseVersion: options.baseVersion ?? startedFrom ?? base.version })
        : await team.vault.create('security-plan', content);
      setBase(written);
      setStartedFrom(null);
      setDraft(toDraft(written.content));
      setConflict(null);
      setDirty(false);
      setSaved({ version: written.version, restoredFrom: options.restoredFrom });
    } catch (caught) {
      if (caught instanceof MeshworkApiError && caught.code === 'version_conflict' && base) {
        // Never a silent overwrite: show who saved and let the person choose.
        setConflict((await team.vault.get(base.documentId)) as PlanDocument);
      } else if ((caught as { name?: unknown } | null)?.name === 'InvalidContentError') setError(t('plan.incomplete'));
      else setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };

  // A conflict can come back from a save or a restore far down the page: bring the choice into view.
  const conflictRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (conflict) conflictRef.current?.focus();
  }, [conflict]);

  const restore = (version: DecryptedDocument) => {
    const content = version.content as SecurityPlan;
    setDraft(toDraft(content));
    void save(content, { restoredFrom: version.version });
  };

  return (
    <section class="screen plan">
      <ScreenTitle>{draft.title || t('plan.new')}</ScreenTitle>
      <button type="button" class="link" onClick={() => leaveIfConfirmed(onDone)}>
        {t('common.back')}
      </button>
      <ReviewReminder reviewOn={draft.reviewOn} />
      {conflict ? (
        <div ref={conflictRef} tabIndex={-1} class="card stack" role="alert" data-testid="conflict">
          <h2>{t('conflict.title')}</h2>
          <p>{t('conflict.explain', { handle: conflict.author.handle, version: conflict.version })}</p>
          <button type="button" class="primary" disabled={busy} onClick={() => void save(mergePlans(conflict.content, toPlan(draft)), { baseVersion: conflict.version })}>
            {t('conflict.merge')}
          </button>
          <button type="button" disabled={busy} onClick={() => { setBase(conflict); setDraft(toDraft(conflict.content)); setDirty(false); setConflict(null); }}>
            {t('conflict.theirs')}
          </button>
          <button type="button" class="danger" disabled={busy} onClick={() => void save(toPlan(draft), { baseVersion: conflict.version })}>
            {t('conflict.mine')}
          </button>
        </div>
      ) : null}
      {/* One form, so the browser's own check of required fields moves focus to the first one missing. */}
      <form class="stack" onSubmit={(e) => { e.preventDefault(); setSavedWhere((e.submitter as HTMLElement | null)?.dataset.where === 'top' ? 'top' : 'end'); void save(toPlan(draft)); }}>
        <div class="card stack save-bar">
          {savedWhere === 'top' ? <ErrorMessage error={error} /> : null}
          {saved && !saved.restoredFrom && savedWhere === 'top' ? <Notice>{t('riskMap.saved', { version: saved.version })}</Notice> : null}
          {/* A long plan: Save at the top too, so a quick fix needs no scrolling to the end. */}
          <button type="submit" data-where="top" class="primary" disabled={busy}>
            {t('drafts.savePlanAtTop')}
          </button>
        </div>
        <div class="card stack">
          <Field label={t('riskMap.name')} value={draft.title} onValue={(title) => update({ title })} required maxLength={200} />
          <Field label={t('plan.reviewOn')} hint={`${echoDate(draft.reviewOn)} ${t('plan.reviewOnHint')}`.trim()} type="date" value={draft.reviewOn} onValue={(reviewOn) => update({ reviewOn })} required />
        </div>

        <div class="card stack">
          <h2>{t('plan.protocols')}</h2>
          <p class="hint">{t('plan.protocolsIntro')}</p>
          {draft.protocols.map((protocol) => (
            <fieldset key={protocol.key} class="item-editor stack" data-testid="protocol" data-protocol-key={protocol.key}>
              <legend>{protocol.title ? protocolTitle(protocol) : t(SCENARIO_KEY[protocol.scenario])}</legend>
              <SelectField label={t('plan.scenario')} value={protocol.scenario} options={SCENARIOS.map((s) => ({ value: s, label: t(SCENARIO_KEY[s]) }))} onValue={(scenario) => updateProtocol(protocol.key, { scenario })} />
              <Field label={t('plan.protocolTitle')} value={protocol.title} onValue={(title) => updateProtocol(protocol.key, { title })} required maxLength={200} />
              <TextArea label={t('plan.preventive')} hint={t('plan.onePerLine')} value={protocol.preventive} onValue={(preventive) => updateProtocol(protocol.key, { preventive })} rows={3} />
              <TextArea label={t('plan.steps')} hint={t('plan.onePerLine')} value={protocol.steps} onValue={(steps) => updateProtocol(protocol.key, { steps })} rows={4} required />
              <Field label={t('plan.responsible')} hint={t('plan.namesHint')} value={protocol.responsible} onValue={(responsible) => updateProtocol(protocol.key, { responsible })} />
              <button type="button" class="danger" onClick={() => update({ protocols: draft.protocols.filter((p) => p.key !== protocol.key) })}>
                {t('plan.removeProtocol', { title: protocol.title || t(SCENARIO_KEY[protocol.scenario]) })}
              </button>
            </fieldset>
          ))}
          <AddProtocol
            onAdd={(scenario) => {
              const key = nextKey++;
              update({ protocols: [...draft.protocols, { key, scenario, title: scenario === 'other' ? '' : t(SCENARIO_KEY[scenario]), preventive: '', steps: '', responsible: '' }] });
              setFocusProtocol(key);
            }}
          />
        </div>

        <ContactsEditor contacts={draft.contacts} onContacts={(contacts) => update({ contacts, alert: draft.alert.filter((name) => contacts.some((c) => c.name === name)) })} />

        <div class="card stack">
          <h2>{t('plan.urgent')}</h2>
          <p class="hint">{t('plan.urgentIntro')}</p>
          <TextArea label={t('plan.trigger')} value={draft.trigger} onValue={(trigger) => update({ trigger })} rows={2} required maxLength={1000} />
          <TextArea label={t('plan.urgentSteps')} hint={t('plan.onePerLine')} value={draft.urgentSteps} onValue={(urgentSteps) => update({ urgentSteps })} rows={4} required />
          <fieldset class="stack">
            <legend>{t('plan.alert')}</legend>
            {draft.contacts.length === 0 ? <p class="hint">{t('plan.alertNoContacts')}</p> : null}
            {draft.contacts.map((contact) => (
              <label key={contact.name} class="check">
                <input type="checkbox" checked={draft.alert.includes(contact.name)} onChange={() => update({ alert: draft.alert.includes(contact.name) ? draft.alert.filter((n) => n !== contact.name) : [...draft.alert, contact.name] })} />
                {contact.name}
              </label>
            ))}
          </fieldset>
        </div>

        <div class="card stack">
          <h2>{t('plan.wellbeing')}</h2>
          <p class="hint">{t('plan.wellbeingIntro')}</p>
          <TextArea label={t('plan.heart')} hint={t('plan.heartHint')} value={draft.heart} onValue={(heart) => update({ heart })} rows={3} />
          <TextArea label={t('plan.mind')} hint={t('plan.mindHint')} value={draft.mind} onValue={(mind) => update({ mind })} rows={3} />
          <TextArea label={t('plan.body')} hint={t('plan.bodyHint')} value={draft.body} onValue={(body) => update({ body })} rows={3} />
        </div>

        <div class="card stack save-bar">
          {savedWhere === 'end' ? <ErrorMessage error={error} /> : null}
          {saved && !saved.restoredFrom && savedWhere === 'end' ? <Notice>{t('riskMap.saved', { version: saved.version })}</Notice> : null}
          <button type="submit" class="primary" disabled={busy}>
            {t('riskMap.save')}
          </button>
        </div>
      </form>
      {base ? <VersionHistory team={team} documentId={base.documentId} newest={base.version} busy={busy} dirty={dirty} onRestore={restore} notice={saved?.restoredFrom ? t('history.restored', { from: saved.restoredFrom, version: saved.version }) : null} /> : null}
    </section>
  );
}

function AddProtocol({ onAdd }: { onAdd(scenario: Scenario): void }) {
  const { t } = useI18n();
  const [scenario, setScenario] = useState<Scenario>('detention');
  return (
    <div class="stack">
      <SelectField label={t('plan.newScenario')} value={scenario} options={SCENARIOS.map((s) => ({ value: s, label: t(SCENARIO_KEY[s]) }))} onValue={setScenario} />
      <button type="button" onClick={() => onAdd(scenario)}>
        {t('plan.addProtocol')}
      </button>
    </div>
  );
}

function ContactsEditor({ contacts, onContacts }: { contacts: EmergencyContact[]; onContacts(contacts: EmergencyContact[]): void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [role, setRole] = useState('');
  const [notes, setNotes] = useState('');
  const trimmed = name.trim();
  const taken = contacts.some((c) => c.name === trimmed);
  const add = () => {
    if (!trimmed || taken) return;
    onContacts([...contacts, { name: trimmed, ...(role.trim() ? { role: role.trim() } : {}), ...(notes.trim() ? { notes: notes.trim() } : {}) }]);
    setName('');
    setRole('');
    setNotes('');
  };
  return (
    <div
      class="card stack"
      data-testid="emergency-contacts"
      // Enter in these fields adds the contact; it must not submit the whole plan.
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.target as HTMLElement).tagName === 'INPUT') {
          e.preventDefault();
          add();
        }
      }}
    >
      <h2>{t('plan.contacts')}</h2>
      <p class="hint">{t('plan.contactsIntro')}</p>
      <ul class="plain">
        {contacts.map((contact) => (
          <li key={contact.name} class="row">
            <span>
              <strong>{contact.name}</strong>
              {contact.role ? ` · ${contact.role}` : ''}
              {contact.notes ? <span class="hint"> · {contact.notes}</span> : null}
            </span>
            <button type="button" class="danger" onClick={() => onContacts(contacts.filter((c) => c.name !== contact.name))}>
              {t('contacts.remove', { name: contact.name })}
            </button>
          </li>
        ))}
      </ul>
      <Field label={t('plan.contactName')} value={name} onValue={setName} maxLength={100} />
      {taken ? <p class="hint">{t('plan.contactTaken')}</p> : null}
      <Field label={t('plan.contactRole')} value={role} onValue={setRole} maxLength={200} />
      <Field label={t('plan.contactNotes')} hint={t('plan.contactNotesHint')} value={notes} onValue={setNotes} maxLength={1000} />
      <button type="button" disabled={!trimmed || taken} onClick={add}>
        {t('plan.addContact')}
      </button>
    </div>
  );
}
