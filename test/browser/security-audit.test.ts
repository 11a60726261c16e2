import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { speaker, startTestApp, type TestApp } from '../../packages/server/test/helpers.js';
import { docsScreenshot, launchBrowser, newContext, trackErrors } from './harness.js';
import { expectNoA11yViolations } from './a11y.js';

const MACHINE = { skip: ['system.os-updates'], npmRegistry: 'http://127.0.0.1:9' };

/** One finding of the page, by its id. */
function finding(page: Page, id: string) {
  const item = page.locator('[data-testid="sa-finding"]', { hasText: id });
  return {
    item,
    title: item.locator('[data-testid="sa-finding-title"]'),
    fix: item.locator('[data-testid="sa-finding-fix"]'),
  };
}

/** Admin → Security audit in Chromium: the report, the trend, accepting a risk; en and ja. */
describe('security audit page in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let admin: { email: string; userId: string };
  beforeAll(async () => {
    t = await startTestApp('pglite', { HOST: '0.0.0.0', CORS_ORIGINS: '*' });
    browser = await launchBrowser();
    admin = await speaker(t.url, 'Ada Admin');
    await t.app.db.kysely
      .updateTable('users')
      .set({ role: 'admin' })
      .where('id', '=', admin.userId)
      .execute();
    // a previous report (weaker), then today's: the page shows what was resolved since
    await t.app.securityAudit.run({ trigger: 'test' }, { baseUrl: t.url, ...MACHINE });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function openAs(locale: 'en-US' | 'ja-JP'): Promise<Page> {
    const ctx = await newContext(browser, { device: 'laptop', locale });
    const page = await ctx.newPage();
    await page.goto(`${t.url}/login`);
    await page.fill('input[name="email"]', admin.email);
    await page.fill('input[name="password"]', 'correct-horse-1');
    await page.click('[data-testid="login-form"] button[type="submit"]');
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.goto(`${t.url}/admin#security-audit`);
    await page.locator('[data-testid="security-audit"]').waitFor();
    return page;
  }

  it('shows the latest report and its trend, and accepts a risk with a reason and an expiry', async () => {
    await t.app.securityAudit.run({ trigger: 'test' }, { baseUrl: t.url, ...MACHINE });
    const page = await openAs('en-US');
    const errors = trackErrors(page);
    await expect.poll(() => page.locator('[data-testid="sa-result"]').innerText()).toContain('exit 2');
    expect(await page.locator('[data-testid="sa-trend"]').innerText()).toMatch(/Since the previous report/);
    expect(await finding(page, 'api.metrics-token').title.innerText()).toBe(
      '/metrics is open beyond loopback',
    );
    const cors = page.locator('[data-testid="sa-finding"]', { hasText: 'api.cors' });
    await cors.getByRole('button', { name: 'Accept risk' }).click();
    await cors.locator('textarea').fill('Development instance only; closed network, reviewed by ops.');
    await cors.getByRole('button', { name: 'Accept', exact: true }).click();
    await expect.poll(() => page.locator('[data-testid="sa-acceptances"]').innerText()).toContain('api.cors');
    const trail = await t.app.db.kysely
      .selectFrom('audit_events')
      .select('target_id')
      .where('type', '=', 'security_risk_accepted')
      .execute();
    expect(trail.map((r) => r.target_id)).toContain('api.cors');
    // the next run no longer counts it
    await t.app.securityAudit.run({ trigger: 'test' }, { baseUrl: t.url, ...MACHINE });
    await page.reload();
    await expect.poll(() => page.locator('[data-testid="sa-count-accepted"]').innerText()).toBe('1');
    await expectNoA11yViolations(page, 'admin-audit-en');
    await docsScreenshot(page, 'admin-audit-en');
    expect(errors).toEqual([]);
  });

  it('is in Japanese for a Japanese browser, findings included', async () => {
    const page = await openAs('ja-JP');
    const errors = trackErrors(page);
    await expect.poll(() => page.locator('#sa-title').innerText()).toBe('最新の監査レポート');
    expect(await page.locator('[data-testid="sa-result"]').innerText()).toContain('重大な指摘あり');
    const metrics = finding(page, 'api.metrics-token');
    expect(await metrics.title.innerText()).toBe('/metrics がループバックの外に公開されている');
    expect(await metrics.fix.innerText()).toBe(
      '.env に METRICS_TOKEN=$(openssl rand -hex 32)（Prometheus にも同じ Bearer トークン）、またはプロキシの背後で HOST=127.0.0.1',
    );
    expect(await metrics.item.innerText()).toContain('HOST=0.0.0.0、METRICS_TOKEN 未設定');
    expect(await page.locator('[data-testid="sa-proposals"]').innerText()).toContain('アクセス制御:');
    await expect
      .poll(() => page.getByText('[api.metrics-token] /metrics がループバックの外に公開されている —').count())
      .toBe(1);
    await expectNoA11yViolations(page, 'admin-audit-ja');
    await docsScreenshot(page, 'admin-audit-ja');

    // a report stored before the audit spoke Japanese: its findings in English, the page in Japanese
    const { report } = await t.app.securityAudit.run(
      { trigger: 'test', save: false },
      { baseUrl: t.url, ...MACHINE },
    );
    const { ja: _ja, ...old } = report;
    await t.app.securityAudit.store.save(
      {
        ...old,
        id: randomUUID(),
        findings: old.findings.map(({ ja: _f, ...f }) => f),
        accepted: old.accepted.map(({ ja: _f, ...f }) => f),
        checks: old.checks.map(({ ja: _c, ...c }) => c),
      },
      null,
    );
    await page.reload();
    await expect
      .poll(() => finding(page, 'api.metrics-token').title.innerText())
      .toBe('/metrics is open beyond loopback');
    expect(await page.locator('#sa-title').innerText()).toBe('最新の監査レポート');
    expect(errors).toEqual([]);
  });
});
