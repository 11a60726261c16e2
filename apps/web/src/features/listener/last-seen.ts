import type { Participant, PublicSession } from '@rstream/protocol';

/**
 * The listener's last /me answer per session, kept on the phone: the listener page renders from
 * it at once (level buttons usable before the network answers, and with no network at all after
 * one visit), then the fresh answer replaces it.
 */
export interface LastSeen {
  session: PublicSession;
  participant: Participant;
  savedAt: number;
}

const key = (sessionId: string) => `rstream.lastSeen.${sessionId}`;
/** Older than this, the copy is not trusted to say whether the session is still live. */
const MAX_AGE_MS = 12 * 60 * 60 * 1000;

export function loadLastSeen(sessionId: string, nowMs = Date.now()): LastSeen | null {
  try {
    const raw = localStorage.getItem(key(sessionId));
    if (!raw) return null;
    const v = JSON.parse(raw) as Partial<LastSeen>;
    if (!v.session || !v.participant || typeof v.savedAt !== 'number') return null;
    if (v.session.id !== sessionId || nowMs - v.savedAt > MAX_AGE_MS) return null;
    return v as LastSeen;
  } catch {
    return null;
  }
}

export function saveLastSeen(sessionId: string, session: PublicSession, participant: Participant): void {
  try {
    localStorage.setItem(key(sessionId), JSON.stringify({ session, participant, savedAt: Date.now() }));
  } catch {}
}

export function clearLastSeen(sessionId: string): void {
  try {
    localStorage.removeItem(key(sessionId));
  } catch {}
}
