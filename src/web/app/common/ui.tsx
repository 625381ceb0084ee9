import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { quickExit } from './quick-exit';

/** The screen's heading takes focus when the screen changes, so a screen reader announces where we are. */
export function ScreenTitle({ children }: { children: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} class="screen-title">
      {children}
    </h1>
  );
}

/** The input attributes the screens use; kept explicit so every field is labelled the same way. */
interface InputOptions {
  type?: 'text' | 'password' | 'tel' | 'number' | 'datetime-local' | 'date' | 'time' | 'search';
  autoComplete?: string;
  autoCapitalize?: 'none' | 'off' | 'sentences' | 'words';
  spellcheck?: boolean;
  required?: boolean;
  minLength?: number;
  maxLength?: number;
  min?: number | string;
  max?: number | string;
  pattern?: string;
  inputMode?: 'numeric' | 'text' | 'tel';
  placeholder?: string;
  name?: string;
  rows?: number;
}

interface FieldProps extends InputOptions {
  label: string;
  hint?: string;
  value: string;
  onValue: (value: string) => void;
}

/**
 * The one frame of every field: its label, the control and its hint, tied by ids so a screen reader reads the
 * hint with the control. `control` gets the id and the `aria-describedby` to put on the element.
 */
function FieldFrame({ label, hint, control }: { label: string; hint?: string; control: (id: string, describedBy: string | undefined) => ComponentChildren }) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {control(id, hint ? `${id}-hint` : undefined)}
      {hint ? (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** Field and TextArea are one labelled text control: a one-line input, or a textarea of `rows` lines. */
function TextControl({ label, hint, value, onValue, multiline, type = 'text', rows = 3, ...attributes }: FieldProps & { multiline: boolean }) {
  return (
    <FieldFrame
      label={label}
      hint={hint}
      control={(id, describedBy) => {
        const common = { id, value, 'aria-describedby': describedBy, onInput: (e: { currentTarget: { value: string } }) => onValue(e.currentTarget.value), ...attributes };
        // Preact 11 types `type` as a discriminated union that a union-typed variable cannot satisfy.
        return multiline ? <textarea rows={rows} {...common} /> : <input type={type as 'text'} {...common} />;
      }}
    />
  );
}

export function Field(props: FieldProps) {
  return <TextControl {...props} multiline={false} />;
}

export function TextArea(props: FieldProps) {
  return <TextControl {...props} multiline />;
}

export function SelectField<T extends string | number>({
  label,
  value,
  options,
  onValue,
}: {
  label: string;
  value: T;
  options: { value: T; label: string }[];
  onValue: (value: T) => void;
}) {
  return (
    <FieldFrame
      label={label}
      control={(id) => (
        <select
          id={id}
          value={String(value)}
          onChange={(e) => {
            const picked = options.find((o) => String(o.value) === e.currentTarget.value);
            if (picked) onValue(picked.value);
          }}
        >
          {options.map((o) => (
            <option key={String(o.value)} value={String(o.value)}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    />
  );
}

/**
 * A modal dialog makes the rest of the page inert, the top bar's Exit included, and a phone has no
 * Escape key: every dialog carries its own Exit, so there is always one tap out.
 */
export function DialogExit() {
  const { t } = useI18n();
  return (
    <button type="button" class="quick-exit dialog-exit" onClick={quickExit} title={t('quickExit.hint')}>
      {t('quickExit.button')}
    </button>
  );
}

/**
 * Asks before something that cannot be undone, naming who or what it is about; carries Exit like
 * every dialog. Resolves to the person's answer through onAnswer.
 */
export function ConfirmDialog({ question, confirmLabel, cancelLabel, onAnswer }: { question: string; confirmLabel: string; cancelLabel?: string; onAnswer(confirmed: boolean): void }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog ref={ref} onCancel={() => onAnswer(false)} aria-label={question}>
      <DialogExit />
      <div class="stack">
        <p>
          <strong>{question}</strong>
        </p>
        <button type="button" class="danger" onClick={() => onAnswer(true)}>
          {confirmLabel}
        </button>
        <button type="button" onClick={() => onAnswer(false)}>
          {cancelLabel ?? t('common.cancel')}
        </button>
      </div>
    </dialog>
  );
}

/** Errors are announced (role=alert) and say what to do, in the person's language. */
export function ErrorMessage({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      {error}
    </p>
  );
}

/**
 * A confirmation ("Checked in", "Saved") looks unlike a warning, so a glance under stress never
 * mistakes "nobody will be alerted" for "all is well": green with a tick, neutral, or amber with "!".
 */
export function Notice({ children, tone = 'done' }: { children: ComponentChildren; tone?: 'done' | 'info' | 'warn' }) {
  return (
    <p class={`notice ${tone}`} role="status" data-tone={tone}>
      <span class="notice-mark" aria-hidden="true">
        {tone === 'done' ? '✓' : tone === 'warn' ? '!' : 'i'}
      </span>
      <span>{children}</span>
    </p>
  );
}

export function Busy({ label }: { label: string }) {
  return (
    <p class="busy" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" /> {label}
    </p>
  );
}

/** Lets the browser paint a "working..." state before a second of Argon2 blocks the main thread. */
export function nextPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
}

/** Maps an error from the client library to a sentence in the person's language. */
export function useErrorText(): (error: unknown) => string {
  const { t } = useI18n();
  return (error) => {
    const code = (error as { code?: unknown } | null)?.code;
    const name = (error as { name?: unknown } | null)?.name;
    const known: Record<string, MessageKey> = {
      handle_taken: 'error.handle_taken',
      invalid_credentials: 'error.invalid_credentials',
      too_many_attempts: 'error.too_many_attempts',
      validation_failed: 'error.validation_failed',
      unauthorized: 'error.unauthorized',
      not_found: 'error.not_found',
      payload_too_large: 'error.payload_too_large',
    };
    if (typeof code === 'string' && known[code]) return t(known[code]);
    if (name === 'InvalidRecoveryWordsError') return t('error.recovery_words');
    if (name === 'TypeError') return t('error.network');
    return t('error.generic', { code: typeof code === 'string' ? code : String(name ?? 'error') });
  };
}
