import type { Language } from './checkins';
import type { ApiClient } from './http';

export interface TeamResponder {
  id: string;
  name: string;
  role: string;
  phoneHint: string;
  language: Language;
  state: 'invited' | 'opted_in' | 'opted_out';
  stateChangedAt: string;
  createdAt: string;
}

export interface TeamNetwork {
  smsName: string | null;
  responders: TeamResponder[];
}

/** A member's choice: after her own tiers (atTier null) or at a tier, her team's urgent-action network is alerted. */
export interface TeamNetworkChoice {
  teamId: string;
  atTier: number | null;
}

/**
 * A team's urgent-action network, kept by its coordinators (everyone else gets 404 for the team), and a member's
 * choice to have it alerted. Responders are texted an invitation naming the team's SMS name and must reply YES.
 */
export class TeamNetworkApi {
  constructor(private readonly api: ApiClient) {}

  private base(teamId: string): string {
    return `/v1/teams/${encodeURIComponent(teamId)}/network`;
  }
  get(teamId: string): Promise<TeamNetwork> {
    return this.api.get(this.base(teamId));
  }
  setSmsName(teamId: string, smsName: string): Promise<{ smsName: string }> {
    return this.api.put(`${this.base(teamId)}/sms-name`, { smsName });
  }
  add(teamId: string, input: { name: string; phone: string; language: Language; role: string }): Promise<TeamResponder> {
    return this.api.post(`${this.base(teamId)}/responders`, input);
  }
  reinvite(teamId: string, responderId: string): Promise<TeamResponder> {
    return this.api.post(`${this.base(teamId)}/responders/${encodeURIComponent(responderId)}/invitation`);
  }
  remove(teamId: string, responderId: string): Promise<void> {
    return this.api.delete(`${this.base(teamId)}/responders/${encodeURIComponent(responderId)}`);
  }
  async myChoice(): Promise<TeamNetworkChoice | null> {
    return (await this.api.get<{ teamNetwork: TeamNetworkChoice | null }>('/v1/check-in-profile/team-network')).teamNetwork;
  }
  async choose(choice: TeamNetworkChoice | null): Promise<TeamNetworkChoice | null> {
    return (await this.api.put<{ teamNetwork: TeamNetworkChoice | null }>('/v1/check-in-profile/team-network', { teamNetwork: choice })).teamNetwork;
  }
}
