import type { CliCommand } from '../../cli.js';
import type { Config } from '../../config.js';
import { UsageError } from './cli/args.js';
import { backupCommand } from './cli/backup.js';
import { restoreCommand } from './cli/restore.js';
import { drillCommand, syncCommand } from './cli/sync-drill.js';

/** The backup, restore, sync and drill commands of `rstream` (one file per command in cli/). */

/** Wraps a command: usage errors exit 2, key/config problems and failures exit 1 with one message. */
const guarded =
  (name: string, fn: (args: string[], config: Config) => Promise<number>): CliCommand['run'] =>
  async (args, config) => {
    try {
      return await fn(args, config);
    } catch (e) {
      if (e instanceof UsageError) {
        console.error(`rstream ${name}: ${e.message}`);
        return 2;
      }
      console.error(`rstream ${name}: ${(e as Error).message}`);
      return 1;
    }
  };

export const backupCommands: Record<string, CliCommand> = {
  backup: {
    summary: 'database backups: backup db | backup status | backup prune',
    run: guarded('backup', backupCommand),
  },
  restore: {
    summary: 'restore db <file | latest | s3 key> [--force]: verify, restore, migrate, check',
    run: guarded('restore', restoreCommand),
  },
  sync: {
    summary: 'sync archives|recordings to S3 [--dry-run] [--delete] (like aws s3 sync)',
    run: guarded('sync', syncCommand),
  },
  drill: {
    summary: 'restore drill: backup → scratch restore → compare every table → RTO/RPO',
    run: guarded('drill', drillCommand),
  },
};
