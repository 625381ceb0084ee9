import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { UnlockedAccount } from '../../client';
import { installAutoLock } from './common/auto-lock';
import type { WebConfig } from './common/config';
import { forgetKeptDraft, keptDraftFor, leaveIfConfirmed, onLeaveRequest, sealOpenDraft, startRestoring, type Draft } from './common/drafts';
import { createI18n, directionOf, I18nContext, LANGUAGES, pickLanguage, ProfileTimeZoneContext, type Lang } from '../i18n/i18n';
import { CheckInsApi } from '../../client/checkins';
import { configureQuickExit, installEscapeTwiceExit, quickExit } from './common/quick-exit';
import { CheckInHome } from './screens/checkin';
import { Recover } from './screens/recover';
import { Register } from './screens/register';
import { Settings } from './screens/settings';
import { SignIn } from './screens/sign-in';
import { Teams } from './screens/teams';
import { currentAccount, lockKeys, onAccountChange } from './common/session';
import { ConfirmDialog, Notice } from './common/ui';
import iconUrl from './icon.svg';
import { NEUTRAL_ICON_URL } from './neutral-icon';


type SignedOutScreen = 'sign-in' | 'register' | 'recover';
type Tab = 'checkin' | 'teams' | 'settings';

/**
 * Navigation lives in component state, never in the URL or history: the back button has nothing to
 * reveal, and quick exit's location.replace() leaves no trace of the app in the tab's history.
 */
export function App({ config }: { config: WebConfig }) {
  const preferredLanguages = navigator.languages ?? [navigator.language];
  const [lang, setLang] = useState<Lang>(() => pickLanguage(preferredLanguages));
  const [account, setAccountState] = useState<UnlockedAccount | null>(currentAccount());
  const [screen, setScreen] = useState<SignedOutScreen>('sign-in');
  const [tab, setTab] = useState<Tab>('checkin');
  // Tapping a tab, even the current one, opens it at its top (a fresh component), like most phone apps.
  const [tabVisit, setTabVisit] = useState(0);
  const [lockedHandle, setLockedHandle] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | null>(null);
  const [autoLockMinutes, setAutoLockMinutes] = useState(config.autoLockMinutes);
  const [leaveRequest, setLeaveRequest] = useState<{ resolve(leave: boolean): void } | null>(null);
  const [kept, setKept] = useState<{ draft: Draft; sealed: string } | null>(null);
  // Her check-in profile's zone, once known (memory only, dropped at every lock): her SMS and the times she
  // promised are in it, whatever zone this phone's clock is in.
  const [profileTimeZone, setProfileTimeZone] = useState<{ handle: string; zone: string | null } | null>(null);
  const zone = account && profileTimeZone?.handle === account.handle ? profileTimeZone.zone : null;
  const i18n = useMemo(() => createI18n(lang, preferredLanguages, config.disguiseName, zone), [lang, zone]);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.documentElement.dir = directionOf(lang);
  }, [lang]);

  useEffect(() => {
    configureQuickExit(config.quickExitUrl);
    return installEscapeTwiceExit();
  }, [config.quickExitUrl]);

  const accountRef = useRef<UnlockedAccount | null>(account);
  useEffect(
    () =>
      onAccountChange((next) => {
        const previous = accountRef.current;
        accountRef.current = next;
        // Locked (not signed out): keep the handle in memory so unlocking needs only the password.
        if (!next && previous) setLockedHandle(previous.handle);
        if (next) {
          setNotice(null);
          // A draft sealed at the last lock opens only now, with the keys: offer it back.
          setKept(keptDraftFor(next));
          setLockedHandle(undefined);
          setScreen('sign-in'); // what a lock or sign-out comes back to
        }
        setAccountState(next);
      }),
    [],
  );

  const showTimesIn = useMemo(() => (next: string | null) => setProfileTimeZone(accountRef.current ? { handle: accountRef.current.handle, zone: next } : null), []);

  useEffect(() => {
    if (!account) {
      setProfileTimeZone(null);
      return;
    }
    // Read at every unlock, whatever tab opens first: Teams shows times too.
    let current = true;
    new CheckInsApi(account.api).getProfile().then(
      (profile) => current && showTimesIn(profile.timeZone),
      () => undefined, // none yet (404) or unreachable: the check-in tab says which
    );
    return () => {
      current = false;
    };
  }, [account]);

  useEffect(() => onLeaveRequest(setLeaveRequest), []);
  useEffect(() => {
    // Closing or reloading the tab with unsaved work: keep it sealed, as a lock would.
    const onPageHide = () => {
      const open = currentAccount();
      if (open) sealOpenDraft(open);
    };
    window.addEventListener('pagehide', onPageHide);
    return () => window.removeEventListener('pagehide', onPageHide);
  }, []);

  const autoLockMinutesRef = useRef(autoLockMinutes);
  autoLockMinutesRef.current = autoLockMinutes;
  useEffect(() => installAutoLock(() => autoLockMinutesRef.current, () => setNotice('locked')), []);

  const signedOut = (forgotDevice: boolean, unreachable = false) => {
    setLockedHandle(undefined);
    setScreen('sign-in');
    setTab('checkin');
    setNotice(forgotDevice ? 'forgotten' : unreachable ? 'signedOutUnreachable' : 'signedOut');
  };

  const t = i18n.t;
  const openTab = (name: Tab) => {
    setTab(name);
    setTabVisit((n) => n + 1);
  };
  const restoreKept = () => {
    if (!kept) return;
    startRestoring(kept.draft);
    forgetKeptDraft(kept.sealed);
    setKept(null);
    openTab('teams');
  };
  const discardKept = () => {
    if (kept) forgetKeptDraft(kept.sealed);
    setKept(null);
  };
  let main;
  if (account) {
    if (tab === 'checkin') main = <CheckInHome key={tabVisit} account={account} smsNumber={config.smsNumber} />;
    else if (tab === 'teams') main = <Teams key={tabVisit} account={account} />;
    else main = <Settings key={tabVisit} account={account} autoLockMinutes={autoLockMinutes} onAutoLockMinutes={setAutoLockMinutes} onLang={setLang} onSignedOut={signedOut} />;
  } else if (screen === 'register') main = <Register onCancel={() => setScreen('sign-in')} />;
  else if (screen === 'recover') main = <Recover onCancel={() => setScreen('sign-in')} />;
  else
    main = (
      <SignIn
        key={lockedHandle ?? ''}
        lockedHandle={lockedHandle}
        onRegister={() => setScreen('register')}
        onRecover={() => setScreen('recover')}
        onForgetHandle={() => setLockedHandle(undefined)}
      />
    );

  return (
    <I18nContext.Provider value={i18n}>
      <a class="skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        {t('common.skipToContent')}
      </a>
      <header class="top-bar">
        <span class="brand">
          <img src={config.disguiseName ? NEUTRAL_ICON_URL : iconUrl} alt="" width={28} height={28} />
          <span class="brand-name">{config.disguiseName ?? 'Meshwork'}</span>
        </span>
        <label class="visually-hidden" for="language-select">
          {t('settings.language')}
        </label>
        <select id="language-select" class="language" value={lang} onChange={(e) => setLang(e.currentTarget.value as Lang)}>
          {LANGUAGES.map((l) => (
            // Two letters keep the bar usable at 360 px; Settings lists the full names.
            <option key={l.code} value={l.code} lang={l.code} label={l.code.toUpperCase()} title={l.name}>
              {l.code.toUpperCase()}
            </option>
          ))}
        </select>
        {account ? (
          <button type="button" class="lock" onClick={() => lockKeys()}>
            {t('common.lock')}
          </button>
        ) : null}
        <button type="button" class="quick-exit" onClick={quickExit} aria-keyshortcuts="Escape Escape" title={t('quickExit.hint')}>
          {t('quickExit.button')}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {notice ? <Notice tone="info">{t(notice === 'locked' ? 'notice.locked' : notice === 'forgotten' ? 'notice.forgotten' : notice === 'signedOutUnreachable' ? 'notice.signedOutUnreachable' : 'notice.signedOut')}</Notice> : null}
        {account && kept ? (
          <div class="card stack kept-draft" role="region" aria-label={t('drafts.keptTitle')} data-testid="kept-draft">
            <Notice tone="warn">{t('drafts.kept', { time: i18n.dateTime(kept.draft.keptAt), title: kept.draft.title || t(kept.draft.kind === 'incident' ? 'incidents.add' : kept.draft.kind === 'risk-map' ? 'riskMap.new' : 'plan.new') })}</Notice>
            <button type="button" class="primary" onClick={restoreKept}>
              {t('drafts.restore')}
            </button>
            <button type="button" onClick={discardKept}>
              {t('drafts.discardKept')}
            </button>
          </div>
        ) : null}
        <ProfileTimeZoneContext.Provider value={showTimesIn}>{main}</ProfileTimeZoneContext.Provider>
      </main>
      {leaveRequest ? <ConfirmDialog question={t('drafts.leaveQuestion')} confirmLabel={t('drafts.discard')} cancelLabel={t('drafts.keepEditing')} onAnswer={(leave) => leaveRequest.resolve(leave)} /> : null}
      {account ? (
        <nav class="tabs" aria-label={t('nav.label')}>
          {(['checkin', 'teams', 'settings'] as const).map((name) => (
            <button key={name} type="button" aria-current={tab === name ? 'page' : undefined} onClick={() => leaveIfConfirmed(() => openTab(name))}>
              {t(name === 'checkin' ? 'nav.checkin' : name === 'teams' ? 'nav.teams' : 'nav.settings')}
            </button>
          ))}
        </nav>
      ) : null}
    </I18nContext.Provider>
  );
}
