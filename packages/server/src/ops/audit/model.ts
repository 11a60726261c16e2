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
  /** one check, passed or with findings */
  check(id: string, area: AuditArea, title: string, run: (c: CheckScope) => Promise<void>): Promise<void>;
  logAnalysis: Record<string, number>;
}

export interface CheckScope {
  /** a finding of this check; `suffix` tells several findings of one check apart */
  finding(f: {
    severity: AuditSeverity;
    title: string;
    evidence: string;
    fix: string;
    suffix?: string;
  }): void;
  notChecked(note: string): void;
  note(text: string): void;
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
    async check(id, area, title, run) {
      const entry: AuditCheck = { id, area, title, status: 'pass' };
      checks.push(entry);
      if (deps.skip?.includes(id)) {
        entry.status = 'not checked';
        entry.note = 'skipped (--skip)';
        return;
      }
      const scope: CheckScope = {
        finding(f) {
          entry.status = 'finding';
          findings.push({
            id: f.suffix ? `${id}:${f.suffix}` : id,
            area,
            title: f.title,
            severity: f.severity,
            incidentLevel: INCIDENT_LEVEL[f.severity],
            evidence: f.evidence,
            fix: f.fix,
            runbook: runbookLink(deps.config, area),
          });
        },
        notChecked(note) {
          if (entry.status === 'pass') entry.status = 'not checked';
          entry.note = note;
        },
        note(text) {
          entry.note = entry.note ? `${entry.note}; ${text}` : text;
        },
      };
      try {
        await run(scope);
      } catch (e) {
        scope.finding({
          severity: 'warning',
          title: `${title}: the check itself failed`,
          evidence: (e as Error).message,
          fix: 'Run `rstream audit` again; if it keeps failing, the error names what it could not read.',
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
