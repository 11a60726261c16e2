import type { ColumnType, Generated } from 'kysely';
import type { BigIntColumn, NullableTimestamp, Timestamp, WithDefault } from './db-columns.js';
import type { OpsTables } from './db-schema-ops.js';

/** Table types for Kysely (one block per feature). Timestamps are written as Date and read back as Date. */
export interface UsersTable {
  id: string;
  email: string;
  username: string;
  password_hash: string;
  role: WithDefault<'admin' | 'speaker'>;
  disabled_at: NullableTimestamp;
  created_at: WithDefault<Date>;
  updated_at: WithDefault<Date>;
  /** access tokens issued before this are refused (password change, disable, role change) */
  tokens_not_before: NullableTimestamp;
}

export interface RefreshTokensTable {
  id: string;
  user_id: string;
  family_id: string;
  token_hash: string;
  expires_at: Timestamp;
  created_at: Timestamp;
  revoked_at: NullableTimestamp;
  replaced_by: string | null;
}

export interface SessionsTable {
  id: string;
  code: string;
  host_id: string;
  title: string;
  mode: 'presentation' | 'video' | 'discussion';
  status: WithDefault<'scheduled' | 'live' | 'ended'>;
  settings: ColumnType<unknown, string, string>;
  created_at: Timestamp;
  started_at: NullableTimestamp;
  ended_at: NullableTimestamp;
  participant_seq: Generated<number>;
}

export interface ParticipantsTable {
  id: string;
  session_id: string;
  token_hash: string;
  display_name: string;
  anonymous: WithDefault<boolean>;
  role: WithDefault<'listener' | 'presenter'>;
  ordinal: number;
  level: WithDefault<number | null>;
  joined_at: Timestamp;
  last_seen_at: NullableTimestamp;
}

export interface SignalsTable {
  id: Generated<BigIntColumn>;
  session_id: string;
  participant_id: string;
  t_ms: BigIntColumn;
  level: number;
  /** video sessions: the video position when given, and whether it was playing (014) */
  video_ms?: ColumnType<number | string | null, number | null | undefined, number | null>;
  video_playing?: ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
}

// ---- the live path under faults (issue 11, migration 006) ----
export interface SpillReplaysTable {
  id: string;
  rows: number;
  replayed_at: Generated<Date>;
}
export interface UnderstandingSecondPartialsTable {
  session_id: string;
  t_sec: number;
  instance_id: string;
  c1: number;
  c2: number;
  c3: number;
  c4: number;
  c5: number;
}

export interface UnderstandingSecondsTable {
  session_id: string;
  t_sec: number;
  avg: number | null;
  n: number;
  c1: number;
  c2: number;
  c3: number;
  c4: number;
  c5: number;
  /** sum of instances' partials (lease undecided); the lease holder's merged row replaces it (006) */
  partial: Generated<boolean>;
}
/** One stored second as its readers take it (history, turns, the video timeline, the CSV export). */
export type StoredSecond = Pick<
  UnderstandingSecondsTable,
  't_sec' | 'avg' | 'n' | 'c1' | 'c2' | 'c3' | 'c4' | 'c5'
>;

export interface QuestionsTable {
  id: string;
  session_id: string;
  participant_id: string | null;
  content: string;
  status: WithDefault<'open' | 'answered' | 'hidden'>;
  approved: WithDefault<boolean>;
  pinned: WithDefault<boolean>;
  votes: WithDefault<number>;
  answer: WithDefault<string | null>;
  answered_at: NullableTimestamp;
  t_ms: ColumnType<number | string | null, number | null | undefined, number | null>;
  asker_level: WithDefault<number | null>;
  rev: WithDefault<number>;
  created_at: WithDefault<Date>;
}

export interface QuestionVotesTable {
  question_id: string;
  participant_id: string;
  created_at: WithDefault<Date>;
}

/** The security trail (migration 004): append-only, no foreign keys. */
export interface AuditEventsTable {
  id: ColumnType<number | string, never, never>; // bigserial, filled by the database
  at: WithDefault<Date>;
  type: string;
  outcome: 'success' | 'failure' | 'denied';
  actor_user_id: string | null;
  actor_participant_id: string | null;
  actor_label: string | null;
  target_type: string | null;
  target_id: string | null;
  session_id: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  details: ColumnType<unknown, string | undefined, never>;
}

export interface InvitationsTable {
  id: string;
  session_id: string;
  token_hash: string;
  role: 'presenter' | 'facilitator';
  email: string | null;
  created_by: string;
  created_at: WithDefault<Date>;
  expires_at: Timestamp;
  accepted_at: NullableTimestamp;
  participant_id: string | null;
  revoked_at: NullableTimestamp;
}

/** Session reports (migration 008, features/reports). */
export interface ReportsTable {
  session_id: string;
  status: 'pending' | 'ready' | 'failed';
  attempts: WithDefault<number>;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  claimed_by: string | null;
  claimed_until: NullableTimestamp;
  error: string | null;
  algorithm_version: string | null;
  params: ColumnType<unknown, string | null, string | null>;
  result: ColumnType<unknown, string | null, string | null>;
  generated_at: NullableTimestamp;
  created_at: WithDefault<Date>;
  updated_at: WithDefault<Date>;
}

// ---- discussion turns (migration 012) ----
export interface TurnsTable {
  id: string;
  session_id: string;
  speaker: string;
  participant_id: string | null;
  start_ms: BigIntColumn;
  end_ms: BigIntColumn | null;
  created_at: Timestamp;
}
// ---- discussion materials (migration 015) ----
export interface MaterialsTable {
  id: string;
  session_id: string;
  title: string;
  file_name: string;
  media_type: string;
  size_bytes: BigIntColumn;
  status: 'uploading' | 'ready';
  upload_id: string | null;
  storage_key: string | null;
  created_at: Timestamp;
}
// ---- end discussion turns ----
// ---- recordings and archive (migration 009) ----
export interface RecordingsTable {
  id: string;
  session_id: string;
  status: WithDefault<'recording' | 'processing' | 'ready' | 'failed'>;
  media_type: 'video/mp4' | 'video/webm';
  mime_type: string | null;
  started_at: Timestamp;
  ended_at: NullableTimestamp;
  offset_ms: BigIntColumn;
  duration_ms: ColumnType<number | string | null, number | null | undefined, number | null>;
  size_bytes: ColumnType<number | string, number | undefined, number>;
  declared_bytes: ColumnType<number | string | null, number | null | undefined, number | null>;
  interrupted: WithDefault<boolean>;
  pauses: ColumnType<unknown, string | undefined, string>;
  upload_id: string | null;
  upload_complete: WithDefault<boolean>;
  last_byte_at: NullableTimestamp;
  processing_started_at: NullableTimestamp;
  storage_key: string | null;
  thumbs_key: string | null;
  thumb_interval_ms: number | null;
  thumb_count: number | null;
  failure_reason: string | null;
  created_by_user_id: string | null;
  created_by_participant_id: string | null;
  created_at: WithDefault<Date>;
  updated_at: WithDefault<Date>;
}
export interface ArchiveKeepsTable {
  session_id: string;
  kept_by: string | null;
  kept_at: WithDefault<Date>;
}
// ---- end recordings and archive ----
// ---- video-watching mode (migration 014) ----
export interface VideosTable {
  id: string;
  owner_id: string;
  title: string;
  source: 'url' | 'upload';
  url: string | null;
  status: 'uploading' | 'processing' | 'ready' | 'failed';
  media_type: string | null;
  duration_ms: ColumnType<number | string | null, number | null | undefined, number | null>;
  size_bytes: ColumnType<number | string | null, number | null | undefined, number | null>;
  declared_bytes: ColumnType<number | string | null, number | null | undefined, number | null>;
  upload_id: string | null;
  storage_key: string | null;
  failure_reason: string | null;
  created_at: WithDefault<Date>;
  updated_at: WithDefault<Date>;
}
export interface VideoStatesTable {
  session_id: string;
  video_id: string | null;
  playing: boolean;
  position_ms: BigIntColumn;
  rate: number;
  server_time: BigIntColumn;
  seq: number;
}
export interface VideoEventsTable {
  session_id: string;
  seq: number;
  at: BigIntColumn;
  playing: boolean;
  position_ms: BigIntColumn;
  rate: number;
}
// ---- end video-watching mode ----

/** Every table: the product's below, the operators' in db-schema-ops.ts. */
export interface Database extends OpsTables {
  users: UsersTable;
  refresh_tokens: RefreshTokensTable;
  sessions: SessionsTable;
  participants: ParticipantsTable;
  signals: SignalsTable;
  understanding_seconds: UnderstandingSecondsTable;
  spill_replays: SpillReplaysTable;
  understanding_second_partials: UnderstandingSecondPartialsTable;
  audit_events: AuditEventsTable;
  invitations: InvitationsTable;
  questions: QuestionsTable;
  question_votes: QuestionVotesTable;
  reports: ReportsTable;
  turns: TurnsTable;
  materials: MaterialsTable;
  recordings: RecordingsTable;
  archive_keeps: ArchiveKeepsTable;
  videos: VideosTable;
  video_states: VideoStatesTable;
  video_events: VideoEventsTable;
}

export function toNumber(v: number | string | bigint | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : Number(v);
}
