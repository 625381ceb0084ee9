import { useI18n } from '../../i18n/i18n';

/**
 * The way to check in without the app's connection: a text with the PIN from her own registered
 * phone. The PIN itself is never shown (someone may be looking at the screen).
 */
export function SmsCheckInHelp({ smsNumber, phoneHint, smsCheckIn }: { smsNumber: string | null; phoneHint: string | null; smsCheckIn?: 'on' | 'off' }) {
  const { t } = useI18n();
  if (!smsNumber) return <p data-testid="sms-help">{t('sms.noNumber')}</p>;
  // An unconfirmed number is ignored by the service: telling her to text from it would be a false way out.
  if (phoneHint && smsCheckIn === 'off') return <p data-testid="sms-help">{t('phoneVerify.off', { phone: phoneHint })}</p>;
  return (
    <div data-testid="sms-help" class="stack">
      <p>{phoneHint ? t('sms.how', { number: smsNumber, phone: phoneHint }) : t('sms.noPhone', { number: smsNumber })}</p>
      <p class="hint">{t('sms.example')}</p>
    </div>
  );
}
