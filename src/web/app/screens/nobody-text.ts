import type { I18n } from '../../i18n/i18n';

/** Said wherever she looks when a check-in protects nobody: home card, before scheduling. */
export function nobodyText(t: I18n['t'], waitingForYes: string[]): string {
  if (waitingForYes.length === 1) return t('reach.nobodyWaitingOne', { name: waitingForYes[0] ?? '' });
  if (waitingForYes.length > 1) return t('reach.nobodyWaitingMany', { names: waitingForYes.join(', ') });
  return t('reach.nobodyNoContact');
}
