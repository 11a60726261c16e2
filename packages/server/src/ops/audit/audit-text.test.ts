import { describe, expect, it } from 'vitest';
import {
  CHECK_TITLES,
  FINDINGS,
  LANGS,
  NOTES,
  PHRASES,
  PROPOSALS,
  render,
  renderFinding,
  SLOT,
  type Bilingual,
  type FindingKey,
} from './audit-text.js';
import { createCollector, type AuditDeps } from './model.js';
import { actionPlan, proposals } from './report-text.js';

const slots = (t: string) => [...t.matchAll(SLOT)].map((m) => m[1]!).sort();
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

/** Every text of the catalog, named, as pairs of templates. */
const texts: Array<[string, Bilingual]> = [
  ...Object.entries(FINDINGS).flatMap(([k, f]) =>
    (['title', 'evidence', 'fix'] as const).map((field): [string, Bilingual] => [`${k}.${field}`, f[field]]),
  ),
  ...Object.entries(CHECK_TITLES).map(([k, t]): [string, Bilingual] => [`check ${k}`, t]),
  ...Object.entries(NOTES).map(([k, t]): [string, Bilingual] => [`note ${k}`, t]),
  ...Object.entries(PHRASES).map(([k, t]): [string, Bilingual] => [`phrase ${k}`, t]),
  ...Object.entries(PROPOSALS).map(([k, t]): [string, Bilingual] => [`proposal ${k}`, t]),
];

describe('the audit text catalog', () => {
  it('has every text in English and Japanese, with the same parameter names', () => {
    expect(texts.length).toBeGreaterThan(100);
    for (const [name, t] of texts) {
      for (const lang of LANGS) expect(t[lang].trim(), `${name} ${lang}`).not.toBe('');
      expect(slots(t.ja), name).toEqual(slots(t.en));
    }
  });

  it('says every finding title, check title and proposal in Japanese', () => {
    const worded = [
      ...Object.entries(FINDINGS).map(([k, f]): [string, string] => [k, f.title.ja]),
      ...Object.entries(CHECK_TITLES).map(([k, t]): [string, string] => [k, t.ja]),
      ...Object.entries(PROPOSALS).map(([k, t]): [string, string] => [k, t.ja]),
    ];
    for (const [k, ja] of worded) expect(ja, k).toMatch(JAPANESE);
  });

  it('leaves no placeholder behind once the parameters are given', () => {
    for (const [name, t] of texts)
      for (const lang of LANGS) {
        const params = Object.fromEntries(slots(t[lang]).map((s) => [s, `<${s}>`]));
        const out = render(t[lang], params, lang);
        expect(out, `${name} ${lang}`).not.toMatch(/\{[A-Za-z][A-Za-z0-9]*\}/);
        for (const v of Object.values(params)) expect(out).toContain(v);
      }
  });

  it('refuses a missing parameter and does not read parameters as templates', () => {
    expect(() => render('HOST={host}', {}, 'en')).toThrow(/no value for \{host\}/);
    expect(render('{a} and {b}', { a: '{b}', b: 'x' }, 'en')).toBe('{b} and x');
    expect(render('{w}', { w: { en: 'the bucket', ja: 'バケット' } }, 'ja')).toBe('バケット');
  });

  it('keeps the English wording that docs/security.md quotes', () => {
    const en = (key: FindingKey, params?: Record<string, string | number>) =>
      renderFinding(key, params, 'en');
    expect(en('api.metrics-token', { host: '0.0.0.0' })).toEqual({
      title: '/metrics is open beyond loopback',
      evidence: 'HOST=0.0.0.0, METRICS_TOKEN unset: anyone who reaches the port reads the metrics',
      fix: 'METRICS_TOKEN=$(openssl rand -hex 32) in .env (and the same bearer token in Prometheus), or HOST=127.0.0.1 behind the proxy',
    });
    expect(en('data.backup-age.none').fix).toBe(
      'npm run rstream -- backup  (then BACKUP_SCHEDULE=on keeps one per hour)',
    );
    expect(en('users.admins.none').evidence).toBe('users: 0 rows with role admin and not disabled');
    const rules = '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"}}]}';
    expect(en('data.s3-encryption.bucket', { bucket: 'b', error: 'E', rules }).fix).toBe(
      `aws s3api put-bucket-encryption --bucket b --server-side-encryption-configuration '${rules}'`,
    );
  });
});

describe('the collector', () => {
  const deps = {
    config: { AUDIT_PERIOD_DAYS: 31, ALERT_RUNBOOK_BASE_URL: 'https://runbooks.example/' },
    skip: ['system.os-updates'],
  } as unknown as AuditDeps;

  it('puts English in the plain fields and Japanese in `ja`, for findings, checks and the plan', async () => {
    const { collector, findings, checks } = createCollector(deps, new Date('2026-01-01T00:00:00Z'));
    await collector.check('api.cors', 'access', async (s) => {
      s.finding({ severity: 'critical', key: 'api.cors.any' });
      s.finding({
        severity: 'warning',
        key: 'api.cors.http',
        params: { origin: 'http://x.test' },
        suffix: 'http://x.test',
      });
      s.note('api.cors.list', { origins: '*, http://x.test' });
      s.note('api.cors.same-origin');
    });
    await collector.check('system.os-updates', 'system', async (s) => s.note('system.os-updates', { n: 1 }));
    await collector.check('data.transport-tls', 'data', async () => {
      throw new Error('Invalid URL');
    });

    expect(findings[1]).toMatchObject({
      id: 'api.cors:http://x.test',
      title: 'CORS allows a plain-http origin',
      evidence: 'CORS_ORIGINS contains http://x.test',
      fix: 'use https:// for http://x.test or remove it',
      ja: {
        title: 'CORS が暗号化なしの http のオリジンを許可している',
        evidence: 'CORS_ORIGINS に http://x.test が含まれている',
        fix: 'http://x.test を https:// にするか、削除する',
      },
    });
    expect(checks[0]).toMatchObject({
      title: 'CORS allow-list',
      note: 'allow-list: *, http://x.test; same-origin only',
      ja: { title: 'CORS の許可リスト', note: '許可リスト: *, http://x.test / 同一オリジンのみ' },
    });
    expect(checks[1]).toMatchObject({
      status: 'not checked',
      note: 'skipped (--skip)',
      ja: { note: 'スキップ（--skip）' },
    });
    expect(findings[2]).toMatchObject({
      id: 'data.transport-tls:error',
      title: 'TLS to PostgreSQL and Redis beyond loopback: the check itself failed',
      evidence: 'Invalid URL',
      ja: {
        title: 'ループバック外の PostgreSQL・Redis への TLS: チェック自体が失敗した',
        evidence: 'Invalid URL',
      },
    });

    expect(actionPlan(findings).now).toEqual([
      '[api.cors] CORS allows any origin — CORS_ORIGINS= (same-origin only) or the exact list, e.g. CORS_ORIGINS=https://app.example.com',
    ]);
    expect(actionPlan(findings, 'ja').now).toEqual([
      '[api.cors] CORS がすべてのオリジンを許可している — CORS_ORIGINS=（同一オリジンのみ）、または正確なリスト（例: CORS_ORIGINS=https://app.example.com）',
    ]);
    expect(proposals(findings)).toEqual([PROPOSALS.access.en, PROPOSALS.data.en]);
    expect(proposals(findings, 'ja')).toEqual([PROPOSALS.access.ja, PROPOSALS.data.ja]);
    expect(proposals([], 'ja')).toEqual([PROPOSALS.none.ja]);
    // a finding stored without Japanese: the plan keeps its English
    const old = findings.map(({ ja: _ja, ...f }) => f);
    expect(actionPlan(old, 'ja').now).toEqual(actionPlan(old).now);
  });
});
