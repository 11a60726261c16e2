import type { Participant } from '@rstream/protocol';

export interface SpeakerChoice {
  /** what `turn:start` sends: a participantId, or the name */
  value: string;
  label: string;
  participantId: string | null;
}

/**
 * The speakers to offer, in a stable order: names listed in advance first (bound to the
 * participant of that name once they join), then the other participants as they join, then
 * names added during the discussion. Presenters (the facilitator) are not speakers.
 */
export function speakerChoices(
  listed: readonly string[],
  participants: readonly Participant[],
  added: readonly string[],
): SpeakerChoice[] {
  const out: SpeakerChoice[] = [];
  const used = new Set<string>();
  const people = participants.filter((p) => p.role === 'listener');
  const label = (p: Participant) => p.displayName ?? `#${p.ordinal}`;
  const push = (name: string) => {
    const lower = name.trim().toLowerCase();
    if (out.some((c) => c.label.toLowerCase() === lower)) return;
    const p = people.find((x) => !used.has(x.participantId) && x.displayName?.trim().toLowerCase() === lower);
    if (p) used.add(p.participantId);
    out.push(
      p
        ? { value: p.participantId, label: label(p), participantId: p.participantId }
        : { value: name, label: name, participantId: null },
    );
  };
  for (const name of listed) push(name);
  for (const p of people) {
    if (used.has(p.participantId)) continue;
    used.add(p.participantId);
    out.push({ value: p.participantId, label: label(p), participantId: p.participantId });
  }
  for (const name of added) push(name);
  return out;
}
