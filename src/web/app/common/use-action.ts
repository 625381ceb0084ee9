import { useRef, useState } from 'preact/hooks';
import { useErrorText } from './ui';

/**
 * The one busy/error/retry pattern of the screens: `run` disables the buttons while an action runs, clears
 * the last error, and shows what went wrong in words (never a silent failure, never a false "done").
 * `describe` words the errors a screen knows better than the generic text; `retry` runs the last failed
 * action again. `run` resolves to whether the action succeeded.
 */
export function useAction(describe?: (error: unknown) => string | null) {
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const failed = useRef<(() => Promise<unknown>) | null>(null);

  const run = async (action: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await action();
      failed.current = null;
      return true;
    } catch (caught) {
      failed.current = action;
      setError(describe?.(caught) ?? errorText(caught));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const retry = async (): Promise<boolean> => (failed.current ? run(failed.current) : true);

  return { busy, error, setError, run, retry };
}
