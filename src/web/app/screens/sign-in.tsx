import { useState } from 'preact/hooks';
import { loadCrypto } from '../crypto';
import { useI18n } from '../i18n';
import { setAccount } from '../session';
import { Busy, ErrorMessage, Field, ScreenTitle, nextPaint, useErrorText } from '../ui';

/** Sign in, or unlock again after a lock (the handle is remembered in memory only, never stored). */
export function SignIn({ lockedHandle, onRegister, onRecover, onForgetHandle }: { lockedHandle?: string; onRegister(): void; onRecover(): void; onForgetHandle(): void }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [handle, setHandle] = useState(lockedHandle ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const { connect } = await loadCrypto();
      const client = await connect();
      await nextPaint();
      const account = await client.signIn(handle, password, 'web');
      setPassword('');
      setAccount(account);
    } catch (caught) {
      setError(errorText(caught));
      setBusy(false);
    }
  };

  return (
    <section class="screen" aria-labelledby="sign-in-title">
      {lockedHandle ? (
        <>
          <ScreenTitle>{t('locked.title')}</ScreenTitle>
          <p>{t('locked.explain', { handle: lockedHandle })}</p>
        </>
      ) : (
        <>
          <ScreenTitle>{t('signIn.title')}</ScreenTitle>
          <p>{t('signIn.intro')}</p>
        </>
      )}
      <form onSubmit={submit} class="stack">
        {lockedHandle ? null : <Field label={t('field.handle')} value={handle} onValue={setHandle} autoComplete="username" autoCapitalize="none" spellcheck={false} required />}
        <Field label={t('field.password')} type="password" value={password} onValue={setPassword} autoComplete="current-password" required />
        <ErrorMessage error={error} />
        {busy ? <Busy label={t('signIn.working')} /> : null}
        <button type="submit" class="primary" disabled={busy}>
          {lockedHandle ? t('locked.unlock') : t('signIn.submit')}
        </button>
      </form>
      <div class="links">
        {lockedHandle ? (
          <button type="button" class="link" onClick={onForgetHandle}>
            {t('locked.otherAccount')}
          </button>
        ) : (
          <button type="button" class="link" onClick={onRegister}>
            {t('signIn.toRegister')}
          </button>
        )}
        <button type="button" class="link" onClick={onRecover}>
          {t('signIn.toRecover')}
        </button>
      </div>
    </section>
  );
}
