import { Types } from 'mongoose';
import { TrustedContactModel } from '../contacts/contact.model';
import type { AuthenticatedAccount } from '../http/route';
import { errors } from '../shared/errors';
import { AlertModel, type Alert } from './alert.model';
import type { AlertView, TimelineEntry } from './alert.schemas';
import type { SafetyDeps } from './deps';
import { openDuress } from './alert-secrets';
import { readAlertEvents, type OpenedEvent } from './timeline';

type AlertDoc = Alert & { _id: Types.ObjectId };

/**
 * What the defender's own session may see. A duress alert is invisible to it (the phone may be in
 * someone else's hands); an alert a duress PIN took over shows as resolved at that moment, exactly
 * as a real late check-in would have left it.
 */
function asSeenByOwner(deps: Pick<SafetyDeps, 'fieldCipher'>, alert: AlertDoc): AlertView | null {
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
  };
}

export async function listAlerts(deps: Pick<SafetyDeps, 'fieldCipher'>, who: AuthenticatedAccount): Promise<AlertView[]> {
  const alerts = await AlertModel.find({ ownerId: who.accountId }).sort({ createdAt: -1 }).limit(50).lean<AlertDoc[]>();
  const views: AlertView[] = [];
  for (const alert of alerts) {
    const view = asSeenByOwner(deps, alert);
    if (!view) continue;
    view.acknowledgedBy = view.acknowledgedAt ? await contactName(deps, alert.acknowledgedByContactId) : null;
    views.push(view);
  }
  return views;
}

export async function getAlertTimeline(deps: Pick<SafetyDeps, 'fieldCipher'>, who: AuthenticatedAccount, alertId: string): Promise<{ alert: AlertView; timeline: TimelineEntry[] }> {
  const alert = await AlertModel.findOne({ _id: alertId, ownerId: who.accountId }).lean<AlertDoc>();
  const view = alert ? asSeenByOwner(deps, alert) : null;
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
  const contact = await TrustedContactModel.findOne({ _id: contactId }, { encryptedName: 1 }).lean();
  return contact ? deps.fieldCipher.decrypt(contact.encryptedName) : null;
}
