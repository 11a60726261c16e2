import {
  DEFAULT_SESSION_SETTINGS,
  discussionSettingsSchema,
  sessionSettingsSchema,
  videoSettingsSchema,
  type CreateSessionBody,
  type Participant,
  type PublicSession,
  type Session,
  type SessionSettings,
  type SessionSettingsPatch,
} from '@rstream/protocol';
import type { ParticipantRow, SessionRow } from './sessions-repo.js';

/** The hub's view of a loaded session's participants: connected + current level. */
export type LiveParticipants = Map<string, { connected: boolean; level: number | null }> | undefined;

/** Rows → the contract's shapes, and the settings rules every reader of a session shares. */
export const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: string) => UUID_RE.test(v);

export function readSettings(raw: unknown): SessionSettings {
  const value = typeof raw === 'string' ? JSON.parse(raw) : raw;
  const parsed = sessionSettingsSchema.safeParse({ ...DEFAULT_SESSION_SETTINGS, ...(value as object) });
  return parsed.success ? parsed.data : DEFAULT_SESSION_SETTINGS;
}

export function mergeSettings(
  base: SessionSettings,
  patch: SessionSettingsPatch | undefined,
): SessionSettings {
  if (!patch) return base;
  return { ...base, ...patch, warning: { ...base.warning, ...patch.warning } };
}

/** Discussion (video) settings belong to discussion (video) sessions only, which always have them. */
export function withModeSettings(
  mode: CreateSessionBody['mode'],
  settings: SessionSettings,
): SessionSettings {
  const { discussion, video, ...rest } = settings;
  if (mode === 'discussion')
    return { ...rest, discussion: discussion ?? discussionSettingsSchema.parse({ facilitator: 'me' }) };
  if (mode === 'video') return { ...rest, video: video ?? videoSettingsSchema.parse({}) };
  return rest;
}

export function endsAtOf(row: Pick<SessionRow, 'started_at'>, settings: SessionSettings): string | null {
  if (!row.started_at || settings.plannedDurationMin === null) return null;
  return new Date(new Date(row.started_at).getTime() + settings.plannedDurationMin * 60_000).toISOString();
}

export function toSession(row: SessionRow, baseUrl: string): Session {
  const settings = readSettings(row.settings);
  return {
    id: row.id,
    code: row.code,
    title: row.title,
    mode: row.mode,
    status: row.status,
    settings,
    joinUrl: `${baseUrl}/j/${row.code}`,
    hostUrl: `${baseUrl}/host/${row.id}`,
    hostName: row.host_name,
    createdAt: iso(row.created_at) as string,
    startedAt: iso(row.started_at),
    endedAt: iso(row.ended_at),
    endsAt: endsAtOf(row, settings),
    participantCount: row.participant_count,
  };
}

export function toPublicSession(row: SessionRow): PublicSession {
  const s = toSession(row, '');
  return {
    id: s.id,
    code: s.code,
    title: s.title,
    mode: s.mode,
    status: s.status,
    hostName: s.hostName,
    startedAt: s.startedAt,
    endsAt: s.endsAt,
    settings: s.settings,
  };
}

/** How a participant appears to others: no name when they or the session are anonymous. */
export function toParticipant(
  row: ParticipantRow,
  anonymousSession: boolean,
  live?: { connected: boolean; level: number | null },
): Participant {
  return {
    participantId: row.id,
    displayName: anonymousSession || row.anonymous ? null : row.display_name,
    ordinal: row.ordinal,
    role: row.role,
    connected: live?.connected ?? false,
    level: live?.level ?? row.level ?? null,
  };
}
