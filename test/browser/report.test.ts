import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../packages/server/test/helpers.js';
import { DEMO_EMAIL, runSeed } from '../../packages/server/src/ops/seed.js';
import { launchBrowser, newContext, SHOT_DIR, trackErrors } from './harness.js';
import { expectNoA11yViolations } from './a11y.js';

/** The whole page (the report is long), for people to look at. */
async function screenshot(page: Page, name: string) {
  mkdirSync(SHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SHOT_DIR, `${name}.png`), fullPage: true });
}

/**
 * The report page as a speaker meets it: from the ended session's footer to the report, whose
 * graph, key moments and summary show what the analysis found in the demo's dip (minutes
 * 8–11); a moment's card opens the playback at that time.
 */
describe('the session report in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let password = '';
  let sessionId = '';

  beforeAll(async () => {
    t = await startTestApp('pglite');
    const out = await runSeed(t.app.db.kysely, { publicUrl: t.url });
    password = /password: (\S+)/.exec(out)![1]!;
    sessionId = /\/host\/([0-9a-f-]{36})/.exec(out)![1]!;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signIn(locale: 'en-US' | 'ja-JP'): Promise<Page> {
    const ctx = await newContext(browser, { locale });
    const page = await ctx.newPage();
    await page.goto(`${t.url}/login`);
    await page.fill('input[name="email"]', DEMO_EMAIL);
    await page.fill('input[name="password"]', password);
    await page.click('[data-testid="login-form"] button[type="submit"]');
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    return page;
  }

  it('renders the report from the speaker screen, and a key moment opens the playback at its time', async () => {
    const page = await signIn('en-US');
    const errors = trackErrors(page);
    await page.goto(`${t.url}/host/${sessionId}`);
    await page.locator('[data-testid="report-link"]').click();
    await page.waitForURL(new RegExp(`/archive/${sessionId}/report$`));
    await page.locator('[data-testid="report-graph"] canvas').first().waitFor();
    await page.locator('[data-testid="report-summary"]').waitFor();
    const cards = page.locator('[data-testid="moment-card"]');
    await expect.poll(() => cards.count()).toBeGreaterThanOrEqual(2);
    const drop = page.locator('[data-testid="moment-card"][data-kind="drop"]').first();
    const recovery = page.locator('[data-testid="moment-card"][data-kind="recovery"]').first();
    await expect.poll(() => recovery.count()).toBe(1);
    expect(await drop.innerText()).toMatch(/The average fell from \d\.\d to \d\.\d/);
    const link = drop.locator('[data-testid="moment-play"]');
    const href = (await link.getAttribute('href'))!;
    const m = new RegExp(`^/archive/${sessionId}\\?t=(\\d+):(\\d\\d)$`).exec(href);
    expect(m, href).not.toBeNull();
    const minutes = Number(m![1]) + Number(m![2]) / 60;
    expect(minutes).toBeGreaterThan(5.5);
    expect(minutes).toBeLessThan(11);
    expect(await page.locator('[data-testid="report-questions"] li').count()).toBe(4);
    await expectNoA11yViolations(page, 'report-en');
    await screenshot(page, 'report-en');
    await link.click();
    await page.waitForURL(
      (u) => u.pathname === `/archive/${sessionId}` && u.searchParams.get('t') === href.split('t=')[1],
    );
    expect(errors).toEqual([]);
  });

  it('speaks Japanese', async () => {
    const page = await signIn('ja-JP');
    await page.goto(`${t.url}/archive/${sessionId}/report`);
    await page.locator('[data-testid="moment-card"]').first().waitFor();
    expect(await page.locator('h2', { hasText: '重要な場面' }).count()).toBe(1);
    expect(await page.locator('[data-testid="moment-card"][data-kind="drop"]').first().innerText()).toMatch(
      /下がりました/,
    );
    await page.locator('[data-testid="report-graph"] canvas').first().waitFor();
    await expectNoA11yViolations(page, 'report-ja');
    await screenshot(page, 'report-ja');
  });

  it('the export buttons hand over the PDF the server made', async () => {
    const login = await fetch(`${t.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: DEMO_EMAIL, password }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const res = await fetch(`${t.url}/api/sessions/${sessionId}/report.pdf?lang=ja`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    mkdirSync(SHOT_DIR, { recursive: true });
    writeFileSync(path.join(SHOT_DIR, 'report-demo.pdf'), pdf);
    const page = await signIn('en-US');
    await page.goto(`${t.url}/archive/${sessionId}/report`);
    const download = page.waitForEvent('download');
    await page.locator('[data-testid="export-csv"]').click();
    expect((await download).suggestedFilename()).toBe(`report-${sessionId}-seconds.csv`);
  });
});
