import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Team } from '../../../client';
import type { Language } from '../../../client/checkins';
import { TeamNetworkApi, type TeamNetwork, type TeamResponder } from '../../../client/team-network';
import { LANGUAGES, useI18n, type MessageKey } from '../../i18n/i18n';
import { Busy, ConfirmDialog, ErrorMessage, Field, Notice, SelectField, useErrorText } from '../common/ui';
import { useAction } from '../common/use-action';

const RESPONDER_STATE: Record<TeamResponder['state'], { key: MessageKey; tone: string }> = {
  invited: { key: 'contacts.invited', tone: '' },
  opted_in: { key: 'teamNetwork.ready', tone: 'ok' },
  opted_out: { key: 'teamNetwork.optedOut', tone: 'bad' },
};

type AddField = 'phone' | 'form';

/** The fields the service's validation refused (`body.phone`...), so the message goes under the right one. */
const invalidFields = (caught: unknown): string[] => ((caught as { details?: { issues?: { path?: string }[] } }).details?.issues ?? []).map((issue) => issue.path ?? '');

/** The refusals of reinvite and remove a coordinator can act on, in words. */
const ROSTER_ERRORS = new Map<string | undefined, MessageKey>([['not_invited', 'teamNetwork.notInvited'], ['too_many_invitations', 'teamNetwork.tooManyInvitations'], ['sms_name_required', 'teamNetwork.smsNameRequired']]);

/** Where a refusal of the add form goes (the phone field, or the form as a whole), and its words if it has its own. */
function addRefusal(caught: unknown): { field: AddField; key: MessageKey | null } {
  const code = (caught as { code?: string }).code;
  if (code === 'invalid_phone' || (code === 'validation_failed' && invalidFields(caught).includes('body.phone'))) return { field: 'phone', key: 'contacts.invalidPhone' };
  if (code === 'responder_exists') return { field: 'phone', key: 'teamNetwork.exists' };
  if (code === 'sms_name_required') return { field: 'form', key: 'teamNetwork.smsNameRequired' };
  if (code === 'too_many_responders') return { field: 'form', key: 'teamNetwork.tooMany' };
  return { field: 'form', key: null };
}

/**
 * A coordinator's card for the team's urgent-action network: the name its texts use, the responders with their
 * opt-in state, add, invite again, remove. Rendered for coordinators only; for anyone else the service answers
 * 404 for the team anyway. Every error shows beside what it is about (the SMS name, the phone, one responder).
 */
export function TeamNetworkCard({ team }: { team: Team }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [api] = useState(() => new TeamNetworkApi(team.account.api));
  const [network, setNetwork] = useState<TeamNetwork | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setNetwork(await api.get(team.teamId));
      setLoadError(null);
    } catch (caught) {
      setLoadError(errorText(caught));
    }
  }, [api, team]);
  useEffect(() => void load(), [load]);

  return (
    <div class="card stack" data-testid="team-network">
      <h2>{t('teamNetwork.title')}</h2>
      <p class="hint">{t('teamNetwork.intro')}</p>
      <ErrorMessage error={loadError} />
      {!network ? loadError ? null : <Busy label={t('common.loading')} /> : (
        <>
          <SmsName api={api} teamId={team.teamId} current={network.smsName} onSaved={load} />
          <Roster api={api} teamId={team.teamId} network={network} onChanged={load} />
          <AddResponder api={api} teamId={team.teamId} hasSmsName={network.smsName !== null} onAdded={load} />
        </>
      )}
    </div>
  );
}

function SmsName({ api, teamId, current, onSaved }: { api: TeamNetworkApi; teamId: string; current: string | null; onSaved(): Promise<void> }) {
  const { t } = useI18n();
  const [smsName, setSmsName] = useState(current ?? '');
  const [saved, setSaved] = useState<string | null>(null);
  const { busy, error, setError, run } = useAction((caught) => ((caught as { code?: string }).code === 'validation_failed' ? t('teamNetwork.smsNameInvalid') : null));
  const submit = async (event: Event) => {
    event.preventDefault();
    setSaved(null);
    await run(async () => {
      const answer = await api.setSmsName(teamId, smsName.trim());
      setSaved(answer.smsName);
      await onSaved();
    });
  };
  return (
    <form class="stack" onSubmit={submit} data-testid="team-sms-name">
      <h3>{t('teamNetwork.smsName')}</h3>
      {current ? <p>{t('teamNetwork.smsNameNow', { name: current })}</p> : <Notice tone="warn">{t('teamNetwork.smsNameNone')}</Notice>}
      <Field label={t('teamNetwork.smsNameField')} hint={t('teamNetwork.smsNameHint')} value={smsName} onValue={(v) => { setSmsName(v); setError(null); }} required maxLength={30} autoComplete="off" />
      <ErrorMessage error={error} />
      {saved ? <Notice>{t('teamNetwork.smsNameSaved', { name: saved })}</Notice> : null}
      <button type="submit" disabled={busy}>
        {t('teamNetwork.smsNameSave')}
      </button>
    </form>
  );
}

function Roster({ api, teamId, network, onChanged }: { api: TeamNetworkApi; teamId: string; network: TeamNetwork; onChanged(): Promise<void> }) {
  const { t } = useI18n();
  const [removing, setRemoving] = useState<TeamResponder | null>(null);
  const { busy, error, run } = useAction((caught) => {
    const key = ROSTER_ERRORS.get((caught as { code?: string }).code);
    return key ? t(key) : null;
  });
  // An error belongs to the responder whose button was pressed, shown under that responder.
  const [actedOn, setActedOn] = useState<string | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const languageName = (code: Language) => LANGUAGES.find((l) => l.code === code)?.name ?? code;

  const act = (responder: TeamResponder, action: () => Promise<unknown>) => {
    setActedOn(responder.id);
    return run(async () => {
      await action();
      await onChanged();
    });
  };

  return (
    <div class="stack" data-testid="team-responders">
      <h3>{t('teamNetwork.responders')}</h3>
      {network.responders.length === 0 ? <p>{t('teamNetwork.none')}</p> : null}
      <ul class="plain">
        {network.responders.map((r) => (
          <li key={r.id} data-testid="team-responder">
            <p>
              <strong>{r.name}</strong> · {r.role} · {languageName(r.language)} · {r.phoneHint}{' '}
              <span class={`status ${RESPONDER_STATE[r.state].tone}`}>{t(RESPONDER_STATE[r.state].key)}</span>
            </p>
            <div class="row">
              {r.state === 'invited' ? (
                <button type="button" disabled={busy} onClick={() => void act(r, () => api.reinvite(teamId, r.id))}>
                  {t('contacts.reinvite')}
                </button>
              ) : null}
              <button type="button" class="danger" disabled={busy} onClick={() => setRemoving(r)}>
                {t('contacts.remove', { name: r.name })}
              </button>
            </div>
            {actedOn === r.id ? <ErrorMessage error={error} /> : null}
          </li>
        ))}
      </ul>
      {removing ? (
        <ConfirmDialog
          question={t('teamNetwork.removeConfirm', { name: removing.name })}
          confirmLabel={t('contacts.remove', { name: removing.name })}
          onAnswer={(yes) => {
            const responder = removing;
            setRemoving(null);
            if (yes) void act(responder, () => api.remove(teamId, responder.id));
          }}
        />
      ) : null}
      {/* A YES arrives by SMS at any time: the coordinator looks again without leaving the screen. */}
      <button type="button" disabled={refreshing} onClick={() => { setRefreshing(true); void onChanged().finally(() => setRefreshing(false)); }}>
        {t('common.refresh')}
      </button>
    </div>
  );
}

function AddResponder({ api, teamId, hasSmsName, onAdded }: { api: TeamNetworkApi; teamId: string; hasSmsName: boolean; onAdded(): Promise<void> }) {
  const { t, lang } = useI18n();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [role, setRole] = useState('');
  const [phone, setPhone] = useState('');
  const [language, setLanguage] = useState<Language>(lang);
  const [added, setAdded] = useState<string | null>(null);
  // The field the last refusal is about, so its message shows under that field.
  const [errorField, setErrorField] = useState<AddField>('form');
  const { busy, error, setError, run } = useAction((caught) => {
    const { field, key } = addRefusal(caught);
    setErrorField(field);
    return key ? t(key) : null;
  });
  const at = (field: AddField) => (errorField === field ? <ErrorMessage error={error} /> : null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setAdded(null);
    await run(async () => {
      const responder = await api.add(teamId, { name: name.trim(), role: role.trim(), phone: phone.trim(), language });
      for (const clear of [setName, setRole, setPhone]) clear('');
      setOpen(false);
      setAdded(responder.name);
      await onAdded();
    });
  };

  if (!open) {
    return (
      <div class="stack">
        {added ? <Notice>{t('teamNetwork.added', { name: added })}</Notice> : null}
        <button type="button" onClick={() => { setOpen(true); setAdded(null); }}>
          {t('teamNetwork.addOpen')}
        </button>
      </div>
    );
  }
  return (
    <form class="stack" onSubmit={submit} data-testid="add-responder">
      <h3>{t('teamNetwork.addOpen')}</h3>
      {hasSmsName ? null : <Notice tone="warn">{t('teamNetwork.smsNameRequired')}</Notice>}
      <Field label={t('contacts.name')} value={name} onValue={setName} required maxLength={40} autoComplete="off" />
      <Field label={t('teamNetwork.role')} hint={t('teamNetwork.roleHint')} value={role} onValue={setRole} required maxLength={40} autoComplete="off" />
      <Field label={t('contacts.phone')} hint={t('contacts.phoneHint')} type="tel" autoComplete="off" value={phone} onValue={(v) => { setPhone(v); setError(null); }} required />
      {at('phone')}
      <SelectField label={t('contacts.language')} value={language} options={LANGUAGES.map((l) => ({ value: l.code, label: l.name }))} onValue={setLanguage} />
      {at('form')}
      <button type="submit" class="primary" disabled={busy}>
        {t('contacts.add')}
      </button>
      <button type="button" onClick={() => { for (const clear of [setName, setRole, setPhone]) clear(''); setOpen(false); setError(null); }}>
        {t('common.cancel')}
      </button>
    </form>
  );
}
