import { useState } from 'preact/hooks';
import type { UnlockedAccount } from '../../../client';
import { LANGUAGES, useI18n, type Lang } from '../../i18n/i18n';
import { quickExit } from '../common/quick-exit';
import { forgetThisDevice, lockKeys } from '../common/session';
import { Busy, ErrorMessage, ScreenTitle, SelectField, useErrorText } from '../common/ui';
import { ProfileSettings } from './profile-settings';

const AUTO_LOCK_CHOICES = [1, 2, 5, 10, 15, 30];

export function Settings({
  account,
  autoLockMinutes,
  onAutoLockMinutes,
  onLang,
  onSignedOut,
}: {
  account: UnlockedAccount;
  autoLockMinutes: number;
  onAutoLockMinutes(minutes: number): void;
  onLang(lang: Lang): void;
  onSignedOut(forgotDevice: boolean, unreachable?: boolean): void;
}) {
  const { t, lang } = useI18n();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const choices = [...new Set([...AUTO_LOCK_CHOICES, autoLockMinutes])].sort((a, b) => a - b);

  const signOut = async () => {
    setBusy(true);
    let revoked = false;
    let error: unknown = null;
    try {
      await account.signOut();
      revoked = true;
    } catch (caught) {
      // Signing out must never fail on screen: the keys are wiped whatever the network says.
      error = caught;
      setError(errorText(caught));
    }
    lockKeys({ sessionAlreadyRevoked: revoked });
    // Never "You are signed out" when the service did not hear it: the session may still be live there.
    onSignedOut(false, !revoked && (error as { name?: unknown } | null)?.name === 'TypeError');
  };

  // Ends on the neutral exit page, not on a Meshwork screen that would show the app was used here.
  const forget = async () => {
    setBusy(true);
    await forgetThisDevice();
    quickExit();
  };

  return (
    <section class="screen">
      <ScreenTitle>{t('settings.title')}</ScreenTitle>
      <p>{t('settings.signedInAs', { handle: account.handle })}</p>
      <div class="card stack">
        <SelectField label={t('settings.language')} value={lang} options={LANGUAGES.map((l) => ({ value: l.code, label: l.name }))} onValue={onLang} />
        <SelectField
          label={t('settings.autoLock')}
          value={autoLockMinutes}
          options={choices.map((m) => ({ value: m, label: t('settings.minutes', { n: m }) }))}
          onValue={onAutoLockMinutes}
        />
        <p class="hint">{t('settings.autoLockHint')}</p>
      </div>
      <ProfileSettings account={account} />
      <div class="card stack">
        <h2>{t('settings.leaving')}</h2>
        <button type="button" onClick={() => lockKeys()} disabled={busy}>
          {t('settings.lockNow')}
        </button>
        <button type="button" onClick={signOut} disabled={busy}>
          {t('settings.signOut')}
        </button>
        <p class="hint">{t('settings.signOutHint')}</p>
        <button type="button" class="danger" onClick={forget} disabled={busy}>
          {t('settings.forgetDevice')}
        </button>
        <p class="hint">{t('settings.forgetDeviceHint')}</p>
        {busy ? <Busy label={t('common.working')} /> : null}
        <ErrorMessage error={error} />
      </div>
    </section>
  );
}
