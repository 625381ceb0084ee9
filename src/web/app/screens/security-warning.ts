import { KeyChangedError, TeamLogVerificationError, TrustStoreTamperedError } from '../../../client';
import type { MessageKey } from '../../i18n/i18n';

/** A warning the person must see: a possible attack (changed keys, a log that does not verify), never swallowed. */
export interface SecurityWarning {
  key: MessageKey;
  params: Record<string, string>;
}

export function securityWarningOf(error: unknown, teamId?: string): SecurityWarning | null {
  if (error instanceof KeyChangedError) return { key: 'teams.keyChanged', params: { handle: error.handle } };
  if (error instanceof TeamLogVerificationError) return { key: 'teams.logTampered', params: { team: teamId ?? error.teamId } };
  if (error instanceof TrustStoreTamperedError) return { key: 'teams.trustStoreTampered', params: {} };
  return null;
}
