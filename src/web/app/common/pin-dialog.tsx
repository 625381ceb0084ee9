import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../../i18n/i18n';
import { DialogExit, ErrorMessage, Field, useErrorText } from './ui';

/**
 * Asks for the check-in PIN. The duress PIN goes through exactly the same dialog and the same
 * answer: nothing on screen tells someone watching which PIN was typed.
 */
export function PinDialog({
  title,
  submitLabel,
  onPin,
  onClose,
  networkHelp,
}: {
  title: string;
  submitLabel: string;
  onPin(pin: string): Promise<void>;
  onClose(): void;
  /** Shown when the service could not be reached: another way to do the same thing (an SMS). */
  networkHelp?: ComponentChildren;
}) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const ref = useRef<HTMLDialogElement>(null);
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [offline, setOffline] = useState(false);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setOffline(false);
    try {
      await onPin(pin);
      setPin('');
      ref.current?.close();
      onClose(); // the dialog may have left the DOM already, and a detached dialog fires no close event
    } catch (caught) {
      setPin('');
      // Without a connection nothing happened on the service: say so plainly, never "done".
      const network = (caught as { name?: unknown } | null)?.name === 'TypeError';
      setOffline(network);
      setError((caught as { code?: string }).code === 'wrong_pin' ? t('pin.wrong') : network ? t('offline.notDone') : errorText(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={ref} onClose={onClose} aria-labelledby="pin-dialog-title">
      <DialogExit />
      <form onSubmit={submit} class="stack">
        <h2 id="pin-dialog-title">{title}</h2>
        <Field label={t('pin.label')} type="password" inputMode="numeric" autoComplete="off" pattern="[0-9]{4,12}" minLength={4} maxLength={12} value={pin} onValue={setPin} required />
        <ErrorMessage error={error} />
        {offline && networkHelp ? networkHelp : null}
        <button type="submit" class="primary" disabled={busy}>
          {submitLabel}
        </button>
        <button type="button" onClick={() => ref.current?.close()}>
          {t('common.cancel')}
        </button>
      </form>
    </dialog>
  );
}
