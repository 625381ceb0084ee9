import { useCallback, useEffect, useState } from 'preact/hooks';
import { EncryptedTrustStore, Teams as TeamsClient, type Invitation, type Team, type UnlockedAccount } from '../../../client';
import { peekRestoring } from '../common/drafts';
import { Fingerprint } from '../common/fingerprint';
import { useI18n } from '../../i18n/i18n';
import { indexedDbTrustRecords } from '../common/trust-store';
import { Busy, ErrorMessage, Field, ScreenTitle, useErrorText } from '../common/ui';
import { useAction } from '../common/use-action';
import { type SecurityWarning, securityWarningOf } from './security-warning';
import { TeamView } from './team-view';

/**
 * One Teams client per unlocked account. Its trust store (key pins, log and version marks) persists in IndexedDB,
 * encrypted under a key only the unlocked account has, so an auto-lock or a page load is not a fresh device.
 */
const clients = new WeakMap<UnlockedAccount, TeamsClient>();
function teamsFor(account: UnlockedAccount): TeamsClient {
  let client = clients.get(account);
  if (!client) clients.set(account, (client = new TeamsClient(account, new EncryptedTrustStore(account.sodium, account.keys.box.privateKey, indexedDbTrustRecords))));
  return client;
}

/** Her teams, opened and verified on this device (the check-in screen's team picker names them). */
export async function openMyTeams(account: UnlockedAccount): Promise<Team[]> {
  return (await teamsFor(account).openEach()).opened;
}

/** Every team, opened one by one (the client library's openEach): what cannot be opened yet is waiting. */
async function openEachTeam(client: TeamsClient): Promise<{ opened: Team[]; waiting: number; warnings: SecurityWarning[] }> {
  const { opened, failed } = await client.openEach();
  const warnings: SecurityWarning[] = [];
  let waiting = 0;
  for (const { teamId, error } of failed) {
    // Changed keys or a log that does not verify may be an attack: say so, never "waiting for a coordinator".
    const warning = securityWarningOf(error, teamId);
    if (warning) warnings.push(warning);
    else waiting += 1;
  }
  return { opened, waiting, warnings };
}

export function TeamsWorkshop({ account }: { account: UnlockedAccount }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const client = teamsFor(account);
  const [teams, setTeams] = useState<{ opened: Team[]; waiting: number; warnings: SecurityWarning[] } | null>(null);
  const [invitations, setInvitations] = useState<(Invitation & { safetyNumber?: string })[]>([]);
  // Accepted, not yet added: the team cannot be opened, but saying "no team" would be false.
  const [accepted, setAccepted] = useState<Invitation[]>([]);
  const [open, setOpen] = useState<Team | null>(null);
  const [name, setName] = useState('');
  const { busy, error, setError, run } = useAction();

  const load = useCallback(async () => {
    try {
      const [list, pending] = await Promise.all([openEachTeam(client), client.invitations()]);
      const warnings = [...list.warnings];
      const withNumbers = await Promise.all(
        pending.filter((i) => !i.accepted).map(async (i) => {
          try {
            return { ...i, safetyNumber: await client.safetyNumberWith(i.invitedBy.handle) };
          } catch (caught) {
            const warning = securityWarningOf(caught);
            if (warning) warnings.push(warning);
            return { ...i, safetyNumber: undefined };
          }
        }),
      );
      setTeams({ ...list, warnings });
      setInvitations(withNumbers);
      setAccepted(pending.filter((i) => i.accepted));
    } catch (caught) {
      setError(errorText(caught));
    }
  }, [client]);
  useEffect(() => void load(), [load]);
  // A draft kept at the last lock goes back to its team's screen, which hands it to its editor.
  useEffect(() => {
    const restoring = peekRestoring();
    if (restoring) client.open(restoring.teamId).then(setOpen, (caught: unknown) => setError(errorText(caught)));
  }, [client]);

  if (open) return <TeamView team={open} onBack={() => { setOpen(null); void load(); }} />;

  return (
    <section class="screen">
      <ScreenTitle>{t('teams.title')}</ScreenTitle>
      <ErrorMessage error={error} />
      {(teams?.warnings ?? []).map((warning, i) => (
        <p key={i} class="error" role="alert" data-testid="security-warning">
          {t(warning.key, warning.params)}
        </p>
      ))}
      {invitations.length ? (
        <div class="card" data-testid="invitations">
          <h2>{t('teams.invitations')}</h2>
          <ul class="plain">
            {invitations.map((invitation) => (
              <li key={invitation.teamId}>
                <p>{t('teams.invitedBy', { handle: invitation.invitedBy.handle })}</p>
                {invitation.safetyNumber ? <Fingerprint sodium={account.sodium} safetyNumber={invitation.safetyNumber} label={t('fingerprint.compareWith', { handle: invitation.invitedBy.handle })} /> : null}
                <button type="button" class="primary" disabled={busy} onClick={() => void run(async () => { await client.accept(invitation.teamId); await load(); })}>
                  {t('teams.accept')}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div class="card">
        <h2>{t('teams.yours')}</h2>
        {!teams ? <Busy label={t('common.loading')} /> : teams.opened.length + teams.waiting + accepted.length === 0 ? <p>{t('teams.none')}</p> : null}
        {accepted.map((invitation) => (
          <p key={invitation.teamId} class="hint" data-testid="accepted-waiting">
            {t('teams.acceptedWaiting', { handle: invitation.invitedBy.handle })}
          </p>
        ))}
        {teams?.waiting ? <p class="hint">{t('teams.waiting', { n: teams.waiting })}</p> : null}
        <ul class="plain">
          {(teams?.opened ?? []).map((team) => (
            <li key={team.teamId}>
              <button type="button" class="link" onClick={() => setOpen(team)}>
                {team.name}
              </button>{' '}
              <span class="hint">{t('teams.memberCount', { n: team.members().filter((m) => m.status === 'member').length })}</span>
            </li>
          ))}
        </ul>
        <button type="button" onClick={() => void load()}>
          {t('common.refresh')}
        </button>
      </div>
      <form class="card stack" onSubmit={(e) => { e.preventDefault(); void run(async () => { const team = await client.create(name); setName(''); setOpen(team); }); }}>
        <h2>{t('teams.create')}</h2>
        <Field label={t('teams.name')} hint={t('teams.nameHint')} value={name} onValue={setName} required maxLength={200} />
        <button type="submit" class="primary" disabled={busy}>
          {t('teams.createSubmit')}
        </button>
      </form>
    </section>
  );
}
