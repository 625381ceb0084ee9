import { useEffect, useState } from 'preact/hooks';
import type { UnlockedAccount } from '../../../client';
import { CheckInsApi, type CheckInProfile, type Language } from '../../../client/checkins';
import { LANGUAGES, useI18n } from '../../i18n/i18n';
import { Busy, ErrorMessage, Field, Notice, SelectField, useErrorText } from '../common/ui';

const PIN_PATTERN = '[0-9]{4,12}';

/**
 * Settings' check-in card: the name alerts use, their language and her phone, the name and phone changed only
 * with the current check-in PIN (the service checks it: a borrowed unlocked phone must not rename her or move her
 * SMS check-ins to another number; the language redirects nothing and stays free); and the two PINs, changed only
 * with the current PIN too and each new one typed twice. Every error shows under the field it is about.
 */
export function ProfileSettings({ account }: { account: UnlockedAccount }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [api] = useState(() => new CheckInsApi(account.api));
  const [profile, setProfile] = useState<CheckInProfile | null | 'none'>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.getProfile().then(setProfile, (caught: unknown) => ((caught as { status?: number }).status === 404 ? setProfile('none') : setError(errorText(caught))));
  }, [api]);

  return (
    <div class="card stack" data-testid="profile-settings">
      <h2>{t('profileSettings.title')}</h2>
      <ErrorMessage error={error} />
      {profile === null ? error ? null : <Busy label={t('common.loading')} /> : profile === 'none' ? <p class="hint">{t('profileSettings.none')}</p> : (
        <>
          <NameAndPhone api={api} profile={profile} onSaved={setProfile} />
          <ChangePins api={api} profile={profile} onSaved={setProfile} />
        </>
      )}
    </div>
  );
}

function NameAndPhone({ api, profile, onSaved }: { api: CheckInsApi; profile: CheckInProfile; onSaved(profile: CheckInProfile): void }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [displayName, setDisplayName] = useState(profile.displayName);
  const [language, setLanguage] = useState<Language>(profile.language);
  const [phone, setPhone] = useState('');
  const [currentPin, setCurrentPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<{ field: 'phone' | 'current' | 'form'; text: string } | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      // An empty phone field keeps the registered number (shown masked); the service never sends it back whole.
      onSaved(await api.setProfile({ displayName, timeZone: profile.timeZone, language, ...(phone.trim() ? { phone: phone.trim() } : {}), ...(currentPin ? { currentPin } : {}) }));
      setPhone('');
      setCurrentPin('');
      setSaved(true);
    } catch (caught) {
      const code = (caught as { code?: string }).code;
      if (code === 'wrong_pin') setError({ field: 'current', text: t('pin.wrong') });
      else if (code === 'current_pin_required') setError({ field: 'current', text: t('profileSettings.currentPinNeeded') });
      else if (code === 'invalid_phone' || code === 'validation_failed') setError({ field: 'phone', text: t('profileSettings.badPhone') });
      else setError({ field: 'form', text: errorText(caught) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="stack" onSubmit={submit} data-testid="name-and-phone">
      <h3>{t('profileSettings.nameAndPhone')}</h3>
      <Field label={t('profile.displayName')} hint={t('profile.displayNameHint')} value={displayName} onValue={setDisplayName} required maxLength={40} />
      <SelectField label={t('profile.language')} value={language} options={LANGUAGES.map((l) => ({ value: l.code, label: l.name }))} onValue={setLanguage} />
      <Field label={t('profileSettings.newPhone')} hint={profile.phoneHint ? t('profileSettings.phoneKept', { hint: profile.phoneHint }) : t('profile.phoneHint')} type="tel" autoComplete="off" value={phone} onValue={setPhone} />
      {error?.field === 'phone' ? <ErrorMessage error={error.text} /> : null}
      <Field label={t('profileSettings.currentPin')} hint={t('profileSettings.currentPinForNameHint')} type="password" inputMode="numeric" autoComplete="off" pattern={PIN_PATTERN} value={currentPin} onValue={(v) => { setCurrentPin(v); setError(null); }} />
      {error?.field === 'current' ? <ErrorMessage error={error.text} /> : null}
      {error?.field === 'form' ? <ErrorMessage error={error.text} /> : null}
      {saved ? <Notice>{t('profileSettings.saved')}</Notice> : null}
      <button type="submit" disabled={busy}>
        {t('profileSettings.saveNameAndPhone')}
      </button>
    </form>
  );
}

type PinField = 'current' | 'pinAgain' | 'duress' | 'duressAgain' | 'form';

function ChangePins({ api, profile, onSaved }: { api: CheckInsApi; profile: CheckInProfile; onSaved(profile: CheckInProfile): void }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [currentPin, setCurrentPin] = useState('');
  const [pin, setPin] = useState('');
  const [pinAgain, setPinAgain] = useState('');
  const [duressPin, setDuressPin] = useState('');
  const [duressPinAgain, setDuressPinAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<{ field: PinField; text: string } | null>(null);
  const at = (field: PinField) => (error?.field === field ? <ErrorMessage error={error.text} /> : null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setSaved(false);
    if (pin !== pinAgain) return setError({ field: 'pinAgain', text: t('pins.pinMismatch') });
    if (duressPin !== duressPinAgain) return setError({ field: 'duressAgain', text: t('pins.duressMismatch') });
    if (pin === duressPin) return setError({ field: 'duress', text: t('profile.pinsDiffer') });
    setBusy(true);
    setError(null);
    try {
      onSaved(await api.setProfile({ displayName: profile.displayName, timeZone: profile.timeZone, language: profile.language, pin, duressPin, currentPin }));
      for (const clear of [setCurrentPin, setPin, setPinAgain, setDuressPin, setDuressPinAgain]) clear('');
      setSaved(true);
    } catch (caught) {
      const code = (caught as { code?: string }).code;
      if (code === 'wrong_pin' || code === 'current_pin_required') setError({ field: 'current', text: t('pin.wrong') });
      else if (code === 'duress_pin_same_as_pin') setError({ field: 'duress', text: t('profile.pinsDiffer') });
      else setError({ field: 'form', text: errorText(caught) });
    } finally {
      setBusy(false);
    }
  };
  const pinField = (label: string, value: string, onValue: (v: string) => void, hint?: string) => (
    <Field label={label} hint={hint} type="password" inputMode="numeric" autoComplete="off" pattern={PIN_PATTERN} value={value} onValue={(v) => { onValue(v); setError(null); }} required />
  );
  return (
    <form class="stack" onSubmit={submit} data-testid="change-pins">
      <h3>{t('profileSettings.changePins')}</h3>
      <p class="hint">{t('profileSettings.changePinsIntro')}</p>
      {pinField(t('profileSettings.currentPin'), currentPin, setCurrentPin)}
      {at('current')}
      {pinField(t('profileSettings.newPin'), pin, setPin)}
      {pinField(t('pins.repeatPin'), pinAgain, setPinAgain)}
      {at('pinAgain')}
      {pinField(t('profileSettings.newDuressPin'), duressPin, setDuressPin, t('profile.duressPinHint'))}
      {at('duress')}
      {pinField(t('pins.repeatDuressPin'), duressPinAgain, setDuressPinAgain)}
      {at('duressAgain')}
      {at('form')}
      {saved ? <Notice>{t('profileSettings.pinsChanged')}</Notice> : null}
      <button type="submit" class="primary" disabled={busy}>
        {t('profileSettings.savePins')}
      </button>
    </form>
  );
}
