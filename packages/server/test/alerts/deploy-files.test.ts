import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/config.js';
import { renderPrometheusRules, RULES_FILE } from '../../src/ops/alerts/export-rules.js';
import { ruleByName, RULES } from '../../src/ops/alerts/rules.js';

const which = (bin: string) =>
  ['/usr/bin', '/usr/local/bin', '/bin'].map((d) => path.join(d, bin)).find((p) => existsSync(p));
const promtool = which('promtool');
const amtool = which('amtool');
const dir = mkdtempSync(path.join(tmpdir(), 'rstream-promtool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (bin: string, args: string[]) => {
  const r = spawnSync(bin, args, { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
};
const annotations = (name: string, summary: string) => {
  const r = ruleByName(name)!;
  return {
    summary,
    description: r.description,
    runbook_url: `https://github.com/RenRen62/R-Stream/blob/main/docs/runbooks/${r.runbook}.md`,
  };
};

describe('deploy/prometheus/rules.yml', () => {
  it('is the export of rules.ts (run `npm run rstream -- alerts export-rules` after changing the rules)', () => {
    expect(readFileSync(RULES_FILE, 'utf8')).toBe(renderPrometheusRules());
  });

  it.skipIf(!promtool)('passes `promtool check rules`', () => {
    const r = run(promtool!, ['check', 'rules', RULES_FILE]);
    expect(r.out).toMatch(/SUCCESS: \d+ rules found/);
    expect(r.code).toBe(0);
  });

  it.skipIf(!promtool)('fires in Prometheus as the in-process rules do (`promtool test rules`)', () => {
    const job = 'job="rstream", instance="a"';
    const test = {
      rule_files: [RULES_FILE],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            { series: `rstream_db_up{${job}}`, values: '1 1 0 0 0 0 0' },
            { series: `up{${job}}`, values: '1 0 0 0 0' },
            { series: `rstream_http_errors_total{${job}, route="/api/x", status="500"}`, values: '0+30x20' },
            {
              series: `rstream_http_request_duration_seconds_count{${job}, method="GET", route="/api/x", status="500"}`,
              values: '0+30x20',
            },
            {
              series: `rstream_http_request_duration_seconds_count{${job}, method="GET", route="/api/y", status="200"}`,
              values: '0+30x20',
            },
            { series: `rstream_disk_used_ratio{${job}, volume="data", path="/srv"}`, values: '0.5 0.95x30' },
          ],
          alert_rule_test: [
            { eval_time: '1m', alertname: 'DatabaseDown', exp_alerts: [] },
            {
              eval_time: '5m',
              alertname: 'DatabaseDown',
              exp_alerts: [
                {
                  exp_labels: { severity: 'critical', level: '1', job: 'rstream', instance: 'a' },
                  exp_annotations: annotations('DatabaseDown', 'The database does not answer a'),
                },
              ],
            },
            {
              eval_time: '3m',
              alertname: 'InstanceDown',
              exp_alerts: [
                {
                  exp_labels: { severity: 'critical', level: '1', job: 'rstream', instance: 'a' },
                  exp_annotations: annotations(
                    'InstanceDown',
                    'R-Stream instance a is down (Prometheus cannot scrape it)',
                  ),
                },
              ],
            },
            {
              eval_time: '12m',
              alertname: 'HighErrorRate',
              exp_alerts: [
                {
                  exp_labels: { severity: 'critical', level: '2', instance: 'a' },
                  exp_annotations: annotations(
                    'HighErrorRate',
                    'High error rate on a: 50% of requests fail with 5xx',
                  ),
                },
              ],
            },
            { eval_time: '3m', alertname: 'DiskCriticallyFull', exp_alerts: [] },
            {
              eval_time: '10m',
              alertname: 'DiskCriticallyFull',
              exp_alerts: [
                {
                  exp_labels: {
                    severity: 'critical',
                    level: '1',
                    instance: 'a',
                    volume: 'data',
                    path: '/srv',
                  },
                  exp_annotations: {
                    ...annotations(
                      'DiskCriticallyFull',
                      'Disk of the data folder on a is 95% full: writes will fail soon',
                    ),
                    description:
                      'The filesystem holding /srv is more than 90% used; the database, logs and recordings stop being written when it is full.',
                  },
                },
              ],
            },
          ],
        },
        {
          // no backup metric at all, on an instance started 27 h ago: BackupTooOld must still fire
          interval: '1h',
          input_series: [{ series: `rstream_process_start_time_seconds{${job}}`, values: '0x30' }],
          alert_rule_test: [
            { eval_time: '20h', alertname: 'BackupTooOld', exp_alerts: [] },
            {
              eval_time: '27h',
              alertname: 'BackupTooOld',
              exp_alerts: [
                {
                  exp_labels: { severity: 'warning', level: '2' },
                  exp_annotations: annotations(
                    'BackupTooOld',
                    'Last successful database backup was 1d 3h 0m 0s ago',
                  ),
                },
              ],
            },
          ],
        },
        {
          // the backup scheduler reports 0 until the first backup, then the finish time
          interval: '1h',
          input_series: [
            { series: `rstream_process_start_time_seconds{${job}}`, values: '0x60' },
            { series: `rstream_backup_last_success_timestamp_seconds{${job}}`, values: '0x4 14400x60' },
          ],
          alert_rule_test: [
            { eval_time: '3h', alertname: 'BackupTooOld', exp_alerts: [] }, // never, but the instance is young
            { eval_time: '20h', alertname: 'BackupTooOld', exp_alerts: [] }, // backed up at 4h: 16 h old
            {
              eval_time: '31h',
              alertname: 'BackupTooOld',
              exp_alerts: [
                {
                  exp_labels: { severity: 'warning', level: '2' },
                  exp_annotations: annotations(
                    'BackupTooOld',
                    'Last successful database backup was 1d 3h 0m 0s ago',
                  ),
                },
              ],
            },
          ],
        },
      ],
    };
    const file = path.join(dir, 'rules.test.yml');
    writeFileSync(file, JSON.stringify(test, null, 2)); // JSON is YAML
    const r = run(promtool!, ['test', 'rules', file]);
    expect(r.out).toContain('SUCCESS');
    expect(r.code).toBe(0);
  });
});

describe('docs/runbooks', () => {
  it('has a page per alert with the five steps, and the index links them all', () => {
    const index = readFileSync(path.join(REPO_ROOT, 'docs/runbooks/README.md'), 'utf8');
    for (const r of RULES) {
      const page = readFileSync(path.join(REPO_ROOT, `docs/runbooks/${r.runbook}.md`), 'utf8');
      expect(page, r.runbook).toContain(`# ${r.name}`);
      for (const step of [
        '## 1. Detect',
        '## 2. First response',
        '## 3. Investigate',
        '## 4. Recover',
        '## 5. Follow-up',
      ])
        expect(page, `${r.runbook}: ${step}`).toContain(step);
      expect(index).toContain(`(${r.runbook}.md)`);
    }
  });
});

describe('deploy/alertmanager/alertmanager.yml', () => {
  const file = path.join(REPO_ROOT, 'deploy/alertmanager/alertmanager.yml');
  it('routes by severity to the receivers the runbook names', () => {
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/severity="critical"'\]\s+receiver: critical/);
    expect(text).toMatch(/severity="warning"'\]\s+receiver: warning/);
    expect(text).toMatch(/severity="info"'\]\s+receiver: dashboard-only/);
  });
  it.skipIf(!amtool)('passes `amtool check-config`', () => {
    const r = run(amtool!, ['check-config', file]);
    expect(r.out).toContain('SUCCESS');
    expect(r.code).toBe(0);
  });
});

if (!promtool)
  console.warn('promtool not found (Debian package `prometheus`): the Prometheus rule checks are skipped');
if (!amtool)
  console.warn(
    'amtool not found (Debian package `prometheus-alertmanager`): the Alertmanager config check is skipped',
  );
