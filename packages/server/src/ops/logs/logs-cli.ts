import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { LOG_STREAMS, utcDay } from '../../platform/log-file.js';
import { archiveLogs } from './archive.js';
import { ArchiveError, loadKeyring, readArchive, type Keyring } from './archive-file.js';
import { DAY_MS, dayStartMs, isLogStream } from './log-files.js';
import { buildReport } from './report.js';
import { renderMarkdown, saveReport, sendReport } from './report-output.js';
import { pruneLogs } from './retention.js';
import { LEVELS, searchLogs } from './search.js';

/** `rstream logs <prune|archive|read|search|report>`: bad arguments → message + exit 2. */

const USAGE = `Usage: rstream logs <command> [options]

  prune   [--dry-run]                 delete log files and archives past their retention
  archive [--no-upload]               compress + encrypt files older than LOG_ARCHIVE_AFTER_DAYS
  read    <archive file>              decrypt an archive to stdout (verified first)
  search  [--stream s]… [--from t] [--to t] [--level l] [--request-id id] [--text s] [--limit n]
                                      print matching JSON lines from live files and archives
  report  [--period daily|weekly] [--date YYYY-MM-DD] [--send] [--json]
                                      the trend/anomaly report for the period ending on --date
                                      (default: yesterday, UTC); saved under LOG_DIR/reports/
`;

class UsageError extends Error {}

const timeArg = (name: string, endOfDay: boolean) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
        try {
          return dayStartMs(v) + (endOfDay ? DAY_MS - 1 : 0);
        } catch {
          /* falls through to the error below */
        }
      }
      const t = /^\d{4}-\d{2}-\d{2}T/.test(v) ? Date.parse(v) : NaN;
      if (!Number.isFinite(t)) {
        ctx.addIssue({
          code: 'custom',
          message: `--${name} must be a date (YYYY-MM-DD) or an ISO time, got "${v}"`,
        });
        return z.NEVER;
      }
      return t;
    });

const searchSchema = z.object({
  stream: z
    .array(z.string())
    .optional()
    .transform((v, ctx) => {
      const names = (v ?? [])
        .flatMap((s) => s.split(','))
        .map((s) => s.trim())
        .filter(Boolean);
      const bad = names.filter((n) => !isLogStream(n));
      if (bad.length) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown stream ${bad.join(', ')}; streams: ${LOG_STREAMS.join(', ')}`,
        });
        return z.NEVER;
      }
      return names.length ? (names as (typeof LOG_STREAMS)[number][]) : undefined;
    }),
  from: timeArg('from', false),
  to: timeArg('to', true),
  level: z
    .enum(Object.keys(LEVELS) as [string, ...string[]], {
      message: `--level must be one of ${Object.keys(LEVELS).join(', ')}`,
    })
    .optional(),
  'request-id': z.string().min(1).max(200).optional(),
  text: z.string().min(1).max(1000).optional(),
  limit: z.coerce.number({ message: '--limit must be a number' }).int().min(1).max(10_000_000).optional(),
});

const reportSchema = z.object({
  period: z.enum(['daily', 'weekly'], { message: '--period must be daily or weekly' }).default('daily'),
  date: z
    .string()
    .optional()
    .refine(
      (v) =>
        v === undefined || (/^\d{4}-\d{2}-\d{2}$/.test(v) && Number.isFinite(Date.parse(`${v}T00:00:00Z`))),
      {
        message: '--date must be YYYY-MM-DD',
      },
    ),
  send: z.boolean().optional(),
  json: z.boolean().optional(),
});

function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>, positionals = 0) {
  try {
    const r = parseArgs({ args, options, allowPositionals: positionals > 0, strict: true });
    if (r.positionals.length > positionals)
      throw new UsageError(`unexpected argument: ${r.positionals[positionals]}`);
    return r;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function check<T>(schema: z.ZodType<T>, values: unknown): T {
  const r = schema.safeParse(values);
  if (!r.success) throw new UsageError(r.error.issues.map((i) => i.message).join('; '));
  return r.data;
}

function needLogDir(config: Config): string {
  if (!config.LOG_DIR) throw new UsageError('LOG_DIR is not set: there are no log files to work on');
  return config.LOG_DIR;
}

function keyringFor(config: Config): Keyring {
  try {
    return loadKeyring(config);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

async function run(sub: string | undefined, args: string[], config: Config, now: number): Promise<number> {
  switch (sub) {
    case 'prune': {
      const { values } = parse(args, { 'dry-run': { type: 'boolean' } });
      needLogDir(config);
      const r = await pruneLogs(config, { now, dryRun: Boolean(values['dry-run']) });
      for (const f of r.deleted) console.log(`${values['dry-run'] ? 'would delete' : 'deleted'} ${f}`);
      console.log(r.line);
      return r.status === 'partial' ? 1 : 0;
    }
    case 'archive': {
      const { values } = parse(args, { 'no-upload': { type: 'boolean' } });
      needLogDir(config);
      const r = await archiveLogs(config, { now, upload: values['no-upload'] ? false : undefined });
      for (const f of r.failures) console.error(`  ${f}`);
      console.log(r.line);
      return r.status === 'failed' || r.status === 'partial' ? 1 : 0;
    }
    case 'read': {
      const { positionals } = parse(args, {}, 1);
      if (!positionals[0]) throw new UsageError('read needs the archive file: rstream logs read <file>');
      await readArchive(positionals[0], keyringFor(config), process.stdout);
      return 0;
    }
    case 'search': {
      const { values } = parse(args, {
        stream: { type: 'string', multiple: true },
        from: { type: 'string' },
        to: { type: 'string' },
        level: { type: 'string' },
        'request-id': { type: 'string' },
        text: { type: 'string' },
        limit: { type: 'string' },
      });
      const q = check(searchSchema, values);
      if (q.from !== undefined && q.to !== undefined && q.from > q.to)
        throw new UsageError('--from is after --to');
      const limit = q.limit ?? Infinity;
      let printed = 0;
      const r = await searchLogs(
        needLogDir(config),
        {
          streams: q.stream,
          from: q.from,
          to: q.to,
          level: q.level,
          requestId: q['request-id'],
          text: q.text,
        },
        keyringFor(config),
        (line) => {
          if (printed++ < limit) process.stdout.write(`${line}\n`);
        },
      );
      for (const u of r.unreadable) console.error(`rstream logs search: skipped ${u}`);
      console.error(
        `${Math.min(r.matched, limit)} line(s) printed of ${r.matched} matching, from ${r.files} file(s)`,
      );
      return r.unreadable.length ? 1 : 0;
    }
    case 'report': {
      const { values } = parse(args, {
        period: { type: 'string' },
        date: { type: 'string' },
        send: { type: 'boolean' },
        json: { type: 'boolean' },
      });
      const o = check(reportSchema, values);
      const logDir = needLogDir(config);
      const report = await buildReport(
        logDir,
        keyringFor(config),
        o.period,
        o.date ?? utcDay(now - DAY_MS),
        now,
      );
      const saved = saveReport(logDir, report);
      process.stdout.write(o.json ? `${JSON.stringify(report, null, 2)}\n` : renderMarkdown(report));
      console.error(`saved ${saved.md} and ${saved.json}`);
      if (o.send) {
        const sent = await sendReport(config, report);
        if (!sent.sent.length && !sent.failed.length)
          console.error('nothing to send to: set LOG_REPORT_SLACK_WEBHOOK_URL and/or LOG_REPORT_EMAIL_TO');
        if (sent.sent.length) console.error(`sent to ${sent.sent.join(', ')}`);
        for (const f of sent.failed) console.error(`sending failed: ${f}`);
        return sent.failed.length ? 1 : 0;
      }
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE);
      return sub ? 0 : 2;
    default:
      throw new UsageError(`unknown logs command "${sub}"`);
  }
}

export async function runLogsCli(args: string[], config: Config, now: number = Date.now()): Promise<number> {
  const [sub, ...rest] = args;
  try {
    return await run(sub, rest, config, now);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`rstream logs: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof ArchiveError) {
      console.error(`rstream logs: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

export const logsCommand = {
  summary:
    'logs: prune | archive | read <archive> | search | report (retention, encrypted archives, analysis)',
  run: (args: string[], config: Config) => runLogsCli(args, config),
};
