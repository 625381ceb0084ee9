import { useEffect, useState } from 'preact/hooks';
import type { Team, UnlockedAccount } from '../../../client';
import { TeamNetworkApi, type TeamNetworkChoice } from '../../../client/team-network';
import { useI18n } from '../../i18n/i18n';
import { ErrorMessage, Notice, SelectField, useErrorText } from '../common/ui';
import { useAction } from '../common/use-action';

/** The tiers the contacts card offers; a higher one set elsewhere (the CLI allows up to 10) is kept and shown. */
const TIERS = [1, 2, 3];
const AFTER = 'after';
const OFF = '';

/**
 * Where she sets up her escalation, after her own contacts: "after my own tiers (or with tier n), alert my team's
 * urgent-action network". Team names are end-to-end encrypted, so the picker opens her teams on this device (the
 * teams code loads only here, as on the Teams tab). Says what it does and what it does not: she cannot see the
 * roster, and a network nobody has said YES to alerts nobody.
 */
export function TeamNetworkChoiceCard({ account }: { account: UnlockedAccount }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [api] = useState(() => new TeamNetworkApi(account.api));
  const [loaded, setLoaded] = useState<{ choice: TeamNetworkChoice | null; teams: Team[] } | null>(null);
  const [teamId, setTeamId] = useState(OFF);
  const [when, setWhen] = useState(AFTER);
  const [saved, setSaved] = useState(false);
  // A team she has left (or that was dissolved) answers 404, like one that never existed: say which it is for her.
  const { busy, error, setError, run } = useAction((caught) => ((caught as { code?: string }).code === 'not_found' ? t('networkChoice.notMember') : null));

  const show = (choice: TeamNetworkChoice | null) => {
    setTeamId(choice?.teamId ?? OFF);
    setWhen(choice?.atTier ? String(choice.atTier) : AFTER);
  };
  useEffect(() => {
    Promise.all([api.myChoice(), import('./teams-workshop').then((module) => module.openMyTeams(account))]).then(
      ([choice, teams]) => {
        setLoaded({ choice, teams });
        show(choice);
      },
      // Without a connection the home screen already says so (and shows what it last knew); this card waits for the next visit.
      (caught: unknown) => setError((caught as { name?: unknown } | null)?.name === 'TypeError' ? null : errorText(caught)),
    );
  }, [api]);

  // Nothing while loading: the card is not what she came for, and a second "Loading" would compete with the deadline's.
  if (!loaded) {
    return error ? (
      <div class="card">
        <h2>{t('networkChoice.title')}</h2>
        <ErrorMessage error={error} />
      </div>
    ) : null;
  }
  // In no team and nothing chosen: there is nothing to pick, and a card about it would only be noise.
  if (loaded.teams.length === 0 && !loaded.choice) return null;

  const nameOf = (id: string) => loaded.teams.find((team) => team.teamId === id)?.name ?? t('networkChoice.unknownTeam');
  const tiers = [...new Set([...TIERS, ...(loaded.choice?.atTier ? [loaded.choice.atTier] : [])])].sort((a, b) => a - b);
  const teamOptions = [{ value: OFF, label: t('networkChoice.off') }, ...loaded.teams.map((team) => ({ value: team.teamId, label: team.name }))];
  // A chosen team this phone cannot open (not yet sealed to her, or failing verification) stays selectable, so saving keeps it.
  if (loaded.choice && !loaded.teams.some((team) => team.teamId === loaded.choice!.teamId)) teamOptions.push({ value: loaded.choice.teamId, label: t('networkChoice.unknownTeam') });
  const current = loaded.choice;

  const submit = async (event: Event) => {
    event.preventDefault();
    setSaved(false);
    await run(async () => {
      const choice = await api.choose(teamId === OFF ? null : { teamId, atTier: when === AFTER ? null : Number(when) });
      setLoaded({ ...loaded, choice });
      show(choice);
      setSaved(true);
    });
  };

  return (
    <form class="card stack" onSubmit={submit} data-testid="team-network-choice">
      <h2>{t('networkChoice.title')}</h2>
      <p class="hint">{t('networkChoice.intro')}</p>
      <p class="hint">{t('networkChoice.private')}</p>
      {current ? (
        <Notice tone="info">{current.atTier ? t('networkChoice.isOnAt', { team: nameOf(current.teamId), n: current.atTier }) : t('networkChoice.isOn', { team: nameOf(current.teamId) })}</Notice>
      ) : (
        <Notice tone="info">{t('networkChoice.isOff')}</Notice>
      )}
      <SelectField label={t('networkChoice.team')} value={teamId} options={teamOptions} onValue={(v) => { setTeamId(v); setSaved(false); }} />
      {teamId === OFF ? null : (
        <SelectField
          label={t('networkChoice.when')}
          value={when}
          options={[{ value: AFTER, label: t('networkChoice.afterMine') }, ...tiers.map((n) => ({ value: String(n), label: t('networkChoice.withTier', { n }) }))]}
          onValue={(v) => { setWhen(v); setSaved(false); }}
        />
      )}
      <ErrorMessage error={error} />
      {saved ? <Notice>{t('profileSettings.saved')}</Notice> : null}
      <button type="submit" disabled={busy}>
        {t('networkChoice.save')}
      </button>
    </form>
  );
}
