import type { Participant } from '@rstream/protocol';
import type { Translate } from '../app/i18n';

/** The name to show: the display name, or "Listener #7" when it is hidden (anonymous). */
export function participantLabel(p: Pick<Participant, 'displayName' | 'ordinal'>, t: Translate): string {
  return p.displayName ?? t('listener.anonymousName', { n: p.ordinal });
}
