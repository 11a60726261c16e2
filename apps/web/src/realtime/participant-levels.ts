import type { Participant, UnderstandingUpdate } from '@rstream/protocol';

export type LevelMap = ReadonlyMap<string, number>;

/**
 * Applies `understanding:update.participants` to the speaker's per-participant level map.
 * `partial: true` is a delta (level null = no longer counted); otherwise the list replaces the
 * map. Returns the same map when nothing changed so React can skip the re-render.
 */
export function applyLevelUpdate(
  map: LevelMap,
  update: Pick<UnderstandingUpdate, 'participants' | 'partial'>,
): LevelMap {
  const entries = update.participants;
  if (!entries) return map;
  if (!update.partial) {
    const next = new Map<string, number>();
    for (const e of entries) if (e.level !== null) next.set(e.participantId, e.level);
    return sameLevels(map, next) ? map : next;
  }
  let next: Map<string, number> | null = null;
  for (const e of entries) {
    const current = (next ?? map).get(e.participantId);
    if (e.level === null ? current === undefined : current === e.level) continue;
    next ??= new Map(map);
    if (e.level === null) next.delete(e.participantId);
    else next.set(e.participantId, e.level);
  }
  return next ?? map;
}

/** The `participants` message carries each one's level too: take it as the baseline for them. */
export function applyParticipantList(map: LevelMap, participants: readonly Participant[]): LevelMap {
  return applyLevelUpdate(map, {
    partial: true,
    participants: participants.map((p) => ({ participantId: p.participantId, level: p.level })),
  });
}

function sameLevels(a: LevelMap, b: LevelMap): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

export function averageOf(map: LevelMap): number | null {
  if (map.size === 0) return null;
  let sum = 0;
  for (const v of map.values()) sum += v;
  return sum / map.size;
}
