import { isVisibleToListeners, type Question } from '@rstream/protocol';
import type { QuestionRow } from './questions-repo.js';

/** Who looks at a question: the speakers' side (host, presenters) or one listener. */
export type Viewer =
  { kind: 'speaker'; participantId: string | null } | { kind: 'listener'; participantId: string };

export interface ViewOptions {
  sessionAnonymous: boolean;
  audience: 'speaker' | 'listener';
  /** per-viewer fields; left out of broadcasts */
  mine?: boolean;
  votedByMe?: boolean;
}

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

export const rowVisibleToListeners = (row: Pick<QuestionRow, 'approved' | 'status'>) =>
  isVisibleToListeners(row);

/**
 * A question as one audience sees it. The asker's name is never shown when the session or the
 * asker is anonymous — not to the speaker either; the asker's id is never sent to anyone.
 * Listeners get no asker level, and a question they may not see has its text and name withheld.
 */
export function toQuestion(row: QuestionRow, opts: ViewOptions): Question {
  const anonymous = opts.sessionAnonymous || row.asker_anonymous !== false;
  const withheld = opts.audience === 'listener' && !opts.mine && !rowVisibleToListeners(row);
  const q: Question = {
    id: row.id,
    content: withheld ? '' : row.content,
    status: row.status,
    votes: row.votes,
    createdAt: iso(row.created_at)!,
    answeredAt: iso(row.answered_at),
    answer: withheld ? null : row.answer,
    approved: row.approved,
    pinned: row.pinned,
    t: row.t_ms,
    askerName: anonymous || withheld ? null : row.asker_display_name,
    rev: row.rev,
  };
  if (opts.audience === 'speaker') q.askerLevel = row.asker_level;
  if (opts.mine !== undefined) q.mine = opts.mine;
  if (opts.votedByMe !== undefined) q.votedByMe = opts.votedByMe;
  return q;
}

/** A listener sees approved, not hidden questions, and always their own. */
export function listenerMaySee(row: QuestionRow, participantId: string): boolean {
  return rowVisibleToListeners(row) || row.participant_id === participantId;
}

const CSV_FORMULA_START = /^[=+\-@\t\r]/;
function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  // Spreadsheets run cells that start like a formula; a leading quote keeps them text.
  if (CSV_FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const EXPORT_COLUMNS = [
  'id',
  't_ms',
  'created_at',
  'status',
  'approved',
  'pinned',
  'votes',
  'asker',
  'asker_level',
  'content',
  'answer',
  'answered_at',
] as const;

/** The host's export: every question, speaker's view (no names when anonymous). */
export function toCsv(questions: Question[]): string {
  const lines = [EXPORT_COLUMNS.join(',')];
  for (const q of questions) {
    lines.push(
      [
        q.id,
        q.t,
        q.createdAt,
        q.status,
        q.approved,
        q.pinned,
        q.votes,
        q.askerName,
        q.askerLevel,
        q.content,
        q.answer,
        q.answeredAt,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
