import type { Migration } from 'kysely';
import * as m001 from './001_init.js';
import * as m002 from './002_alerts.js';
import * as m003 from './003_questions.js';
import * as m004 from './004_security.js';
import * as m005 from './005_backups.js';
import * as m009 from './009_recordings.js';

/** Every migration, in order. Listed statically so the bundled server carries them. */
export const migrations: Record<string, Migration> = {
  '001_init': m001,
  '002_alerts': m002,
  '003_questions': m003,
  '004_security': m004,
  '005_backups': m005,
  '009_recordings': m009,
};
