import { sql, type Kysely, type Selectable, type Updateable } from 'kysely';
import { toNumber, type Database, type VideosTable } from '../../platform/db-schema.js';
import type { TimelineEvent, VideoState } from './video-timeline.js';

export type VideoRow = Selectable<VideosTable>;
export type VideoPatch = Updateable<VideosTable>;

export function createVideosRepo(db: Kysely<Database>) {
  /** Sessions naming the video in their settings (`settings.video.videoId`). */
  const namingSessions = (videoIds: string[]) =>
    db
      .selectFrom('sessions')
      .select(['id', sql<string>`settings->'video'->>'videoId'`.as('video_id')])
      .where('mode', '=', 'video')
      .where(sql<string>`settings->'video'->>'videoId'`, 'in', videoIds);

  return {
    insert: (row: {
      id: string;
      owner_id: string;
      title: string;
      source: VideoRow['source'];
      url: string | null;
      status: VideoRow['status'];
      media_type: string | null;
      duration_ms: number | null;
      declared_bytes: number | null;
    }) => db.insertInto('videos').values(row).returningAll().executeTakeFirstOrThrow(),
    find: (id: string) => db.selectFrom('videos').selectAll().where('id', '=', id).executeTakeFirst(),
    findByUpload: (uploadId: string) =>
      db.selectFrom('videos').selectAll().where('upload_id', '=', uploadId).executeTakeFirst(),
    listOfOwner: (ownerId: string) =>
      db
        .selectFrom('videos')
        .selectAll()
        .where('owner_id', '=', ownerId)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .execute(),
    /** Updates when the status is one of `from` (a claim); the row after, or undefined. */
    async update(id: string, patch: VideoPatch, from?: VideoRow['status'][]) {
      let q = db
        .updateTable('videos')
        .set({ ...patch, updated_at: new Date() })
        .where('id', '=', id);
      if (from) q = q.where('status', 'in', from);
      return q.returningAll().executeTakeFirst();
    },
    delete: (id: string) => db.deleteFrom('videos').where('id', '=', id).execute(),
    async usage(videoIds: string[]): Promise<Map<string, number>> {
      const out = new Map<string, number>();
      if (videoIds.length === 0) return out;
      for (const r of await namingSessions(videoIds).execute())
        out.set(r.video_id, (out.get(r.video_id) ?? 0) + 1);
      return out;
    },
    /** The sessions (rows) that showed or will show the video, oldest first. */
    sessionsOf: (videoId: string) =>
      db
        .selectFrom('sessions')
        .selectAll()
        .where('mode', '=', 'video')
        .where(sql<string>`settings->'video'->>'videoId'`, '=', videoId)
        .orderBy('created_at')
        .orderBy('id')
        .execute(),
    participantCounts: async (sessionIds: string[]) => {
      const out = new Map<string, number>();
      if (sessionIds.length === 0) return out;
      const rows = await db
        .selectFrom('participants')
        .select(['session_id', db.fn.countAll().as('n')])
        .where('session_id', 'in', sessionIds)
        .where('role', '=', 'listener')
        .groupBy('session_id')
        .execute();
      for (const r of rows) out.set(r.session_id, toNumber(r.n as number));
      return out;
    },

    // ---- playback state (video_states, video_events) ----
    async getState(sessionId: string): Promise<VideoState | undefined> {
      const r = await db
        .selectFrom('video_states')
        .selectAll()
        .where('session_id', '=', sessionId)
        .executeTakeFirst();
      if (!r) return undefined;
      return {
        videoId: r.video_id,
        playing: r.playing,
        positionMs: toNumber(r.position_ms),
        rate: Number(r.rate),
        serverTime: toNumber(r.server_time),
        seq: r.seq,
      };
    },
    async stateSeq(sessionId: string): Promise<number> {
      const r = await db
        .selectFrom('video_states')
        .select('seq')
        .where('session_id', '=', sessionId)
        .executeTakeFirst();
      return r?.seq ?? 0;
    },
    /**
     * Stores `next` if the stored state still has seq `expectedSeq` (0: none stored yet), with its
     * event row, in one transaction. False when another instance changed it first.
     */
    async casState(sessionId: string, next: VideoState, expectedSeq: number): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const values = {
          video_id: next.videoId,
          playing: next.playing,
          position_ms: Math.round(next.positionMs),
          rate: next.rate,
          server_time: next.serverTime,
          seq: next.seq,
        };
        let ok: boolean;
        if (expectedSeq === 0) {
          const r = await trx
            .insertInto('video_states')
            .values({ session_id: sessionId, ...values })
            .onConflict((oc) => oc.column('session_id').doNothing())
            .executeTakeFirst();
          ok = Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
        } else {
          const r = await trx
            .updateTable('video_states')
            .set(values)
            .where('session_id', '=', sessionId)
            .where('seq', '=', expectedSeq)
            .executeTakeFirst();
          ok = Number(r.numUpdatedRows) === 1;
        }
        if (!ok) return false;
        await trx
          .insertInto('video_events')
          .values({
            session_id: sessionId,
            seq: next.seq,
            at: next.serverTime,
            playing: next.playing,
            position_ms: Math.round(next.positionMs),
            rate: next.rate,
          })
          .execute();
        return true;
      });
    },
    async events(sessionId: string): Promise<TimelineEvent[]> {
      const rows = await db
        .selectFrom('video_events')
        .selectAll()
        .where('session_id', '=', sessionId)
        .orderBy('seq')
        .execute();
      return rows.map((r) => ({
        at: toNumber(r.at),
        playing: r.playing,
        positionMs: toNumber(r.position_ms),
        rate: Number(r.rate),
      }));
    },
    /** Signals with their video stamp (per-listener lines on the video axis, the report). */
    async stampedSignals(sessionId: string) {
      const rows = await db
        .selectFrom('signals')
        .select(['participant_id', 't_ms', 'level', 'video_ms', 'video_playing'])
        .where('session_id', '=', sessionId)
        .orderBy('t_ms')
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        participantId: r.participant_id,
        t: toNumber(r.t_ms),
        level: r.level,
        videoMs: r.video_ms === null || r.video_ms === undefined ? null : toNumber(r.video_ms),
        videoPlaying: r.video_playing ?? null,
      }));
    },
  };
}
export type VideosRepo = ReturnType<typeof createVideosRepo>;
