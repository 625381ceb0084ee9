import { useEffect, useState } from 'preact/hooks';
import type { DecryptedDocument, Team } from '../../../client';
import { useI18n } from '../../i18n/i18n';
import { Busy, ErrorMessage, Notice, useErrorText } from '../common/ui';

/**
 * Every version of a document, newest first, with who saved it. "Restore version N" hands that version's
 * content back to the editor, which saves it as a new version on top of the newest one: history is never
 * rewritten, and a save that raced someone else's comes back as the usual merge choice.
 */
export function VersionHistory({ team, documentId, newest, busy, dirty, onRestore, notice }: {
  team: Team;
  documentId: string;
  newest: number;
  busy: boolean;
  /** unsaved edits in the editor, which a restore replaces */
  dirty: boolean;
  onRestore(version: DecryptedDocument): void;
  /** the result of a restore, shown here where the person pressed the button */
  notice?: string | null;
}) {
  const { t, dateTime } = useI18n();
  const errorText = useErrorText();
  const [open, setOpen] = useState(false);
  const [history, setHistory] = useState<DecryptedDocument[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    let current = true;
    team.vault.history(documentId).then(
      (versions) => current && setHistory(versions),
      (caught: unknown) => current && setError(errorText(caught)),
    );
    return () => {
      current = false;
    };
  }, [open, documentId, newest]);

  return (
    <div class="card stack">
      <h2>{t('history.title')}</h2>
      <ErrorMessage error={error} />
      {notice ? <Notice>{notice}</Notice> : null}
      {!open ? (
        <button type="button" onClick={() => setOpen(true)}>
          {t('history.show')}
        </button>
      ) : history ? (
        <>
          {dirty ? <p class="hint">{t('history.restoreDropsEdits')}</p> : null}
          <ol class="timeline" data-testid="history">
            {history.map((version) => (
              <li key={version.version} class="version">
                <time dateTime={version.writtenAt}>{dateTime(version.writtenAt)}</time>
                {t('history.entry', { version: version.version, handle: version.author.handle })}
                {titleOf(version) ? <span class="hint"> · {titleOf(version)}</span> : null}
                {version.version === newest ? (
                  <span class="status"> {t('history.current')}</span>
                ) : (
                  <button type="button" class="restore" disabled={busy} onClick={() => onRestore(version)}>
                    {t('history.restore', { version: version.version })}
                  </button>
                )}
              </li>
            ))}
          </ol>
        </>
      ) : error ? null : (
        <Busy label={t('common.loading')} />
      )}
    </div>
  );
}

function titleOf(version: DecryptedDocument): string {
  const title = (version.content as { title?: unknown }).title;
  return typeof title === 'string' ? title : '';
}
