import { sql, type Insertable, type Kysely } from 'kysely';
import type { Database, SignalsTable, UnderstandingSecondsTable } from '../../platform/db-schema.js';
import { toNumber } from '../../platform/db-schema.js';

export type SignalInsert = Insertable<SignalsTable>;
export type SecondInsert = Insertable<UnderstandingSecondsTable>;

const CHUNK = 2000;
function* chunks<T>(rows: T[]): Generator<T[]> {
  for (let i = 0; i < rows.length; i += CHUNK) yield rows.slice(i, i + CHUNK);
}

export function createUnderstandingRepo(db: Kysely<Database>) {
  return {
    /** One transaction per tick's batch: signals, per-second aggregates and listeners' last levels. */
    async writeBatch(
      signals: SignalInsert[],
      seconds: SecondInsert[],
      levels: [string, number][],
    ): Promise<void> {
      await db.transaction().execute(async (trx) => {
        for (const part of chunks(signals)) await trx.insertInto('signals').values(part).execute();
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
