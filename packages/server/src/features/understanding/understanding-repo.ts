import { sql, type Insertable, type Kysely } from 'kysely';
import type {
  Database,
  SignalsTable,
  UnderstandingSecondPartialsTable,
  UnderstandingSecondsTable,
} from '../../platform/db-schema.js';
import { toNumber } from '../../platform/db-schema.js';

export type SignalInsert = Insertable<SignalsTable>;
export type SecondInsert = Insertable<UnderstandingSecondsTable>;
export type SecondPartialInsert = Insertable<UnderstandingSecondPartialsTable>;

/** One write of the live path: everything in one transaction. */
export interface LiveBatch {
  signals: SignalInsert[];
  seconds: SecondInsert[];
  levels: [string, number][];
  /** this instance's own counts for seconds nobody could be sure to write (lease undecided) */
  partials?: SecondPartialInsert[];
  /** a spill file's id: the batch is stored at most once under it (false: it already was) */
  spillId?: string;
}

const CHUNK = 2000;
function* chunks<T>(rows: T[]): Generator<T[]> {
  for (let i = 0; i < rows.length; i += CHUNK) yield rows.slice(i, i + CHUNK);
}

/**
 * Upserts each instance's partial counts for a second, then sets the second's row to the sum of
 * every instance's partial: idempotent (a retry or a replay writes the same) and commutative
 * (instances writing in any order converge). A per-session advisory lock orders the sums.
 */
async function writePartials(trx: Kysely<Database>, partials: SecondPartialInsert[]): Promise<void> {
  const sessions = [...new Set(partials.map((p) => p.session_id))].sort();
  for (const id of sessions) await sql`select pg_advisory_xact_lock(hashtext(${id}))`.execute(trx);
  for (const part of chunks(partials)) {
    await trx
      .insertInto('understanding_second_partials')
      .values(part)
      .onConflict((oc) =>
        oc.columns(['session_id', 't_sec', 'instance_id']).doUpdateSet((eb) => ({
          c1: eb.ref('excluded.c1'),
          c2: eb.ref('excluded.c2'),
          c3: eb.ref('excluded.c3'),
          c4: eb.ref('excluded.c4'),
          c5: eb.ref('excluded.c5'),
        })),
      )
      .execute();
    const keys = sql.join(part.map((p) => sql`(${p.session_id}::uuid, ${p.t_sec}::integer)`));
    await sql`
      insert into understanding_seconds (session_id, t_sec, avg, n, c1, c2, c3, c4, c5, partial)
      select session_id, t_sec,
        case when sum(c1 + c2 + c3 + c4 + c5) = 0 then null
          else round((sum(c1 + 2 * c2 + 3 * c3 + 4 * c4 + 5 * c5)::numeric / sum(c1 + c2 + c3 + c4 + c5)), 3)::real end,
        sum(c1 + c2 + c3 + c4 + c5), sum(c1), sum(c2), sum(c3), sum(c4), sum(c5), true
      from understanding_second_partials
      where (session_id, t_sec) in (values ${keys})
      group by session_id, t_sec
      on conflict (session_id, t_sec) do update set avg = excluded.avg, n = excluded.n,
        c1 = excluded.c1, c2 = excluded.c2, c3 = excluded.c3, c4 = excluded.c4, c5 = excluded.c5
      where understanding_seconds.partial`.execute(trx);
  }
}

export function createUnderstandingRepo(db: Kysely<Database>) {
  return {
    /** One transaction per tick's batch: signals, per-second aggregates and listeners' last levels. */
    /** Writes a batch; false when it carried a spill id that was stored already. */
    async writeBatch({ signals, seconds, levels, partials = [], spillId }: LiveBatch): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        if (spillId) {
          const rows = signals.length + seconds.length + levels.length + partials.length;
          const marked = await trx
            .insertInto('spill_replays')
            .values({ id: spillId, rows })
            .onConflict((oc) => oc.column('id').doNothing())
            .returning('id')
            .executeTakeFirst();
          if (!marked) return false;
        }
        // only for participants still there: a listener who erased themselves may have had a
        // signal in flight on another instance (their row and signals are gone; it is dropped)
        for (const part of chunks(signals)) {
          const values = sql.join(
            part.map(
              (s, i) =>
                sql`(${i}::int, ${s.session_id}::uuid, ${s.participant_id}::uuid, ${String(s.t_ms)}::bigint, ${s.level}::smallint, ${s.video_ms ?? null}::bigint, ${s.video_playing ?? null}::boolean)`,
            ),
          );
          // video sessions: the video position the server stamped (null in the other modes).
          // `order by v.i`: ids follow arrival — the semi-join may hash the rows out of order, and a
          // listener's signals in one millisecond are told apart by id alone.
          await sql`insert into signals (session_id, participant_id, t_ms, level, video_ms, video_playing)
            select v.s, v.p, v.t, v.l, v.vm, v.vp from (values ${values}) as v(i, s, p, t, l, vm, vp)
            where exists (select 1 from participants where participants.id = v.p)
            order by v.i`.execute(trx);
        }
        for (const part of chunks(seconds)) {
          await trx
            .insertInto('understanding_seconds')
            .values(part)
            .onConflict((oc) =>
              oc.columns(['session_id', 't_sec']).doUpdateSet((eb) => ({
                avg: eb.ref('excluded.avg'),
                n: eb.ref('excluded.n'),
                c1: eb.ref('excluded.c1'),
                c2: eb.ref('excluded.c2'),
                c3: eb.ref('excluded.c3'),
                c4: eb.ref('excluded.c4'),
                c5: eb.ref('excluded.c5'),
                partial: false,
              })),
            )
            .execute();
        }
        for (const part of chunks(levels)) {
          const values = sql.join(part.map(([id, level]) => sql`(${id}::uuid, ${level}::smallint)`));
          await sql`update participants p set level = v.level from (values ${values}) as v(id, level) where p.id = v.id`.execute(
            trx,
          );
        }
        if (partials.length > 0) await writePartials(trx, partials);
        return true;
      });
    },

    async seconds(sessionId: string, fromSec: number, toSec: number) {
      const rows = await db
        .selectFrom('understanding_seconds')
        .select(['t_sec', 'avg', 'n', 'c1', 'c2', 'c3', 'c4', 'c5'])
        .where('session_id', '=', sessionId)
        .where('t_sec', '>=', fromSec)
        .where('t_sec', '<=', toSec)
        .orderBy('t_sec')
        .execute();
      return rows.map((r) => ({ ...r, avg: r.avg === null ? null : Number(r.avg) }));
    },

    /** Mean of the stored per-second averages of each session (archive lists). */
    async averages(sessionIds: string[]): Promise<Map<string, number>> {
      if (sessionIds.length === 0) return new Map();
      const rows = await db
        .selectFrom('understanding_seconds')
        .select((eb) => ['session_id', eb.fn.avg<number | string>('avg').as('a')])
        .where('session_id', 'in', sessionIds)
        .where('avg', 'is not', null)
        .groupBy('session_id')
        .execute();
      return new Map(rows.map((r) => [r.session_id, Number(r.a)]));
    },

    async lastSecond(sessionId: string): Promise<number | null> {
      const r = await db
        .selectFrom('understanding_seconds')
        .select((eb) => eb.fn.max('t_sec').as('m'))
        .where('session_id', '=', sessionId)
        .executeTakeFirst();
      return r?.m === null || r?.m === undefined ? null : toNumber(r.m);
    },

    /** How many signals, from how many listeners (the report's summary). */
    async signalStats(sessionId: string): Promise<{ signals: number; signalled: number }> {
      const r = await db
        .selectFrom('signals')
        .select((eb) => [
          eb.fn.countAll().as('signals'),
          eb.fn.count('participant_id').distinct().as('signalled'),
        ])
        .where('session_id', '=', sessionId)
        .executeTakeFirst();
      return { signals: toNumber(r?.signals as number), signalled: toNumber(r?.signalled as number) };
    },

    /** Every signal up to `toMs` (earlier ones give each listener's level when the window opens). */
    async signals(sessionId: string, toMs: number) {
      const rows = await db
        .selectFrom('signals')
        .select(['participant_id', 't_ms', 'level'])
        .where('session_id', '=', sessionId)
        .where('t_ms', '<=', toMs)
        .orderBy('t_ms')
        .orderBy('id')
        .execute();
      return rows.map((r) => ({ participantId: r.participant_id, t: toNumber(r.t_ms), level: r.level }));
    },
  };
}
export type UnderstandingRepo = ReturnType<typeof createUnderstandingRepo>;
