// Type-only imports: the reply shapes are inferred from the server's schemas, so client and server cannot drift.
import type { AlertView, CoordinatorAlertView, TimelineEntry } from '../safety/alert.schemas';
import type { AlertPreview, CheckedInReply, CheckInView, ExtendedReply, ProfileBody, ProfileView, ScheduleCheckInBody, ScheduledReply } from '../safety/check-in.schemas';
import type { ApiClient } from './http';

import type { Language } from '../sms/catalogue';

// The SMS languages the server accepts, from its own list (the web app offers only those it has a screen catalogue for).
export type { Language };

// What the client sends is what the server's schemas accept (their z.input), so the two cannot drift.
export type CheckInProfileInput = ProfileBody;

export type CheckInProfile = ProfileView;

export type ScheduleCheckInInput = ScheduleCheckInBody;
export type ScheduleInput = ScheduleCheckInBody['schedule'];

export type CheckIn = CheckInView;

export type { AlertPreview };

export type CheckedIn = CheckedInReply;

export type AlertSummary = AlertView;

/** What a team's coordinators see of another member's alert: whose it is, and whether it is a duress alert. */
export type TeamAlertSummary = CoordinatorAlertView;

export type { TimelineEntry };

/** Check-ins and alerts for a signed-in account. The server never tells a duress check-in apart in its replies. */
export class CheckInsApi {
  constructor(private readonly api: ApiClient) {}

  setProfile(input: CheckInProfileInput): Promise<CheckInProfile> {
    return this.api.put('/v1/check-in-profile', input);
  }
  getProfile(): Promise<CheckInProfile> {
    return this.api.get('/v1/check-in-profile');
  }
  /** Texts a new code to the profile's phone; SMS check-in stays off until `verifyPhone` succeeds. */
  requestPhoneCode(): Promise<CheckInProfile> {
    return this.api.post('/v1/check-in-profile/phone/code', {});
  }
  /** The 6-digit code texted to the phone. A number another profile verified is refused with `phone_taken` (409). */
  verifyPhone(code: string): Promise<CheckInProfile> {
    return this.api.post('/v1/check-in-profile/phone/verification', { code });
  }
  schedule(input: ScheduleCheckInInput): Promise<ScheduledReply> {
    return this.api.post('/v1/check-ins', input);
  }
  /** Who would be texted, in which order, and the exact text each would get; nothing is saved. */
  preview(input: ScheduleCheckInInput): Promise<AlertPreview> {
    return this.api.post('/v1/check-ins/preview', input);
  }
  async list(): Promise<CheckIn[]> {
    return (await this.api.get<{ checkIns: CheckIn[] }>('/v1/check-ins')).checkIns;
  }
  get(checkInId: string): Promise<CheckIn> {
    return this.api.get(`/v1/check-ins/${encodeURIComponent(checkInId)}`);
  }
  checkIn(checkInId: string, pin: string): Promise<CheckedIn> {
    return this.api.post(`/v1/check-ins/${encodeURIComponent(checkInId)}/check-in`, { pin });
  }
  /** "I need more time": the same reply for the PIN and the duress PIN. */
  extend(checkInId: string, pin: string, minutes: number): Promise<ExtendedReply> {
    return this.api.post(`/v1/check-ins/${encodeURIComponent(checkInId)}/extend`, { pin, minutes });
  }
  cancel(checkInId: string, pin: string): Promise<CheckedIn> {
    return this.api.post(`/v1/check-ins/${encodeURIComponent(checkInId)}/cancel`, { pin });
  }
  async alerts(): Promise<AlertSummary[]> {
    return (await this.api.get<{ alerts: AlertSummary[] }>('/v1/alerts')).alerts;
  }
  timeline(alertId: string): Promise<{ alert: AlertSummary; timeline: TimelineEntry[] }> {
    return this.api.get(`/v1/alerts/${encodeURIComponent(alertId)}/timeline`);
  }
  /** Coordinators only; anyone else gets 404, as for a team that does not exist. */
  async teamAlerts(teamId: string): Promise<TeamAlertSummary[]> {
    return (await this.api.get<{ alerts: TeamAlertSummary[] }>(`/v1/teams/${encodeURIComponent(teamId)}/alerts`)).alerts;
  }
  teamAlertTimeline(teamId: string, alertId: string): Promise<{ alert: TeamAlertSummary; timeline: TimelineEntry[] }> {
    return this.api.get(`/v1/teams/${encodeURIComponent(teamId)}/alerts/${encodeURIComponent(alertId)}/timeline`);
  }
}
