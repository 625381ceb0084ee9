import type { Types } from 'mongoose';
import type { SafetyDeps } from '../safety/deps';
import { chosenTeamNetwork, formatLocalTime, teamNetworkTier, type ChosenTeamNetwork } from '../alerts/recipients';
import { TrustedContactModel } from '../contacts/contact.model';
import { MAX_RESPONDERS } from '../teams/manage-team-network';
import { TeamResponderModel, TeamSmsNameModel, type TeamResponder } from '../teams/team-network.model';
import { renderAlert, SAMPLE_REPLY_REF, type Language } from '../sms/catalogue';
import { countSegments } from '../sms/segments';
import type { AlertPreview, AlertReach } from '../safety/check-in.schemas';

type Deps = Pick<SafetyDeps, 'fieldCipher'>;
type ResponderDoc = TeamResponder & { _id: Types.ObjectId };

const distinctTiers = (tiers: number[]) => [...new Set(tiers)].sort((a, b) => a - b);

interface TeamNetworkPart {
  summary: NonNullable<AlertReach['teamNetwork']>;
  responders: ResponderDoc[];
  /** She coordinates the team, so she already sees its roster (names, phone hints) on the network screen. */
  coordinator: boolean;
}

/**
 * Her team network's part, by the rule the escalation uses (alerts/recipients.ts): counted only while she is a
 * member of the team and it is not being dissolved, at the tier she chose or right after her own last tier with an
 * opted-in contact. A team she left says only that it no longer counts: neither its SMS name nor its roster.
 */
async function teamNetworkPart(deps: Deps, ownerId: Types.ObjectId | string, ownTiers: number[], projection?: Record<string, 1>, known?: ChosenTeamNetwork | null): Promise<TeamNetworkPart | null> {
  const chosen = known !== undefined ? known : await chosenTeamNetwork(ownerId);
  if (!chosen) return null;
  if (!chosen.counted) return { summary: { status: 'not_a_member', smsName: null, tier: null, optedIn: 0, waitingForYes: 0 }, responders: [], coordinator: false };
  // Equality on the indexed teamId, bounded by the roster's own cap.
  const responders = await TeamResponderModel.find({ teamId: chosen.teamId }, projection).sort({ createdAt: 1 }).limit(MAX_RESPONDERS).lean<ResponderDoc[]>();
  const smsName = await TeamSmsNameModel.findOne({ _id: chosen.teamId }).lean();
  return {
    summary: {
      status: 'counted',
      smsName: smsName ? deps.fieldCipher.decrypt(smsName.encryptedSmsName) : null,
      tier: teamNetworkTier(chosen.atTier, ownTiers),
      optedIn: responders.filter((r) => r.state === 'opted_in').length,
      waitingForYes: responders.filter((r) => r.state === 'invited').length,
    },
    responders,
    coordinator: chosen.role === 'coordinator',
  };
}

/** The languages her team network's responders read while it counts: the alert's size is measured in each of them too. */
export async function teamNetworkLanguages(chosen: ChosenTeamNetwork | null): Promise<Language[]> {
  return chosen?.counted ? TeamResponderModel.distinct('language', { teamId: chosen.teamId }) : [];
}

/** Every tier the escalation would text, in order: her own opted-in tiers and the team network's when someone in it replied YES. */
function escalationTiers(ownTiers: number[], team: TeamNetworkPart | null): number[] {
  return distinctTiers(team && team.summary.optedIn > 0 && team.summary.tier !== null ? [...ownTiers, team.summary.tier] : ownTiers);
}

/**
 * Who an alert could reach right now, read from the contacts and the team network each time (never stored with
 * the check-in, where it would drift when someone opts in or out, or she leaves the team). Defends against false
 * reassurance both ways: a check-in that protects nobody must say so on the defender's screen, and one protected
 * only by her team's responders must not tell her that nobody will be alerted (she might give up on check-ins).
 * `chosen`: her team network choice when the caller already resolved it (chosenTeamNetwork).
 */
export async function alertReach(deps: Deps, ownerId: Types.ObjectId | string, chosen?: ChosenTeamNetwork | null): Promise<AlertReach> {
  const contacts = await TrustedContactModel.find({ ownerId }, { encryptedName: 1, state: 1, tier: 1 }).sort({ tier: 1, createdAt: 1 }).limit(200).lean();
  const optedIn = contacts.filter((c) => c.state === 'opted_in');
  const ownTiers = distinctTiers(optedIn.map((c) => c.tier));
  const team = await teamNetworkPart(deps, ownerId, ownTiers, { state: 1 }, chosen);
  return {
    optedIn: optedIn.length + (team?.summary.optedIn ?? 0),
    tiers: escalationTiers(ownTiers, team),
    waitingForYes: contacts.filter((c) => c.state === 'invited').map((c) => deps.fieldCipher.decrypt(c.encryptedName)),
    teamNetwork: team?.summary ?? null,
  };
}

/**
 * Exactly what each contact and each team responder would receive if this check-in were missed at `dueAt`, in the
 * order the escalation texts them (tier by tier, as advance-escalations does), rendered with the same catalogue
 * and counted with the same segment counter the outbox uses.
 */
export async function previewAlertFor(
  deps: Deps,
  ownerId: Types.ObjectId,
  input: { name: string; message: string; place?: string; dueAt: Date; timeZone: string },
): Promise<AlertPreview> {
  const contacts = await TrustedContactModel.find({ ownerId }).sort({ tier: 1, createdAt: 1 }).limit(200).lean();
  const ownTiers = distinctTiers(contacts.filter((c) => c.state === 'opted_in').map((c) => c.tier));
  const team = await teamNetworkPart(deps, ownerId, ownTiers);
  const tiers = escalationTiers(ownTiers, team);
  const time = formatLocalTime(input.dueAt, input.timeZone);
  const render = (language: (typeof contacts)[number]['language'], ref: string | undefined) => {
    const text = renderAlert({ language, duress: false, name: input.name, time, message: input.message, place: input.place, ref: ref ?? SAMPLE_REPLY_REF });
    const count = countSegments(text);
    return { text, segments: count.segments, encoding: count.encoding };
  };
  const recipients = contacts.map((contact) => ({
    contactId: String(contact._id),
    name: deps.fieldCipher.decrypt(contact.encryptedName),
    tier: contact.tier,
    // 1 for the first tier that has an opted-in contact; null for whoever will not be texted.
    order: contact.state === 'opted_in' ? tiers.indexOf(contact.tier) + 1 : null,
    state: contact.state,
    language: contact.language,
    ...render(contact.language, contact.replyRef),
  }));
  const teamOrder = team && team.summary.optedIn > 0 && team.summary.tier !== null ? tiers.indexOf(team.summary.tier) + 1 : null;
  const teamNetwork = team
    ? {
        ...team.summary,
        order: teamOrder,
        // Threat: a hostile member (or whoever holds her unlocked session) mapping the team's lawyer and allies to
        // target them. The roster's names and phone hints are the coordinators' alone: GET /v1/teams/:id/network
        // answers a plain member 404. Her alert's timeline names the responders it reached, but only after a real
        // alert texted them, which they and the coordinators see; a preview is free, silent and repeatable, so it
        // must not be the side door. She is shown what she needs to trust her reach (how many, their role, whether
        // they agreed, what they would read) and nothing that identifies them; her preview carries a sample reply
        // code, not the responder's own. Her team's coordinators see the names, as on their own screen.
        responders: team.responders.map((r) => ({
          role: deps.fieldCipher.decrypt(r.encryptedRole),
          ...(team.coordinator ? { name: deps.fieldCipher.decrypt(r.encryptedName) } : {}),
          order: r.state === 'opted_in' ? teamOrder : null,
          state: r.state,
          language: r.language,
          ...render(r.language, team.coordinator ? r.replyRef : undefined),
        })),
      }
    : null;
  return { dueAt: input.dueAt.toISOString(), nobodyWillBeAlerted: tiers.length === 0, recipients, teamNetwork };
}
