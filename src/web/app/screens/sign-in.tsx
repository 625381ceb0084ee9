import { useState } from 'preact/hooks';
import { loadCrypto } from '../common/crypto';
import { useI18n } from '../../i18n/i18n';
import type { KdfParams } from '../../../client';
import { pinKdf, pinnedKdf, sameKdf } from '../common/kdf-pins';
import { setAccount } from '../common/session';
import { Busy, ErrorMessage, Field, ScreenTitle, nextPaint, useErrorText } from '../common/ui';

/** Sign in, or unlock again after a lock (the handle is remembered in memory only, never stored). */
export function SignIn({ lockedHandle, onRegister, onRecover, onForgetHandle }: { lockedHandle?: string; onRegister(): void; onRecover(): void; onForgetHandle(): void }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [handle, setHandle] = useState(lockedHandle ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** the parameters the server answered that differ from this device's pin, while the warning is shown */
  const [changedKdf, setChangedKdf] = useState<KdfParams | null>(null);

  /** accepted: the changed parameters she confirmed, the only ones a differing answer may be derived with */
  const signIn = async (accepted?: KdfParams) => {
    setError(null);
    setBusy(true);
    try {
      const { connect } = await loadCrypto();
      const client = await connect();
      const kdf = await client.prelogin(handle);
      const pinned = pinnedKdf(client.sodium, handle);
      // A server that swaps the salt or parameters gets nothing derived from the password until she says she changed
      // it elsewhere (a password change on another device is the one honest reason for a different answer).
      if (pinned && !sameKdf(pinned, kdf) && !(accepted && sameKdf(accepted, kdf))) {
        setChangedKdf(kdf);
        setBusy(false);
        return;
      }
      setChangedKdf(null);
      await nextPaint();
      const account = await client.signIn(handle, password, 'web', { kdf });
      pinKdf(client.sodium, account.handle, kdf);
      setPassword('');
      setAccount(account);
    } catch (caught) {
      setError(errorText(caught));
      setBusy(false);
    }
  };

  const submit = (event: Event) => {
    event.preventDefault();
    void signIn();
  };

  const cancelChanged = () => {
    setChangedKdf(null);
    setPassword('');
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
        {changedKdf ? (
          <div class="card stack" role="alert" data-testid="kdf-changed">
            <p class="error">{t('signIn.kdfChanged')}</p>
            <button type="button" class="primary" onClick={cancelChanged}>
              {t('common.cancel')}
            </button>
            <button type="button" class="danger" disabled={busy} onClick={() => void signIn(changedKdf)}>
              {t('signIn.kdfChangedContinue')}
            </button>
          </div>
        ) : (
          <button type="submit" class="primary" disabled={busy}>
            {lockedHandle ? t('locked.unlock') : t('signIn.submit')}
          </button>
        )}
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
