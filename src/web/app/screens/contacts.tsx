import { useState } from 'preact/hooks';
import type { Language } from '../../../client/checkins';
import { ContactsApi, type TrustedContact } from '../../../client/contacts';
import { LANGUAGES, useI18n, type MessageKey } from '../../i18n/i18n';
import { ConfirmDialog, ErrorMessage, Field, SelectField } from '../common/ui';
import { useAction } from '../common/use-action';

const CONTACT_STATE: Record<TrustedContact['state'], MessageKey> = { invited: 'contacts.invited', opted_in: 'contacts.optedIn', opted_out: 'contacts.optedOut' };

export function Contacts({ contacts, api, onChanged }: { contacts: TrustedContact[]; api: ContactsApi; onChanged(): Promise<void> }) {
  const { t, lang } = useI18n();
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [language, setLanguage] = useState<Language>(lang);
  const [tier, setTier] = useState(1);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<TrustedContact | null>(null);
  const { busy, error, run } = useAction((caught) => {
    const code = (caught as { code?: string }).code;
    return code === 'invalid_phone' ? t('contacts.invalidPhone') : code === 'contact_exists' ? t('contacts.exists') : null;
  });
  const act = (action: () => Promise<unknown>) => run(async () => {
    await action();
    await onChanged();
  });

  const add = async (event: Event) => {
    event.preventDefault();
    if (await act(() => api.add({ name, phone, language, tier }))) {
      setName('');
      setPhone('');
      setAdding(false);
    }
  };

  return (
    <div class="card" data-testid="contacts">
      <h2>{t('contacts.title')}</h2>
      <p class="hint">{t('contacts.intro')}</p>
      {contacts.length === 0 ? <p>{t('contacts.none')}</p> : null}
      <ul class="plain">
        {contacts.map((c) => (
          <li key={c.id}>
            <p>
              <strong>{c.name}</strong> · {c.phoneHint} · {t('contacts.tierN', { n: c.tier })}{' '}
              <span class={`status ${c.state === 'opted_in' ? 'ok' : c.state === 'opted_out' ? 'bad' : ''}`}>{t(CONTACT_STATE[c.state])}</span>
            </p>
            <div class="row">
              {c.state === 'invited' ? (
                <button type="button" disabled={busy} onClick={() => void act(() => api.reinvite(c.id))}>
                  {t('contacts.reinvite')}
                </button>
              ) : null}
              <button type="button" class="danger" disabled={busy} onClick={() => setRemoving(c)}>
                {t('contacts.remove', { name: c.name })}
              </button>
            </div>
          </li>
        ))}
      </ul>
      {removing ? (
        <ConfirmDialog
          question={t('contacts.removeConfirm', { name: removing.name })}
          confirmLabel={t('contacts.remove', { name: removing.name })}
          onAnswer={(yes) => {
            const contact = removing;
            setRemoving(null);
            if (yes) void act(() => api.remove(contact.id));
          }}
        />
      ) : null}
      <ErrorMessage error={error} />
      {adding ? (
        <form onSubmit={add} class="stack">
          <Field label={t('contacts.name')} value={name} onValue={setName} required maxLength={60} />
          <Field label={t('contacts.phone')} hint={t('contacts.phoneHint')} type="tel" value={phone} onValue={setPhone} required />
          <SelectField label={t('contacts.language')} value={language} options={LANGUAGES.map((l) => ({ value: l.code, label: l.name }))} onValue={setLanguage} />
          <SelectField label={t('contacts.tier')} value={tier} options={[1, 2, 3].map((n) => ({ value: n, label: t('contacts.tierN', { n }) }))} onValue={setTier} />
          <button type="submit" class="primary" disabled={busy}>
            {t('contacts.add')}
          </button>
          <button type="button" onClick={() => setAdding(false)}>
            {t('common.cancel')}
          </button>
        </form>
      ) : (
        <button type="button" onClick={() => setAdding(true)}>
          {t('contacts.addOpen')}
        </button>
      )}
    </div>
  );
}
