import type { VerifiedLogEntry } from '../../../client';
import type { I18n } from '../../i18n/i18n';

/**
 * One verified team-log entry worded in the reader's language from its data (the client library's `summary` is
 * the CLI's English). Handles are shown as the signed log has them, never translated.
 */
export function teamLogLine(t: I18n['t'], entry: Pick<VerifiedLogEntry, 'author' | 'event'>): string {
  const { author, event } = entry;
  switch (event.kind) {
    case 'create': return t('log.entry.create', { handle: event.handle });
    case 'invite': return t('log.entry.invite', { author, handle: event.handle });
    case 'add': return t('log.entry.add', { author, handle: event.handle, generation: event.generation });
    case 'remove':
      return event.newGeneration !== undefined
        ? t('log.entry.removeRotated', { author, handle: event.handle, generation: event.newGeneration })
        : t('log.entry.removeWithdrawn', { author, handle: event.handle });
    case 'role': return t('log.entry.role', { author, handle: event.handle, role: t(event.role === 'coordinator' ? 'members.coordinator' : 'members.member') });
    case 'leave': return t('log.entry.leave', { author });
    case 'rotate': return t('log.entry.rotate', { author, generation: event.generation });
  }
}
