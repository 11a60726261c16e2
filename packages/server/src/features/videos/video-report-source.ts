import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db-schema.js';
import type { VideoSectionSource } from '../reports/sections/video.js';
import type { UnderstandingService } from '../understanding/understanding-service.js';
import { reportSection } from './video-analysis.js';
import { createVideosRepo } from './videos-repo.js';
import { toNumber } from '../../platform/db-schema.js';

/**
 * The report's video section over a bare database, for one-off commands (`rstream report`)
 * that make a report without the server: the same analysis the videos feature gives the
 * reports plugin, with the video's duration and title read from its row.
 */
export function videoReportSourceOver(
  db: Kysely<Database>,
  understanding: Pick<UnderstandingService, 'allSeconds'>,
): VideoSectionSource {
  const repo = createVideosRepo(db);
  const row = (id: string) => repo.find(id);
  const durationOf = async (id: string) => {
    const r = await row(id);
    return r?.duration_ms === null || r?.duration_ms === undefined ? null : toNumber(r.duration_ms);
  };
  return (session) =>
    reportSection(
      { repo, understanding, durationOf, titleOf: async (id) => (await row(id))?.title ?? null },
      session,
    );
}
