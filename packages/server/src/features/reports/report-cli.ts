import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import pino from 'pino';
import type { ReportVideoSection } from '@rstream/protocol';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { migrateToLatest, openDb, type Db } from '../../platform/db.js';
import type { Hub } from '../../realtime/hub.js';
import { createQuestionsFanout } from '../questions/questions-fanout.js';
import { createQuestionsRepo } from '../questions/questions-repo.js';
import { createQuestionsService } from '../questions/questions-service.js';
import { createSessionsRepo } from '../sessions/sessions-repo.js';
import { createSessionsService } from '../sessions/sessions-service.js';
import { createTurnsRepo } from '../turns/turns-repo.js';
import { createTurnsService } from '../turns/turns-service.js';
import { createUnderstandingRepo } from '../understanding/understanding-repo.js';
import { createUnderstandingService } from '../understanding/understanding-service.js';
import { createReportsRepo } from './reports-repo.js';
import { createReportsService } from './reports-service.js';
import { turnsSection } from './sections/turns.js';
import { videoSection, videoSectionText } from './sections/video.js';
import { videoReportSourceOver } from '../videos/video-report-source.js';

/** Making a report reads only what is stored: the live layer is never needed here. */
const noLive = new Proxy({} as Hub, {
  get(_t, key) {
    throw new Error(`the report command has no live hub (${String(key)})`);
  },
});
/** Nothing listens to the domain events of a one-off command. */
const noEvents = { emit: async () => {}, emitStrict: async () => {} };

/** Builds the reports service over an open database, as the CLI and the seed need it. */
export function reportsServiceOver(db: Db['kysely']) {
  const log = pino({ level: 'silent' });
  const sessions = createSessionsService(createSessionsRepo(db), noEvents);
  const questions = createQuestionsService({
    repo: createQuestionsRepo(db),
    hub: noLive,
    fanout: createQuestionsFanout(noLive),
    log,
  });
  const repo = createReportsRepo(db);
  const understanding = createUnderstandingService(createUnderstandingRepo(db));
  // no live session is told anything: the session has ended
  const turns = createTurnsService({
    repo: createTurnsRepo(db),
    sessions,
    understanding,
    broadcast: () => {},
  });
  const service = createReportsService({
    repo,
    sessions,
    understanding,
    questions: () => questions,
    sections: [turnsSection(() => turns), videoSection(() => videoReportSourceOver(db, understanding))],
  });
  return { repo, service, sessions, close: () => questions.close() };
}

/** Makes (or remakes) one session's report now; the result as a line for people. */
export async function makeReportNow(db: Db['kysely'], sessionId: string): Promise<string> {
  const { repo, service, sessions, close } = reportsServiceOver(db);
  try {
    const session = await sessions.findSession(sessionId);
    if (!session) throw new ReportCliError(`no session ${sessionId}`, 3);
    if (session.status !== 'ended') throw new ReportCliError(`session ${sessionId} has not ended yet`, 4);
    const owner = `cli:${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    await repo.ensurePending(sessionId, new Date());
    const claimed = await repo.claim(sessionId, owner, 5 * 60_000, true);
    if (!claimed)
      throw new ReportCliError(`the report of ${sessionId} is being made right now; try again`, 5);
    try {
      const started = Date.now();
      const result = await service.generate(sessionId, owner);
      const kinds = result.keyMoments.map((m) => m.kind).join(', ') || 'none';
      const line = `report ready for "${session.title}" (${sessionId}) in ${Date.now() - started} ms: ${result.segments.length} segments, key moments: ${kinds}`;
      // video sessions: the showings on the video's time and the dips, as in the JSON/HTML report
      const video = result.sections?.video as ReportVideoSection | null | undefined;
      return [line, ...videoSectionText(video)].join('\n');
    } catch (err) {
      await repo.markFailed(sessionId, owner, (err as Error).message, 1, new Date());
      throw err;
    }
  } finally {
    await close();
  }
}

export class ReportCliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

const argsSchema = z.tuple([z.string().uuid({ message: 'must be a session id (a UUID)' })]);

export const reportCommand = {
  summary: 'report <sessionId>: make (or remake) the report of an ended session now',
  async run(args: string[], config: Config): Promise<number> {
    const parsed = argsSchema.safeParse(args);
    if (!parsed.success) {
      console.error(
        `rstream report: ${parsed.error.issues[0]?.message ?? 'bad arguments'}\nUsage: rstream report <sessionId>`,
      );
      return 2;
    }
    let db: Db | undefined;
    try {
      db = await openDb(config);
      await migrateToLatest(db.kysely);
      console.log(await makeReportNow(db.kysely, parsed.data[0]));
      return 0;
    } catch (err) {
      console.error(`rstream report: ${(err as Error).message}`);
      return err instanceof ReportCliError ? err.exitCode : 1;
    } finally {
      await db?.close();
    }
  },
};
