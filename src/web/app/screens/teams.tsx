import type { UnlockedAccount } from '../../../client';
import { useI18n } from '../i18n';
import { ScreenTitle } from '../ui';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export function Teams(_props: { account: UnlockedAccount }) {
  const { t } = useI18n();
  return (
    <section class="screen">
      <ScreenTitle>{t('teams.title')}</ScreenTitle>
    </section>
  );
}
