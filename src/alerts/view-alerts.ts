import { Types } from 'mongoose';
import { alertedEntryName } from './recipients';
import type { AuthenticatedAccount } from '../shared/authenticated-account';
import { findEachEqual } from '../shared/each-by-equality';
import { errors } from '../shared/errors';
import { AlertModel, type Alert } from './alert.model';
import type { AlertView, TimelineEntry } from '../safety/alert.schemas';
import type { SafetyDeps } from '../safety/deps';
import { openDuress } from './alert-secrets';
import { openEvent, readAlertEvents, type OpenedEvent } from '../safety/timeline';
import { TimelineEventModel, type TimelineEvent } from '../safety/timeline.model';

export type AlertDoc = Alert & { _id: Types.ObjectId };

/**
 * What the defender's own session may see. A duress alert is invisible to it (the phone may be in
 * someone else's hands); an alert a duress PIN took over shows as resolved at that moment, exactly
 * as a real late check-in would have left it.
 */
function asSeenByOwner(deps: Pick<SafetyDeps, 'fieldCipher'>, alert: AlertDoc, reachedNobody: Set<string>): AlertView | null {
  if (alert.state === 'opening') return null;
  const { duress, coverResolvedAt } = openDuress(deps.fieldCipher, alert);
  if (duress && !coverResolvedAt) return null;
  const covered = duress ? coverResolvedAt : null;
  const cut = (date?: Date) => (date && (!covered || date < covered) ? date.toISOString() : null);
  return {
    id: String(alert._id),
    checkInId: alert.checkInId ? String(alert.checkInId) : null,
    state: covered ? 'resolved' : (alert.state as AlertView['state']),
    delayed: alert.delayed,
    missedAt: alert.missedAt.toISOString(),
    acknowledgedBy: null,
    acknowledgedAt: cut(alert.acknowledgedAt),
    resolvedAt: covered ? covered.toISOString() : alert.resolvedAt ? alert.resolvedAt.toISOString() : null,
    createdAt: alert.createdAt.toISOString(),
    reachedNobody: reachedNobody.has(String(alert._id)),
  };
}

/**
 * The alerts among these that texted nobody: "no contact" was logged and no tier was ever alerted
 * (before a duress takeover, for the owner). Derived from the timeline on each read, so a contact
 * who opts in later and gets the next round's text clears it. Defends against a screen saying
 * "your contacts were alerted" when nobody was.
 */
export async function alertsThatReachedNobody(deps: Pick<SafetyDeps, 'fieldCipher'>, alerts: AlertDoc[], forOwner: boolean): Promise<Set<string>> {
  const nobody = new Set<string>();
  if (alerts.length === 0) return nobody;
  const byId = new Map(alerts.map((a) => [String(a._id), a]));
  // One query per alert by alertId equality, what FerretDB pushes down to PostgreSQL: an `$in` (over the alerts, or
  // over a team's owners) reads every defender's timeline. The kind is sealed at rest (it would tell duress events
  // apart), so it is read after decrypting.
  const events = await timelineEventsOf([...byId.keys()]);
  const reached = new Set<string>();
  for (const stored of events) {
    const alert = byId.get(String(stored.alertId));
    if (!alert) continue;
    const event = openEvent(deps, stored);
    if (event.kind !== 'tier_alerted' && event.kind !== 'no_contacts') continue;
    const { coverResolvedAt } = openDuress(deps.fieldCipher, alert);
    if (forOwner && coverResolvedAt && event.at >= coverResolvedAt) continue;
    if (event.kind === 'tier_alerted') reached.add(String(stored.alertId));
    else nobody.add(String(stored.alertId));
  }
  for (const id of reached) nobody.delete(id);
  return nobody;
}

/** The timeline events of these alerts (what alertsThatReachedNobody reads of them). */
export function timelineEventsOf(alertIds: readonly string[]) {
  return findEachEqual<Pick<TimelineEvent, 'alertId' | 'at' | 'encryptedEvent'> & { _id: Types.ObjectId }>(TimelineEventModel, 'alertId', alertIds, { projection: { alertId: 1, at: 1, encryptedEvent: 1 } });
}

export async function listAlerts(deps: Pick<SafetyDeps, 'fieldCipher'>, who: AuthenticatedAccount): Promise<AlertView[]> {
  const alerts = await AlertModel.find({ ownerId: who.accountId }).sort({ createdAt: -1 }).limit(50).lean<AlertDoc[]>();
  const views: AlertView[] = [];
  const nobody = await alertsThatReachedNobody(deps, alerts, true);
  for (const alert of alerts) {
    const view = asSeenByOwner(deps, alert, nobody);
    if (!view) continue;
    view.acknowledgedBy = view.acknowledgedAt ? await contactName(deps, alert.acknowledgedByContactId) : null;
    views.push(view);
  }
  return views;
}

export async function getAlertTimeline(deps: Pick<SafetyDeps, 'fieldCipher'>, who: AuthenticatedAccount, alertId: string): Promise<{ alert: AlertView; timeline: TimelineEntry[] }> {
  const alert = await AlertModel.findOne({ _id: alertId, ownerId: who.accountId }).lean<AlertDoc>();
  const view = alert ? asSeenByOwner(deps, alert, await alertsThatReachedNobody(deps, [alert], true)) : null;
  if (!alert || !view) throw errors.notFound();
  view.acknowledgedBy = view.acknowledgedAt ? await contactName(deps, alert.acknowledgedByContactId) : null;
  const { coverResolvedAt } = openDuress(deps.fieldCipher, alert);
  // Filtered after decrypting: hiddenFromOwner is sealed so a database copy cannot pick out duress events.
  const visible = await readAlertEvents(deps, { alertId: alert._id, ownerId: alert.ownerId }, 500, (e) => !e.hiddenFromOwner && (!coverResolvedAt || e.at < coverResolvedAt));
  const timeline = await toTimelineEntries(deps, visible);
  if (coverResolvedAt) timeline.push({ at: coverResolvedAt.toISOString(), kind: 'resolved', tier: null, contactName: null, detail: 'checked_in' });
  return { alert: view, timeline };
}

/** Timeline events as the API shows them, each contact named (decrypted once per contact). */
export async function toTimelineEntries(deps: Pick<SafetyDeps, 'fieldCipher'>, events: OpenedEvent[]): Promise<TimelineEntry[]> {
  const names = new Map<string, string | null>();
  const entries: TimelineEntry[] = [];
  for (const event of events) {
    const id = event.contactId;
    if (id && !names.has(id)) names.set(id, await contactName(deps, id));
    entries.push({ at: event.at.toISOString(), kind: event.kind, tier: event.tier ?? null, contactName: id ? (names.get(id) ?? null) : null, detail: event.detail ?? null });
  }
  return entries;
}

async function contactName(deps: Pick<SafetyDeps, 'fieldCipher'>, contactId?: Types.ObjectId | string): Promise<string | null> {
  if (!contactId) return null;
  return alertedEntryName(deps, contactId);
}
