// Type-only imports: the reply shapes are inferred from the server's schemas, so client and server cannot drift.
import type { AlertView, TimelineEntry } from '../alerts/alert.schemas';
import type { AlertPreview, CheckedInReply, CheckInView, ExtendedReply, ProfileView } from '../checkins/check-in.schemas';
import type { ApiClient } from './http';

export type Language = 'en' | 'es' | 'pt' | 'fr';

export interface CheckInProfileInput {
  displayName: string;
  timeZone: string;
  language: Language;
  phone?: string | null;
  pin?: string;
  duressPin?: string;
  currentPin?: string;
}

export type CheckInProfile = ProfileView;

export type ScheduleInput =
  | { kind: 'once'; dueAt: string }
  | { kind: 'interval'; everyHours: number; startAt?: string }
  | { kind: 'daily'; times: string[] };

export interface ScheduleCheckInInput {
  schedule: ScheduleInput;
  graceMinutes: number;
  alertMessage: string;
  place?: string;
  timeZone?: string;
}

export type CheckIn = CheckInView;

export type { AlertPreview };

export type CheckedIn = CheckedInReply;

export type AlertSummary = AlertView;

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
  schedule(input: ScheduleCheckInInput): Promise<{ checkIn: CheckIn; alertSize: { segments: number; encoding: 'GSM-7' | 'UCS-2'; warning: string | null } }> {
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
}
