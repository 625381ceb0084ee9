import { Types } from 'mongoose';
import type { AuthenticatedAccount } from '../shared/authenticated-account';
import { findEachEqual } from '../shared/each-by-equality';
import { errors } from '../shared/errors';
import { requireMember } from '../teams/team-access';
import type { Team } from '../teams/team.model';
import { AlertModel, type Alert } from './alert.model';
import type { SafetyDeps } from '../safety/deps';
import type { CoordinatorAlertView } from '../safety/alert.schemas';
import { openDuress } from './alert-secrets';
import { alertedEntryName } from './recipients';
import { readAlertEvents } from '../safety/timeline';
import { alertsThatReachedNobody, toTimelineEntries } from './view-alerts';

type AlertDoc = Alert & { _id: Types.ObjectId };

/**
 * A team's coordinators see the alerts of the team's other members, duress included. Non-members
 * get 404 (requireMember); plain members get 404 too, so a role cannot be probed either. A
 * coordinator's own alerts are left out: their phone may be the one in someone else's hands.
 */
async function coordinatorScope(who: AuthenticatedAccount, teamId: string): Promise<{ team: Team; ownerIds: string[] }> {
  const team = await requireMember(teamId, who.accountId);
  const me = team.members.find((m) => m.accountId === who.accountId && m.status === 'member');
  if (me?.role !== 'coordinator') throw errors.notFound();
  return { team, ownerIds: team.memberAccountIds.filter((id) => id !== who.accountId) };
}

function handleOf(team: Team, ownerId: Types.ObjectId): string {
  return team.members.find((m) => m.accountId === String(ownerId))?.handle ?? 'unknown';
}

async function view(deps: Pick<SafetyDeps, 'fieldCipher'>, team: Team, alert: AlertDoc, reachedNobody: Set<string>): Promise<CoordinatorAlertView> {
  const by = alert.acknowledgedByContactId ? await alertedEntryName(deps, alert.acknowledgedByContactId) : null;
  return {
    id: String(alert._id),
    checkInId: alert.checkInId ? String(alert.checkInId) : null,
    ownerHandle: handleOf(team, alert.ownerId),
    state: alert.state as CoordinatorAlertView['state'],
    duress: openDuress(deps.fieldCipher, alert).duress,
    delayed: alert.delayed,
    missedAt: alert.missedAt.toISOString(),
    acknowledgedBy: by,
    acknowledgedAt: alert.acknowledgedAt?.toISOString() ?? null,
    resolvedAt: alert.resolvedAt?.toISOString() ?? null,
    createdAt: alert.createdAt.toISOString(),
    reachedNobody: reachedNobody.has(String(alert._id)),
  };
}

const TEAM_ALERTS_SHOWN = 50;

/**
 * The newest alerts of these members, newest first: each member's newest by ownerId equality, merged here.
 * `ownerId: {$in}` would read every defender's alerts on FerretDB, which filters `$in` after reading the collection.
 */
export async function newestAlertsOf(ownerIds: readonly string[], limit = TEAM_ALERTS_SHOWN): Promise<AlertDoc[]> {
  const each = await findEachEqual<AlertDoc>(AlertModel, 'ownerId', ownerIds, { where: { state: { $ne: 'opening' } }, sort: { createdAt: -1 }, limit });
  const newestFirst = (a: AlertDoc, b: AlertDoc) => b.createdAt.getTime() - a.createdAt.getTime() || String(b._id).localeCompare(String(a._id));
  return each.sort(newestFirst).slice(0, limit);
}

export async function listTeamAlerts(deps: Pick<SafetyDeps, 'fieldCipher'>, who: AuthenticatedAccount, teamId: string): Promise<CoordinatorAlertView[]> {
  const { team, ownerIds } = await coordinatorScope(who, teamId);
  const alerts = await newestAlertsOf(ownerIds);
  const nobody = await alertsThatReachedNobody(deps, alerts, false);
  return Promise.all(alerts.map((a) => view(deps, team, a, nobody)));
}

export async function getTeamAlertTimeline(deps: Pick<SafetyDeps, 'fieldCipher'>, who: AuthenticatedAccount, teamId: string, alertId: string) {
  const { team, ownerIds } = await coordinatorScope(who, teamId);
  // `_id` is the equality FerretDB pushes down; the `$in` is then checked on that one document.
  const alert = await AlertModel.findOne({ _id: alertId, ownerId: { $in: ownerIds }, state: { $ne: 'opening' } }).lean<AlertDoc>();
  if (!alert) throw errors.notFound();
  const events = await readAlertEvents(deps, { alertId: alert._id, ownerId: alert.ownerId }, 500);
  const timeline = await toTimelineEntries(deps, events);
  return { alert: await view(deps, team, alert, await alertsThatReachedNobody(deps, [alert], false)), timeline };
}
