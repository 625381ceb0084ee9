import { useState } from 'preact/hooks';
import { useI18n } from '../../i18n/i18n';
import { pinKdf } from '../common/kdf-pins';
import { setAccount } from '../common/session';
import { Field, TextArea } from '../common/ui';
import { NewPasswordScreen, RecoveryWords, useNewPasswordForm, wordsLanguageFor } from './register';

/** Lost password: the 24 words unlock the keys once, a new password wraps them again, and new words replace the used ones. */
export function Recover({ onCancel }: { onCancel(): void }) {
  const { t, lang } = useI18n();
  const [handle, setHandle] = useState('');
  const [words, setWords] = useState('');
  const form = useNewPasswordForm(async (client, password) => {
    const recovered = await client.recoverAccount(handle, words, password, { wordsLanguage: wordsLanguageFor(lang) });
    // The new password has a new salt: the pin follows, or her next sign-in here would warn of her own change.
    if (recovered.account.kdf) pinKdf(client.sodium, recovered.account.handle, recovered.account.kdf);
    setWords('');
    return recovered;
  });

  if (form.done) {
    const { account } = form.done;
    return <RecoveryWords words={form.done.words} intro={t('recover.newWordsIntro')} onConfirmed={() => setAccount(account)} />;
  }

  return (
    <NewPasswordScreen title={t('recover.title')} intro={t('recover.intro')} working={t('recover.working')} submitLabel={t('recover.submit')} form={form} onCancel={onCancel}>
      <Field label={t('field.handle')} value={handle} onValue={setHandle} autoComplete="username" autoCapitalize="none" spellcheck={false} required />
      <TextArea label={t('recover.words')} hint={t('recover.wordsHint')} value={words} onValue={setWords} rows={4} autoComplete="off" autoCapitalize="none" spellcheck={false} required />
      {form.passwordFields(t('field.newPassword'))}
    </NewPasswordScreen>
  );
}
