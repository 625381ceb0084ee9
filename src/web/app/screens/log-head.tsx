import type { Team } from '../../../client';
import { useI18n } from '../../i18n/i18n';

/** The head of the verified team log, beside the safety words: two phones shown different heads see different logs. */
export function LogHead({ team }: { team: Team }) {
  const { t } = useI18n();
  const head = team.logHead();
  return (
    <p class="hint" data-testid="log-head">
      {t('log.head', { seq: String(head.seq), hash: head.short })} {t('log.headHint')}
    </p>
  );
}
