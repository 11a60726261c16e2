import { z } from 'zod';

/** Longest question (characters, after trimming). */
export const QUESTION_MAX_LENGTH = 500;
/** Longest answer text the speaker may attach. */
export const ANSWER_MAX_LENGTH = 2000;
/** A participant may ask this many questions… */
export const QUESTION_RATE_MAX = 3;
/** …within this window. */
export const QUESTION_RATE_WINDOW_MS = 30_000;

export const QUESTION_STATUSES = ['open', 'answered', 'hidden'] as const;
export type QuestionStatus = (typeof QUESTION_STATUSES)[number];

export const questionContentSchema = z.string().trim().min(1, 'must not be empty').max(QUESTION_MAX_LENGTH);

export const askQuestionBodySchema = z.object({ content: questionContentSchema }).strict();
export type AskQuestionBody = z.infer<typeof askQuestionBodySchema>;

/** What the speaker may change. `answer` alone also marks the question answered. */
export const updateQuestionBodySchema = z
  .object({
    status: z.enum(QUESTION_STATUSES).optional(),
    answer: z.string().trim().max(ANSWER_MAX_LENGTH).nullable().optional(),
    /** Pins the question for everyone; pinning another one unpins the first. */
    pinned: z.boolean().optional(),
    /** Pre-moderation: listeners see a question only once it is approved. */
    approved: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'nothing to change' });
export type UpdateQuestionBody = z.infer<typeof updateQuestionBodySchema>;

export const questionsQuerySchema = z.object({ sort: z.enum(['votes', 'time']).optional() }).strict();
export const questionsExportQuerySchema = z
  .object({ format: z.enum(['csv', 'json']).default('json') })
  .strict();

/**
 * One question as a viewer sees it. Speakers get every field; listeners get no `askerLevel`.
 * `mine` and `votedByMe` are per viewer: present in answers to that viewer, absent in broadcasts.
 * `askerName` is null whenever the session or the asker is anonymous — for everyone, the speaker too.
 */
export const questionSchema = z.object({
  id: z.string(),
  /** Empty when the question was withdrawn from this viewer (hidden or unapproved). */
  content: z.string(),
  status: z.enum(QUESTION_STATUSES),
  votes: z.number().int(),
  createdAt: z.string(),
  answeredAt: z.string().nullable().optional(),
  answer: z.string().nullable().optional(),
  approved: z.boolean(),
  pinned: z.boolean(),
  /** ms since the session started when it was asked; null when asked before the start. */
  t: z.number().nullable(),
  askerName: z.string().nullable(),
  /** The asker's understanding level (1–5) when they asked. Speakers only. */
  askerLevel: z.number().int().nullable().optional(),
  mine: z.boolean().optional(),
  votedByMe: z.boolean().optional(),
  /** Grows with every change; a client ignores a copy older than the one it has. */
  rev: z.number().int(),
});
export type Question = z.infer<typeof questionSchema>;

export const questionResponseSchema = z.object({
  question: questionSchema,
  duplicate: z.boolean().optional(),
});
export const questionListSchema = z.object({ questions: z.array(questionSchema) });
export type QuestionList = z.infer<typeof questionListSchema>;
export const voteResponseSchema = z.object({ question: questionSchema, voted: z.boolean() });
/** GET …/questions/export?format=json (csv: the same rows as text/csv) */
export const questionsExportSchema = z.object({
  session: z.object({ id: z.string(), code: z.string(), title: z.string() }),
  questions: z.array(questionSchema),
});
export type VoteResponse = z.infer<typeof voteResponseSchema>;

/** What listeners may see of a question (the asker always sees their own). */
export const isVisibleToListeners = (q: Pick<Question, 'approved' | 'status'>) =>
  q.approved && q.status !== 'hidden';

/** Speaker-side order: pinned first, then by votes (ties: older first) or by time (newest first). */
export function compareQuestions(sort: 'votes' | 'time') {
  return (a: Question, b: Question): number => {
    if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
    if (sort === 'votes' && a.votes !== b.votes) return b.votes - a.votes;
    const ta = Date.parse(a.createdAt);
    const tb = Date.parse(b.createdAt);
    return sort === 'votes' ? ta - tb : tb - ta;
  };
}
