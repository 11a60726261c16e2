import path from 'node:path';
import type { Config } from '../config.js';

/** Where the live path spills what it cannot write, and how much it may hold in memory. */
export function livePersistence(config: Pick<Config, 'DATA_DIR' | 'PERSIST_BACKLOG_MAX_ROWS'>) {
  return { maxBacklogRows: config.PERSIST_BACKLOG_MAX_ROWS, spillDir: path.join(config.DATA_DIR, 'spill') };
}
