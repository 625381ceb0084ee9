import type { AlertPreview } from '../../../client/checkins';
import { useI18n } from '../../i18n/i18n';
import { Notice } from '../common/ui';
import { nobodyText, teamNetworkText } from './nobody-text';

type Alerted = { key: string; order: number; who: string; textFor: string; segments: number; text: string };

/**
 * Before scheduling: who is texted, in which order, and the exact SMS each gets (rendered by the server's catalogue).
 * Her team network's responders appear at their tier by role only: the server gives a plain member no names.
 */
export function AlertPreviewPanel({ preview }: { preview: AlertPreview }) {
  const { t } = useI18n();
  const team = preview.teamNetwork;
  const teamName = team?.smsName ?? t('reach.yourTeam');
  const responderRole = (r: NonNullable<AlertPreview['teamNetwork']>['responders'][number]) => (r.name ? `${r.name} (${r.role})` : r.role);
  const alerted: Alerted[] = [
    ...preview.recipients.flatMap((r) =>
      r.order === null ? [] : [{ key: r.contactId, order: r.order, who: t('preview.who', { order: r.order, name: r.name, tier: r.tier }), textFor: t('preview.textFor', { name: r.name }), segments: r.segments, text: r.text }],
    ),
    ...(team?.responders ?? []).flatMap((r, i) =>
      r.order === null
        ? []
        : [{ key: `team-${i}`, order: r.order, who: t('preview.responder', { order: r.order, role: responderRole(r), team: teamName, tier: team?.tier ?? 0 }), textFor: t('preview.responderTextFor', { role: responderRole(r), team: teamName }), segments: r.segments, text: r.text }],
    ),
  ].sort((a, b) => a.order - b.order);
  const left = preview.recipients.filter((r) => r.order === null);
  const teamLeft = (team?.responders ?? []).filter((r) => r.order === null);
  const teamWarning = team && (team.status === 'not_a_member' || team.optedIn === 0) && !preview.nobodyWillBeAlerted ? teamNetworkText(t, team) : null;
  return (
    <section class="stack" data-testid="alert-preview" aria-labelledby="alert-preview-title">
      <h3 id="alert-preview-title">{t('preview.title')}</h3>
      {preview.nobodyWillBeAlerted ? (
        <Notice tone="warn">
          {nobodyText(t, left.filter((r) => r.state === 'invited').map((r) => r.name), team)} {t('reach.scheduleAnyway')}
        </Notice>
      ) : null}
      {teamWarning ? <Notice tone="warn">{teamWarning}</Notice> : null}
      {team && team.status === 'counted' && team.optedIn > 0 ? <p class="hint" data-testid="team-reach">{teamNetworkText(t, team)}</p> : null}
      {alerted.length > 0 ? (
        // A plain list: each line starts with its order ("1. Bea (tier 1)"); an <ol> numbered it twice.
        <ul class="plain">
          {alerted.map((r) => (
            <li key={r.key}>
              <p>
                <strong>{r.who}</strong> · {t('preview.segments', { n: r.segments })}
              </p>
              <p class="preview-text" aria-label={r.textFor}>
                {r.text}
              </p>
            </li>
          ))}
        </ul>
      ) : null}
      {left.map((r) => (
        <p key={r.contactId} class="hint">
          {t('preview.notAlerted', { name: r.name, why: t(r.state === 'opted_out' ? 'contacts.optedOut' : 'contacts.invited') })}
        </p>
      ))}
      {teamLeft.map((r, i) => (
        <p key={`team-left-${i}`} class="hint">
          {t('preview.responderNotAlerted', { role: responderRole(r), team: teamName, why: t(r.state === 'opted_out' ? 'preview.responderOptedOut' : 'contacts.invited') })}
        </p>
      ))}
    </section>
  );
}
