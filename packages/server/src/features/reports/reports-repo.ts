import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, ReportsTable } from '../../platform/db-schema.js';

export type ReportRow = Selectable<ReportsTable>;

const parseJson = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
const normalise = (r: ReportRow | undefined): ReportRow | undefined =>
  r && { ...r, params: parseJson(r.params), result: parseJson(r.result) };

export function createReportsRepo(db: Kysely<Database>) {
  return {
    async find(sessionId: string): Promise<ReportRow | undefined> {
      return normalise(
        await db.selectFrom('reports').selectAll().where('session_id', '=', sessionId).executeTakeFirst(),
      );
    },

    /** A pending row for an ended session (nothing when one exists already). */
    async ensurePending(sessionId: string, notBefore: Date): Promise<void> {
      await db
        .insertInto('reports')
        .values({
          session_id: sessionId,
          status: 'pending',
          next_attempt_at: notBefore,
          params: null,
          result: null,
        })
        .onConflict((oc) => oc.column('session_id').doNothing())
        .execute();
    },

    /**
     * Takes the report for generation: one instance wins (a conditional update is atomic in
     * PostgreSQL), and a claim left by a crashed instance expires at `claimed_until`.
     * `force` (the CLI) also takes a ready report, to make it again.
     */
    async claim(
      sessionId: string,
      owner: string,
      leaseMs: number,
      force = false,
    ): Promise<ReportRow | undefined> {
      const until = new Date(Date.now() + leaseMs);
      let q = db
        .updateTable('reports')
        .set({ claimed_by: owner, claimed_until: until, updated_at: new Date() })
        .where('session_id', '=', sessionId)
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', new Date())]));
      if (!force) q = q.where('status', '<>', 'ready').where('next_attempt_at', '<=', new Date());
      return normalise(await q.returningAll().executeTakeFirst());
    },

    async markReady(
      sessionId: string,
      owner: string,
      data: { algorithmVersion: string; params: unknown; result: unknown },
    ): Promise<boolean> {
      const r = await db
        .updateTable('reports')
        .set({
          status: 'ready',
          error: null,
          algorithm_version: data.algorithmVersion,
          params: JSON.stringify(data.params),
          result: JSON.stringify(data.result),
          generated_at: new Date(),
          claimed_by: null,
          claimed_until: null,
          updated_at: new Date(),
          attempts: sql<number>`attempts + 1`,
        })
        .where('session_id', '=', sessionId)
        .where('claimed_by', '=', owner)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    /** A failed try: `failed` once out of attempts, otherwise pending again at `retryAt`. */
    async markFailed(sessionId: string, owner: string, error: string, maxAttempts: number, retryAt: Date) {
      await db
        .updateTable('reports')
        .set((eb) => ({
          status: eb
            .case()
            .when('attempts', '>=', maxAttempts - 1)
            .then(sql<'failed'>`'failed'`)
            .else(sql<'pending'>`'pending'`)
            .end(),
          error: error.slice(0, 1000),
          attempts: sql<number>`attempts + 1`,
          next_attempt_at: retryAt,
          claimed_by: null,
          claimed_until: null,
          updated_at: new Date(),
        }))
        .where('session_id', '=', sessionId)
        .where('claimed_by', '=', owner)
        .execute();
    },

    /** Ended sessions whose report is missing, or due for another try. */
    async due(limit: number, maxAttempts: number): Promise<string[]> {
      const rows = await db
        .selectFrom('sessions as s')
        .leftJoin('reports as r', 'r.session_id', 's.id')
        .select('s.id')
        .where('s.status', '=', 'ended')
        .where((eb) =>
          eb.or([
            eb('r.session_id', 'is', null),
            eb.and([
              eb('r.status', '=', 'pending'),
              eb('r.next_attempt_at', '<=', new Date()),
              eb('r.attempts', '<', maxAttempts),
              eb.or([eb('r.claimed_until', 'is', null), eb('r.claimed_until', '<', new Date())]),
            ]),
          ]),
        )
        .orderBy('s.ended_at')
        .limit(limit)
        .execute();
      return rows.map((r) => r.id);
    },

    /** The host's other sessions with a ready report that started before `before`. */
    async readyOfHost(hostId: string, exceptId: string, before: Date, limit: number) {
      const rows = await db
        .selectFrom('reports as r')
        .innerJoin('sessions as s', 's.id', 'r.session_id')
        .select(['s.id', 's.title', 's.started_at', 'r.result'])
        .where('s.host_id', '=', hostId)
        .where('s.id', '<>', exceptId)
        .where('r.status', '=', 'ready')
        .where('s.started_at', '<', before)
        .orderBy('s.started_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ ...r, result: parseJson(r.result) })).reverse();
    },
  };
}
export type ReportsRepo = ReturnType<typeof createReportsRepo>;
