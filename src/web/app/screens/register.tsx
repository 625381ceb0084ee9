import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import type { MeshworkClient, RecoveryWordsLanguage, UnlockedAccount } from '../../../client';
import { loadCrypto } from '../common/crypto';
import { useI18n } from '../../i18n/i18n';
import { setAccount } from '../common/session';
import { Busy, ErrorMessage, Field, ScreenTitle, nextPaint, useErrorText } from '../common/ui';

export const MIN_PASSWORD_LENGTH = 10;

/** The BIP-39 list for the screen's language (these four have one); recovery accepts words of any of them. */
export function wordsLanguageFor(lang: string): RecoveryWordsLanguage {
  return lang === 'es' || lang === 'pt' || lang === 'fr' ? lang : 'en';
}
/** A word as written on paper and typed back: case and accents aside (each list's words stay distinct without them). */
const folded = (word: string) => word.trim().normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

/**
 * What registering and recovering share: a new password typed twice and checked, the key work in the client
 * (slow: argon2id), then the recovery words to write down before the account opens. `work` gets the client and
 * the password; the password fields are emptied once it succeeds.
 */
export function useNewPasswordForm(work: (client: MeshworkClient, password: string) => Promise<{ recoveryWords: string; account: UnlockedAccount }>) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ words: string[]; account: UnlockedAccount } | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    if (password.length < MIN_PASSWORD_LENGTH) return setError(t('register.passwordTooShort', { min: MIN_PASSWORD_LENGTH }));
    if (password !== confirm) return setError(t('register.passwordsDiffer'));
    setBusy(true);
    try {
      const { connect } = await loadCrypto();
      const client = await connect();
      await nextPaint();
      const { recoveryWords, account } = await work(client, password);
      setPassword('');
      setConfirm('');
      setDone({ words: recoveryWords.split(' '), account });
    } catch (caught) {
      setError(errorText(caught));
      setBusy(false);
    }
  };

  const passwordFields = (label: string) => (
    <>
      <Field label={label} hint={t('register.passwordHint', { min: MIN_PASSWORD_LENGTH })} type="password" value={password} onValue={setPassword} autoComplete="new-password" required />
      <Field label={t('field.confirmPassword')} type="password" value={confirm} onValue={setConfirm} autoComplete="new-password" required />
    </>
  );
  return { submit, busy, error, done, passwordFields };
}

/** The frame of both forms: title, intro, the fields, the error, the busy line, submit and back. */
export function NewPasswordScreen({ title, intro, working, submitLabel, form, onCancel, children }: { title: string; intro: string; working: string; submitLabel: string; form: ReturnType<typeof useNewPasswordForm>; onCancel(): void; children: ComponentChildren }) {
  const { t } = useI18n();
  return (
    <section class="screen">
      <ScreenTitle>{title}</ScreenTitle>
      <p>{intro}</p>
      <form onSubmit={form.submit} class="stack">
        {children}
        <ErrorMessage error={form.error} />
        {form.busy ? <Busy label={working} /> : null}
        <button type="submit" class="primary" disabled={form.busy}>
          {submitLabel}
        </button>
      </form>
      <div class="links">
        <button type="button" class="link" onClick={onCancel}>
          {t('common.back')}
        </button>
      </div>
    </section>
  );
}

/** Register, then show the 24 recovery words once and ask the person to confirm they wrote them down. */
export function Register({ onCancel }: { onCancel(): void }) {
  const { t, lang } = useI18n();
  const [handle, setHandle] = useState('');
  const form = useNewPasswordForm(async (client, password) => {
    const registration = await client.register(handle, password, { wordsLanguage: wordsLanguageFor(lang) });
    return { recoveryWords: registration.recoveryWords, account: await client.signIn(registration.handle, password, 'web') };
  });

  if (form.done) {
    const { account } = form.done;
    return <RecoveryWords words={form.done.words} onConfirmed={() => setAccount(account)} />;
  }

  return (
    <NewPasswordScreen title={t('register.title')} intro={t('register.intro')} working={t('register.working')} submitLabel={t('register.submit')} form={form} onCancel={onCancel}>
      <Field label={t('field.handle')} hint={t('register.handleHint')} value={handle} onValue={setHandle} autoComplete="username" autoCapitalize="none" spellcheck={false} required minLength={3} maxLength={32} pattern="[A-Za-z0-9][A-Za-z0-9_.\-]{2,31}" />
      {form.passwordFields(t('field.password'))}
    </NewPasswordScreen>
  );
}

/** Shows recovery words once (at registration, and the new ones after a recovery) and asks for one back. */
export function RecoveryWords({ words, onConfirmed, intro }: { words: string[]; onConfirmed(): void; intro?: string }) {
  const { t } = useI18n();
  const [written, setWritten] = useState(false);
  const [check, setCheck] = useState('');
  const [error, setError] = useState<string | null>(null);
  // Asking for one word back catches "I'll write them later" without a second full copy exercise.
  const askIndex = useMemo(() => crypto.getRandomValues(new Uint32Array(1))[0]! % words.length, [words]);

  const submit = (event: Event) => {
    event.preventDefault();
    if (!written) return setError(t('words.confirmFirst'));
    if (folded(check) !== folded(words[askIndex] ?? '')) return setError(t('words.wrongWord', { n: askIndex + 1 }));
    onConfirmed();
  };

  return (
    <section class="screen">
      <ScreenTitle>{t('words.title')}</ScreenTitle>
      <p>{intro ?? t('words.intro')}</p>
      <ol class="words" aria-label={t('words.listLabel')} data-testid="recovery-words">
        {words.map((word, i) => (
          <li key={i}>
            <span class="word-number" aria-hidden="true">
              {i + 1}
            </span>{' '}
            <span class="word">{word}</span>
          </li>
        ))}
      </ol>
      <p class="warning">{t('words.warning')}</p>
      <form onSubmit={submit} class="stack">
        <div class="check">
          <input id="words-written" type="checkbox" checked={written} onChange={(e) => setWritten(e.currentTarget.checked)} />
          <label for="words-written">{t('words.written')}</label>
        </div>
        <Field label={t('words.askWord', { n: askIndex + 1 })} value={check} onValue={setCheck} autoComplete="off" autoCapitalize="none" spellcheck={false} name={`word-${askIndex + 1}`} />
        <ErrorMessage error={error} />
        <button type="submit" class="primary">
          {t('words.continue')}
        </button>
      </form>
    </section>
  );
}
