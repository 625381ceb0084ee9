import { useState } from 'preact/hooks';
import { loadCrypto } from '../common/crypto';
import { useI18n } from '../../i18n/i18n';
import { pinKdf } from '../common/kdf-pins';
import { setAccount } from '../common/session';
import { Busy, ErrorMessage, Field, ScreenTitle, TextArea, nextPaint, useErrorText } from '../common/ui';
import type { UnlockedAccount } from '../../../client';
import { MIN_PASSWORD_LENGTH, RecoveryWords, wordsLanguageFor } from './register';

/** Lost password: the 24 words unlock the keys once, a new password wraps them again, and new words replace the used ones. */
export function Recover({ onCancel }: { onCancel(): void }) {
  const { t, lang } = useI18n();
  const errorText = useErrorText();
  const [handle, setHandle] = useState('');
  const [words, setWords] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ words: string[]; account: UnlockedAccount } | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    if (password.length < MIN_PASSWORD_LENGTH) return setError(t('register.passwordTooShort', { min: MIN_PASSWORD_LENGTH }));
    if (password !== confirm) return setError(t('register.passwordsDiffer'));
    setBusy(true);
    try {
      const { connect } = await loadCrypto();
      const client = await connect();
      await nextPaint();
      const recovered = await client.recoverAccount(handle, words, password, { wordsLanguage: wordsLanguageFor(lang) });
      // The new password has a new salt: the pin follows, or her next sign-in here would warn of her own change.
      if (recovered.account.kdf) pinKdf(client.sodium, recovered.account.handle, recovered.account.kdf);
      setWords('');
      setPassword('');
      setConfirm('');
      setDone({ words: recovered.recoveryWords.split(' '), account: recovered.account });
    } catch (caught) {
      setError(errorText(caught));
      setBusy(false);
    }
  };

  if (done) return <RecoveryWords words={done.words} intro={t('recover.newWordsIntro')} onConfirmed={() => setAccount(done.account)} />;

  return (
    <section class="screen">
      <ScreenTitle>{t('recover.title')}</ScreenTitle>
      <p>{t('recover.intro')}</p>
      <form onSubmit={submit} class="stack">
        <Field label={t('field.handle')} value={handle} onValue={setHandle} autoComplete="username" autoCapitalize="none" spellcheck={false} required />
        <TextArea label={t('recover.words')} hint={t('recover.wordsHint')} value={words} onValue={setWords} rows={4} autoComplete="off" autoCapitalize="none" spellcheck={false} required />
        <Field label={t('field.newPassword')} hint={t('register.passwordHint', { min: MIN_PASSWORD_LENGTH })} type="password" value={password} onValue={setPassword} autoComplete="new-password" required />
        <Field label={t('field.confirmPassword')} type="password" value={confirm} onValue={setConfirm} autoComplete="new-password" required />
        <ErrorMessage error={error} />
        {busy ? <Busy label={t('recover.working')} /> : null}
        <button type="submit" class="primary" disabled={busy}>
          {t('recover.submit')}
        </button>
      </form>
      <div class="links">
        <button type="button" class="link" onClick={onCancel}>
          {t('common.back')}
        </button>
      </div>
    </section>
  );
}
