import type { UnlockedAccount } from '../../../client';
import { useI18n } from '../i18n';
import { ScreenTitle } from '../ui';

export function CheckInHome({ account }: { account: UnlockedAccount }) {
  const { t } = useI18n();
  return (
    <section class="screen">
      <ScreenTitle>{t('checkin.title')}</ScreenTitle>
      <p>{t('settings.signedInAs', { handle: account.handle })}</p>
    </section>
  );
}
