import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, QuestionsTable } from '../../platform/db-schema.js';
import { toNumber } from '../../platform/db-schema.js';

/** A question with what its asker looked like (for names; anonymity is applied by the service). */
export type QuestionRow = Omit<Selectable<QuestionsTable>, 't_ms'> & {
  t_ms: number | null;
  asker_display_name: string | null;
  asker_anonymous: boolean | null;
  asker_role: 'listener' | 'presenter' | null;
};

export interface QuestionInsert {
  id: string;
  session_id: string;
  participant_id: string;
  content: string;
  approved: boolean;
  t_ms: number | null;
  asker_level: number | null;
}

export interface QuestionPatch {
  status?: QuestionRow['status'];
  answer?: string | null;
  answered_at?: Date | null;
  approved?: boolean;
  pinned?: boolean;
}

type Db = Kysely<Database> | Transaction<Database>;

function normalise<T extends { t_ms: unknown } | undefined>(row: T): T {
  if (!row) return row;
  return { ...row, t_ms: row.t_ms === null ? null : toNumber(row.t_ms as number) };
}

function repoOn(db: Db) {
  const select = () =>
    db
      .selectFrom('questions')
      .leftJoin('participants', 'participants.id', 'questions.participant_id')
      .selectAll('questions')
      .select([
        'participants.display_name as asker_display_name',
        'participants.anonymous as asker_anonymous',
        'participants.role as asker_role',
      ]);
  const one = async (id: string) =>
    normalise(await select().where('questions.id', '=', id).executeTakeFirst()) as QuestionRow | undefined;

  return {
    find: one,

    async findInSession(sessionId: string, id: string): Promise<QuestionRow | undefined> {
      const row = await select()
        .where('questions.id', '=', id)
        .where('questions.session_id', '=', sessionId)
        .executeTakeFirst();
      return normalise(row) as QuestionRow | undefined;
    },

    async listOfSession(sessionId: string): Promise<QuestionRow[]> {
      const rows = await select()
        .where('questions.session_id', '=', sessionId)
        .orderBy('questions.created_at')
        .orderBy('questions.id')
        .execute();
      return rows.map((r) => normalise(r) as QuestionRow);
    },

    async votedBy(sessionId: string, participantId: string): Promise<Set<string>> {
      const rows = await db
        .selectFrom('question_votes')
        .innerJoin('questions', 'questions.id', 'question_votes.question_id')
        .where('questions.session_id', '=', sessionId)
        .where('question_votes.participant_id', '=', participantId)
        .select('question_votes.question_id')
        .execute();
      return new Set(rows.map((r) => r.question_id));
    },

    async hasVoted(questionId: string, participantId: string): Promise<boolean> {
      const r = await db
        .selectFrom('question_votes')
        .where('question_id', '=', questionId)
        .where('participant_id', '=', participantId)
        .select('question_id')
        .executeTakeFirst();
      return r !== undefined;
    },

    /** Takes the participant's row lock: asks by one participant are serialised (duplicates, rate). */
    async lockParticipant(
      participantId: string,
    ): Promise<{ level: number | null; role: 'listener' | 'presenter' } | undefined> {
      return db
        .selectFrom('participants')
        .where('id', '=', participantId)
        .select(['level', 'role'])
        .forUpdate()
        .executeTakeFirst();
    },

    async lastOfParticipant(sessionId: string, participantId: string): Promise<QuestionRow | undefined> {
      const row = await select()
        .where('questions.session_id', '=', sessionId)
        .where('questions.participant_id', '=', participantId)
        .orderBy('questions.created_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      return normalise(row) as QuestionRow | undefined;
    },

    /** Created-at times (epoch ms) of the participant's questions within the last `windowMs`, oldest first. */
    async recentAskTimes(participantId: string, windowMs: number): Promise<{ times: number[]; now: number }> {
      const rows = await db
        .selectFrom('questions')
        .where('participant_id', '=', participantId)
        .where('created_at', '>', sql<Date>`now() - make_interval(secs => ${windowMs / 1000})`)
        .select(['created_at', sql<Date>`now()`.as('now')])
        .orderBy('created_at')
        .execute();
      const now = rows[0] ? new Date(rows[0].now).getTime() : Date.now();
      return { times: rows.map((r) => new Date(r.created_at).getTime()), now };
    },

    async insert(row: QuestionInsert): Promise<QuestionRow> {
      await db.insertInto('questions').values(row).execute();
      return (await one(row.id))!;
    },

    async update(id: string, patch: QuestionPatch): Promise<QuestionRow | undefined> {
      const r = await db
        .updateTable('questions')
        .set({ ...patch, rev: sql<number>`rev + 1` })
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1 ? one(id) : undefined;
    },

    /** Unpins whatever else is pinned in the session; returns the ids it unpinned. */
    async unpinOthers(sessionId: string, keepId: string): Promise<string[]> {
      const rows = await db
        .updateTable('questions')
        .set({ pinned: false, rev: sql<number>`rev + 1` })
        .where('session_id', '=', sessionId)
        .where('pinned', '=', true)
        .where('id', '!=', keepId)
        .returning('id')
        .execute();
      return rows.map((r) => r.id);
    },

    /** Adds one vote; false when this participant had already voted. */
    async addVote(questionId: string, participantId: string): Promise<boolean> {
      const r = await db
        .insertInto('question_votes')
        .values({ question_id: questionId, participant_id: participantId })
        .onConflict((oc) => oc.columns(['question_id', 'participant_id']).doNothing())
        .returning('question_id')
        .executeTakeFirst();
      if (!r) return false;
      await db
        .updateTable('questions')
        .set({ votes: sql<number>`votes + 1`, rev: sql<number>`rev + 1` })
        .where('id', '=', questionId)
        .execute();
      return true;
    },

    /** Removes this participant's vote; false when there was none. */
    async removeVote(questionId: string, participantId: string): Promise<boolean> {
      const r = await db
        .deleteFrom('question_votes')
        .where('question_id', '=', questionId)
        .where('participant_id', '=', participantId)
        .returning('question_id')
        .executeTakeFirst();
      if (!r) return false;
      await db
        .updateTable('questions')
        .set({ votes: sql<number>`greatest(votes - 1, 0)`, rev: sql<number>`rev + 1` })
        .where('id', '=', questionId)
        .execute();
      return true;
    },
  };
}

export type QuestionsRepoOps = ReturnType<typeof repoOn>;

export function createQuestionsRepo(db: Kysely<Database>) {
  return {
    ...repoOn(db),
    /** A participant erased themselves: their questions go (votes on them with them); the ids. */
    async deleteOfParticipant(sessionId: string, participantId: string): Promise<string[]> {
      const rows = await db
        .deleteFrom('questions')
        .where('session_id', '=', sessionId)
        .where('participant_id', '=', participantId)
        .returning('id')
        .execute();
      return rows.map((r) => r.id);
    },
    /** Runs `fn` in one transaction with a repo bound to it. */
    transaction<T>(fn: (repo: QuestionsRepoOps) => Promise<T>): Promise<T> {
      return db.transaction().execute((trx) => fn(repoOn(trx)));
    },
  };
}
export type QuestionsRepo = ReturnType<typeof createQuestionsRepo>;
