import type { CheckIn } from '../../../client/checkins';
import type { I18n } from '../../i18n/i18n';

export type TeamNetworkReach = CheckIn['reach']['teamNetwork'];

/**
 * Said wherever she looks when a check-in protects nobody: home card, before scheduling. Shown only when the
 * server counts nobody at all, her team network's responders included; its waiting responders are named by count.
 */
export function nobodyText(t: I18n['t'], waitingForYes: string[], team: TeamNetworkReach = null): string {
  const own = waitingForYes.length === 1 ? t('reach.nobodyWaitingOne', { name: waitingForYes[0] ?? '' }) : waitingForYes.length > 1 ? t('reach.nobodyWaitingMany', { names: waitingForYes.join(', ') }) : t('reach.nobodyNoContact');
  const part = teamNetworkText(t, team);
  return part ? `${own} ${part}` : own;
}

/**
 * Her team network's part, beside her own contacts: "+ 3 responders of Red Sur at tier 3", a network nobody in which
 * has said YES yet, or a team she is no longer in (which alerts nobody). null when she has not chosen one.
 */
export function teamNetworkText(t: I18n['t'], team: TeamNetworkReach): string | null {
  if (!team) return null;
  if (team.status === 'not_a_member') return t('reach.teamNotMember');
  const name = team.smsName ?? t('reach.yourTeam');
  if (team.optedIn === 0) return t('reach.teamNobodyYet', { team: name });
  return t(team.optedIn === 1 ? 'reach.teamPartOne' : 'reach.teamPartMany', { n: team.optedIn, team: name, tier: team.tier ?? 0 });
}
