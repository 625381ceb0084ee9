import type { AlertPreview } from '../../../client/checkins';
import { useI18n } from '../../i18n/i18n';
import { Notice } from '../common/ui';
import { nobodyText } from './nobody-text';

/** Before scheduling: who is texted, in which order, and the exact SMS each gets (rendered by the server's catalogue). */
export function AlertPreviewPanel({ preview }: { preview: AlertPreview }) {
  const { t } = useI18n();
  const alerted = preview.recipients.filter((r) => r.order !== null).sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  const left = preview.recipients.filter((r) => r.order === null);
  return (
    <section class="stack" data-testid="alert-preview" aria-labelledby="alert-preview-title">
      <h3 id="alert-preview-title">{t('preview.title')}</h3>
      {preview.nobodyWillBeAlerted ? (
        <Notice tone="warn">
          {nobodyText(t, left.filter((r) => r.state === 'invited').map((r) => r.name))} {t('reach.scheduleAnyway')}
        </Notice>
      ) : null}
      {alerted.length > 0 ? (
        <ol class="plain">
          {alerted.map((r) => (
            <li key={r.contactId}>
              <p>
                <strong>{t('preview.who', { order: r.order ?? 0, name: r.name, tier: r.tier })}</strong> · {t('preview.segments', { n: r.segments })}
              </p>
              <p class="preview-text" aria-label={t('preview.textFor', { name: r.name })}>
                {r.text}
              </p>
            </li>
          ))}
        </ol>
      ) : null}
      {left.map((r) => (
        <p key={r.contactId} class="hint">
          {t('preview.notAlerted', { name: r.name, why: t(r.state === 'opted_out' ? 'contacts.optedOut' : 'contacts.invited') })}
        </p>
      ))}
    </section>
  );
}
