import { sql, type Kysely, type Selectable } from 'kysely';
import { toNumber, type Database, type TurnsTable } from '../../platform/db-schema.js';

export type TurnRow = Selectable<TurnsTable>;
export interface StoredTurn {
  id: string;
  speaker: string;
  participantId: string | null;
  startT: number;
  endT: number | null;
}

const toStored = (r: TurnRow): StoredTurn => ({
  id: r.id,
  speaker: r.speaker,
  participantId: r.participant_id,
  startT: toNumber(r.start_ms),
  endT: r.end_ms === null ? null : toNumber(r.end_ms),
});

export function createTurnsRepo(db: Kysely<Database>) {
  return {
    /**
     * Closes the open turn (if any) at `startT` and opens the new one, in one transaction that
     * locks the session row: two instances starting turns at once queue up instead of racing.
     */
    async start(
      sessionId: string,
      turn: { id: string; speaker: string; participantId: string | null; startT: number },
    ): Promise<{ closed: StoredTurn | null; opened: StoredTurn }> {
      return db.transaction().execute(async (trx) => {
        await sql`select id from sessions where id = ${sessionId} for update`.execute(trx);
        const closed = await trx
          .updateTable('turns')
          .set({ end_ms: sql`greatest(start_ms, ${turn.startT})` })
          .where('session_id', '=', sessionId)
          .where('end_ms', 'is', null)
          .returningAll()
          .executeTakeFirst();
        const opened = await trx
          .insertInto('turns')
          .values({
            id: turn.id,
            session_id: sessionId,
            speaker: turn.speaker,
            participant_id: turn.participantId,
            start_ms: turn.startT,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return { closed: closed ? toStored(closed) : null, opened: toStored(opened) };
      });
    },

    /** Closes the open turn at `endT`; undefined when none was open. */
    async endOpen(sessionId: string, endT: number): Promise<StoredTurn | undefined> {
      const row = await db
        .updateTable('turns')
        .set({ end_ms: sql`greatest(start_ms, ${endT})` })
        .where('session_id', '=', sessionId)
        .where('end_ms', 'is', null)
        .returningAll()
        .executeTakeFirst();
      return row ? toStored(row) : undefined;
    },

    async list(sessionId: string): Promise<StoredTurn[]> {
      const rows = await db
        .selectFrom('turns')
        .selectAll()
        .where('session_id', '=', sessionId)
        .orderBy('start_ms')
        .orderBy('created_at')
        .execute();
      return rows.map(toStored);
    },

    async open(sessionId: string): Promise<StoredTurn | undefined> {
      const row = await db
        .selectFrom('turns')
        .selectAll()
        .where('session_id', '=', sessionId)
        .where('end_ms', 'is', null)
        .executeTakeFirst();
      return row ? toStored(row) : undefined;
    },
  };
}
export type TurnsRepo = ReturnType<typeof createTurnsRepo>;
