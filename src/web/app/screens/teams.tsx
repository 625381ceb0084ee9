import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { UnlockedAccount } from '../../../client';
import { useI18n } from '../../i18n/i18n';
import { Busy, ErrorMessage, ScreenTitle, useErrorText } from '../common/ui';

type TeamsModule = typeof import('./teams-workshop');
let loading: Promise<TeamsModule> | undefined;

/** The team workshop (risk maps, members, schemas) loads only when opened, keeping the first screens light. */
export function Teams({ account }: { account: UnlockedAccount }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [Workshop, setWorkshop] = useState<ComponentType<{ account: UnlockedAccount }> | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    loading ??= import('./teams-workshop');
    loading.then((module) => setWorkshop(() => module.TeamsWorkshop)).catch((caught: unknown) => {
      loading = undefined;
      setError(errorText(caught));
    });
  }, []);
  if (Workshop) return <Workshop account={account} />;
  return (
    <section class="screen">
      <ScreenTitle>{t('teams.title')}</ScreenTitle>
      <ErrorMessage error={error} />
      {error ? null : <Busy label={t('common.loading')} />}
    </section>
  );
}
