/**
 * The protocol's plain values and helpers, free of zod: what a page on the listener's path needs
 * at run time (import from `@rstream/protocol/light`). The schema modules re-export these, so
 * `@rstream/protocol` still offers everything in one place.
 */

/** Bumped when a WebSocket message changes shape incompatibly. */
export const PROTOCOL_VERSION = 1;

/** WebSocket close codes of the contract. */
export const CLOSE_CODES = {
  BAD_TOKEN: 4401,
  NOT_ALLOWED: 4403,
  NO_SUCH_SESSION: 4404,
  RATE_LIMITED: 4429,
  /** The session ended: the server closes listeners' sockets after `session:status` ended. */
  SESSION_ENDED: 4000,
  /** The participant erased themselves (`DELETE /api/sessions/:id/participants/me`): do not reconnect. */
  ERASED: 4410,
} as const;

/** Join codes: 6 characters from an alphabet without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B). */
export const JOIN_CODE_ALPHABET = 'ACDEFGHJKMNPQRTUVWXY34679';
export const JOIN_CODE_LENGTH = 6;

export const QUESTION_MAX_LENGTH = 500;

interface OrderedQuestion {
  approved: boolean;
  status: string;
  pinned: boolean;
  votes: number;
  createdAt: string;
}

/** What listeners may see of a question (the asker always sees their own). */
export const isVisibleToListeners = (q: Pick<OrderedQuestion, 'approved' | 'status'>) =>
  q.approved && q.status !== 'hidden';

/** Speaker-side order: pinned first, then by votes (ties: older first) or by time (newest first). */
export function compareQuestions(sort: 'votes' | 'time') {
  return <Q extends Pick<OrderedQuestion, 'pinned' | 'votes' | 'createdAt'>>(a: Q, b: Q): number => {
    if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
    if (sort === 'votes' && a.votes !== b.votes) return b.votes - a.votes;
    const ta = Date.parse(a.createdAt);
    const tb = Date.parse(b.createdAt);
    return sort === 'votes' ? ta - tb : tb - ta;
  };
}

/** With no facilitator (discussion mode) the graph is shared with everyone, whatever
 *  `graphVisibility` says. */
export function listenersSeeWholeGraph(settings: {
  graphVisibility: string;
  discussion?: { facilitator: string } | undefined;
}): boolean {
  return settings.graphVisibility === 'all' || settings.discussion?.facilitator === 'none';
}
export { formatBytes } from './format.js';

/** tus endpoint (tus 1.0.0; extensions creation, creation-defer-length, termination). */
export const UPLOADS_PATH = '/api/uploads';

// ---- Materials that are files (discussion mode) -----------------------------------------------

/** What may be uploaded as a material: documents, slides, spreadsheets, images, plain text. */
export const MATERIAL_MEDIA_TYPES = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/webp',
  'image/gif',
  'text/plain',
  'text/csv',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.oasis.opendocument.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
] as const;
export const MATERIAL_MAX_BYTES = 25 * 1024 * 1024;
export const MATERIALS_PER_SESSION_MAX = 20;
