import type { Migration } from 'kysely';
import * as m001 from './001_init.js';
import * as m002 from './002_alerts.js';
import * as m003 from './003_questions.js';
import * as m004 from './004_security.js';
import * as m005 from './005_backups.js';
import * as m006 from './006_live_faults.js';
import * as m008 from './008_reports.js';
import * as m009 from './009_recordings.js';
import * as m012 from './012_turns.js';
import * as m013 from './013_security_audit.js';

/** Every migration, in order. Listed statically so the bundled server carries them. */
export const migrations: Record<string, Migration> = {
  '001_init': m001,
  '002_alerts': m002,
  '003_questions': m003,
  '004_security': m004,
  '005_backups': m005,
  '006_live_faults': m006,
  '008_reports': m008,
  '009_recordings': m009,
  '012_turns': m012,
  '013_security_audit': m013,
};
