import type { KeyMoment } from '@rstream/protocol';
import { stringify } from 'csv-stringify/sync';
import type { StoredSecond } from '../../../platform/db-schema.js';

/** The stored per-second series, one row per stored second (docs/api.md: t_ms, avg, n, c1..c5). */
export function secondsCsv(rows: StoredSecond[]): string {
  return stringify(
    rows.map((r) => [
      r.t_sec * 1000,
      r.avg === null ? '' : Math.round(r.avg * 1000) / 1000,
      r.n,
      r.c1,
      r.c2,
      r.c3,
      r.c4,
      r.c5,
    ]),
    { header: true, columns: ['t_ms', 'avg', 'n', 'c1', 'c2', 'c3', 'c4', 'c5'] },
  );
}

/** The key moments, one row each, with the note in the language asked for. */
export function momentsCsv(moments: KeyMoment[]): string {
  return stringify(
    moments.map((m) => [
      m.id,
      m.kind,
      m.startT,
      m.endT,
      m.fromAvg ?? '',
      m.toAvg ?? '',
      m.n,
      m.nBefore,
      m.participation ? 'true' : 'false',
      m.recoveryMs ?? '',
      m.questionIds.join(' '),
      m.note,
    ]),
    {
      header: true,
      columns: [
        'id',
        'kind',
        'start_ms',
        'end_ms',
        'from_avg',
        'to_avg',
        'n',
        'n_before',
        'participation',
        'recovery_ms',
        'question_ids',
        'note',
      ],
    },
  );
}
