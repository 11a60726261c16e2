import {
  INCIDENT_LEVEL,
  type AuditArea,
  type AuditCheck,
  type AuditFinding,
  type AuditSeverity,
} from '@rstream/protocol';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { DbKind } from '../../platform/db.js';
import type { Database } from '../../platform/db-schema.js';
import type { OwnedFiles } from '../../platform/owned-files.js';
import {
  CHECK_TITLES,
  NOTES,
  renderBoth,
  renderFinding,
  type Bilingual,
  type CheckId,
  type FindingKey,
  type FINDINGS,
  type NoteKey,
  type OptionalParams,
  type Params,
  type ParamsFor,
} from './audit-text.js';

/** What an audit run looks at. Everything is read-only except the stored report. */
export interface AuditDeps {
  config: Config;
  db: Kysely<Database>;
  dbKind: DbKind;
  ownedFiles: OwnedFiles;
  /** the app whose route table is checked (in-process: guard probes via inject) */
  fastify?: FastifyInstance;
  /** where the instance answers, for the headers actually served (default PUBLIC_URL) */
  baseUrl?: string;
  now?: Date;
  /** the Node.js version judged (default process.version) */
  nodeVersion?: string;
  /** npm registry for `npm audit` (default npm's own); unreachable → "not checked" */
  npmRegistry?: string;
  /** check ids left out on purpose: reported as "not checked (skipped)" */
  skip?: string[];
}

export interface Collector {
  readonly deps: AuditDeps;
  readonly now: Date;
  readonly periodFrom: Date;
  /** one check, passed or with findings; its title is CHECK_TITLES[id] (audit-text-checks.ts) */
  check(id: CheckId, area: AuditArea, run: (c: CheckScope) => Promise<void>): Promise<void>;
  logAnalysis: Record<string, number>;
}

/** A finding by its text key (audit-text-*.ts) and the parameters its texts name. */
export type FindingInput<K extends FindingKey> = {
  severity: AuditSeverity;
  key: K;
  /** tells several findings of one check apart (part of the id: stays English) */
  suffix?: string;
} & ParamsFor<(typeof FINDINGS)[K]>;

export interface CheckScope {
  /** a finding of this check: English in title/evidence/fix, Japanese in `ja` */
  finding<K extends FindingKey>(f: FindingInput<K>): void;
  notChecked<K extends NoteKey>(key: K, ...params: OptionalParams<(typeof NOTES)[K]>): void;
  note<K extends NoteKey>(key: K, ...params: OptionalParams<(typeof NOTES)[K]>): void;
}

export const RUNBOOK_PAGE = 'security-audit.md';
export const runbookLink = (config: Pick<Config, 'ALERT_RUNBOOK_BASE_URL'>, area: AuditArea) =>
  `${config.ALERT_RUNBOOK_BASE_URL}${RUNBOOK_PAGE}#${area}`;

export function createCollector(deps: AuditDeps, now: Date) {
  const findings: AuditFinding[] = [];
  const checks: AuditCheck[] = [];
  const logAnalysis: Record<string, number> = {};
  const periodFrom = new Date(now.getTime() - deps.config.AUDIT_PERIOD_DAYS * 86_400_000);
  const collector: Collector = {
    deps,
    now,
    periodFrom,
    logAnalysis,
    async check(id, area, run) {
      const title = CHECK_TITLES[id];
      const entry: AuditCheck = { id, area, title: title.en, status: 'pass', ja: { title: title.ja } };
      checks.push(entry);
      const setNote = (text: Bilingual, append: boolean) => {
        const join = (a: string | undefined, b: string, sep: string) => (append && a ? `${a}${sep}${b}` : b);
        entry.note = join(entry.note, text.en, '; ');
        entry.ja = { title: title.ja, note: join(entry.ja?.note, text.ja, ' / ') };
      };
      if (deps.skip?.includes(id)) {
        entry.status = 'not checked';
        setNote(NOTES.skipped, false);
        return;
      }
      const scope: CheckScope = {
        finding(f) {
          entry.status = 'finding';
          const params = f.params as Params | undefined;
          const en = renderFinding(f.key, params, 'en');
          findings.push({
            id: f.suffix ? `${id}:${f.suffix}` : id,
            area,
            title: en.title,
            severity: f.severity,
            incidentLevel: INCIDENT_LEVEL[f.severity],
            evidence: en.evidence,
            fix: en.fix,
            runbook: runbookLink(deps.config, area),
            ja: renderFinding(f.key, params, 'ja'),
          });
        },
        notChecked(key, ...params) {
          if (entry.status === 'pass') entry.status = 'not checked';
          setNote(renderBoth(NOTES[key], params[0]), false);
        },
        note(key, ...params) {
          setNote(renderBoth(NOTES[key], params[0]), true);
        },
      };
      try {
        await run(scope);
      } catch (e) {
        scope.finding({
          severity: 'warning',
          key: 'check.failed',
          params: { check: title, error: (e as Error).message },
          suffix: 'error',
        });
      }
    },
  };
  return { collector, findings, checks, logAnalysis };
}

export const isLoopbackHost = (host: string) =>
  host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host) || host === '';
export const daysAgo = (now: Date, d: Date | string) =>
  Math.floor((now.getTime() - new Date(d).getTime()) / 86_400_000);
