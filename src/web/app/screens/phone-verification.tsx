import { useState } from 'preact/hooks';
import type { CheckInProfile, CheckInsApi } from '../../../client/checkins';
import { useI18n } from '../../i18n/i18n';
import { ErrorMessage, Field, Notice } from '../common/ui';
import { useAction } from '../common/use-action';

/**
 * Shown while the profile's phone is not verified: says plainly that an SMS does not check her in yet
 * (a screen that let her believe otherwise could leave a missed check-in unanswered), and takes the code.
 */
export function PhoneVerification({ profile, api, onVerified }: { profile: CheckInProfile; api: CheckInsApi; onVerified(): Promise<void> }) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [resent, setResent] = useState(false);
  const { busy, error, run } = useAction((caught) => {
    const known: Record<string, Parameters<typeof t>[0]> = {
      wrong_phone_code: 'phoneVerify.wrongCode',
      phone_code_expired: 'phoneVerify.expired',
      phone_taken: 'phoneVerify.taken',
      no_phone_code_pending: 'phoneVerify.noCode',
    };
    const key = known[(caught as { code?: string } | null)?.code ?? ''];
    return key ? t(key) : null;
  });
  if (!profile.phoneHint || profile.phoneVerified) return null;

  const verify = async (event: Event) => {
    event.preventDefault();
    await run(async () => {
      await api.verifyPhone(code.trim());
      setCode('');
      await onVerified();
    });
  };
  const resend = () =>
    run(async () => {
      await api.requestPhoneCode();
      setResent(true);
    });

  return (
    <div class="card" data-testid="phone-verification">
      <h2>{t('phoneVerify.title')}</h2>
      <Notice>{t('phoneVerify.off', { phone: profile.phoneHint })}</Notice>
      <form onSubmit={verify} class="stack">
        <Field label={t('phoneVerify.code')} hint={t('phoneVerify.codeHint')} inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" value={code} onValue={setCode} required />
        <ErrorMessage error={error} />
        {resent ? <p class="hint">{t('phoneVerify.resent')}</p> : null}
        <button type="submit" class="primary" disabled={busy}>
          {t('phoneVerify.verify')}
        </button>
        <button type="button" disabled={busy} onClick={() => void resend()}>
          {t('phoneVerify.resend')}
        </button>
      </form>
    </div>
  );
}
