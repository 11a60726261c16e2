/** What a listener keeps in the browser: the display name, and one token per joined session. */

export const DISPLAY_NAME_KEY = 'rstream.displayName';
const participantKey = (sessionId: string) => `rstream.participant.${sessionId}`;

export interface StoredParticipant {
  participantToken: string;
  participantId: string;
  displayName: string;
  anonymous: boolean;
  /** The join code, to send the listener back to the join page when the token stops working. */
  code?: string;
}

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {}
}

export function loadParticipant(sessionId: string): StoredParticipant | null {
  const raw = read(participantKey(sessionId));
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Partial<StoredParticipant>;
    if (typeof v.participantToken !== 'string' || typeof v.participantId !== 'string') return null;
    return {
      participantToken: v.participantToken,
      participantId: v.participantId,
      displayName: typeof v.displayName === 'string' ? v.displayName : '',
      anonymous: v.anonymous === true,
      code: typeof v.code === 'string' ? v.code : undefined,
    };
  } catch {
    return null;
  }
}

export function saveParticipant(sessionId: string, p: StoredParticipant): void {
  write(participantKey(sessionId), JSON.stringify(p));
}

export function clearParticipant(sessionId: string): void {
  write(participantKey(sessionId), null);
}

export function loadDisplayName(): string {
  return read(DISPLAY_NAME_KEY) ?? '';
}

export function saveDisplayName(name: string): void {
  write(DISPLAY_NAME_KEY, name);
}
