import { useMemo, useState } from 'preact/hooks';
import { CheckInsApi, type Language } from '../../../client/checkins';
import { sameZoneIn, timeZonesInOrder } from '../../../shared/time-zones';
import { describeTimeZone, LANGUAGES, useI18n } from '../../i18n/i18n';
import { ErrorMessage, Field, SelectField, useErrorText } from '../common/ui';

export function ProfileSetup({ api, onSaved }: { api: CheckInsApi; onSaved(): Promise<void> }) {
  const { t, lang, timeZone, timeZoneLabel } = useI18n();
  const errorText = useErrorText();
  const [displayName, setDisplayName] = useState('');
  const [language, setLanguage] = useState<Language>(lang);
  // The zones of the chosen language's region first, then this phone's, then all; the phone's is preselected.
  const zones = useMemo(() => timeZonesInOrder(language, timeZone), [language, timeZone]);
  const zoneOptions = useMemo(() => zones.map((zone) => ({ value: zone, label: describeTimeZone(zone, lang) })), [zones, lang]);
  const [profileZone, setProfileZone] = useState(() => sameZoneIn(zones, timeZone) ?? timeZone);
  const [pin, setPin] = useState('');
  const [duressPin, setDuressPin] = useState('');
  const [pinAgain, setPinAgain] = useState('');
  const [duressPinAgain, setDuressPinAgain] = useState('');
  const [phone, setPhone] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Typed twice: a PIN mistyped unseen at set-up would make her next "I'm safe" fail, and the alert go out.
  const [mismatch, setMismatch] = useState<'pin' | 'duress' | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (pin !== pinAgain) return setMismatch('pin');
    if (duressPin !== duressPinAgain) return setMismatch('duress');
    setMismatch(null);
    if (pin === duressPin) return setError(t('profile.pinsDiffer'));
    setBusy(true);
    setError(null);
    try {
      await api.setProfile({ displayName, timeZone: profileZone, language, pin, duressPin, phone: phone.trim() ? phone.trim() : undefined });
      setPin('');
      setDuressPin('');
      setPinAgain('');
      setDuressPinAgain('');
      await onSaved();
    } catch (caught) {
      setError(errorText(caught));
      setBusy(false);
    }
  };

  return (
    <div class="card">
      <h2>{t('profile.title')}</h2>
      <p>{t('profile.intro')}</p>
      <form onSubmit={submit} class="stack">
        <Field label={t('profile.displayName')} hint={t('profile.displayNameHint')} value={displayName} onValue={setDisplayName} required maxLength={40} />
        <SelectField label={t('profile.language')} value={language} options={LANGUAGES.map((l) => ({ value: l.code, label: l.name }))} onValue={setLanguage} />
        <Field label={t('profile.pin')} hint={t('profile.pinHint')} type="password" inputMode="numeric" autoComplete="off" pattern="[0-9]{4,12}" value={pin} onValue={setPin} required />
        <Field label={t('pins.repeatPin')} type="password" inputMode="numeric" autoComplete="off" pattern="[0-9]{4,12}" value={pinAgain} onValue={(v) => { setPinAgain(v); setMismatch(null); }} required />
        {mismatch === 'pin' ? <ErrorMessage error={t('pins.pinMismatch')} /> : null}
        <Field label={t('profile.duressPin')} hint={t('profile.duressPinHint')} type="password" inputMode="numeric" autoComplete="off" pattern="[0-9]{4,12}" value={duressPin} onValue={setDuressPin} required />
        <Field label={t('pins.repeatDuressPin')} type="password" inputMode="numeric" autoComplete="off" pattern="[0-9]{4,12}" value={duressPinAgain} onValue={(v) => { setDuressPinAgain(v); setMismatch(null); }} required />
        {mismatch === 'duress' ? <ErrorMessage error={t('pins.duressMismatch')} /> : null}
        <Field label={t('profile.phone')} hint={t('profile.phoneHint')} type="tel" autoComplete="off" value={phone} onValue={setPhone} />
        <SelectField label={t('profile.timeZonePick')} value={profileZone} options={zoneOptions} onValue={setProfileZone} />
        <p class="hint">{t('profile.timeZonePickHint', { zone: timeZoneLabel })}</p>
        <ErrorMessage error={error} />
        <button type="submit" class="primary" disabled={busy}>
          {t('profile.save')}
        </button>
      </form>
    </div>
  );
}
