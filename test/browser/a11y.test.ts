import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, speaker, startTestApp, type TestApp } from '../../packages/server/test/helpers.js';
import { a11yFindings, expectNoA11yViolations } from './a11y.js';
import { joinAs } from './flows.js';
import { launchBrowser, newContext, screenshot } from './harness.js';

/** Every screen of the app through axe-core (WCAG 2.1 A/AA): the suite fails on any violation. */
describe('accessibility of every screen', () => {
  let t: TestApp;
  let browser: Browser;
  let host: Page;
  let adminEmail: string;
  let session: { id: string; code: string };

  async function logIn(email: string): Promise<Page> {
    const ctx = await newContext(browser, { device: 'laptop' });
    const page = await ctx.newPage();
    await page.goto(`${t.url}/login`);
    await page.fill('input[name="email"]', email);
    await page.fill('input[name="password"]', 'correct-horse-1');
    await page.click('[data-testid="login-form"] button[type="submit"]');
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    return page;
  }

  beforeAll(async () => {
    t = await startTestApp('postgres', { TICK_MS: '100' });
    browser = await launchBrowser();
    const admin = await speaker(t.url, 'Ada Admin');
    adminEmail = admin.email;
    await t.app.db.kysely
      .updateTable('users')
      .set({ role: 'admin' })
      .where('id', '=', admin.userId)
      .execute();
    const created = (await api(t.url, 'POST', '/api/sessions', {
      body: { title: 'Accessible lecture', mode: 'presentation', settings: { graphVisibility: 'all' } },
      token: admin.token,
    })) as { body: { id: string; code: string } };
    session = created.body;
    await api(t.url, 'PUT', `/api/sessions/${session.id}`, { body: { status: 'live' }, token: admin.token });
    host = await logIn(adminEmail);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('the checker itself catches a contrast failure (so a clean screen means something)', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await page.setContent('<main><h1>Check</h1><p style="color:#aaa;background:#fff">faint text</p></main>');
    const findings = await a11yFindings(page);
    expect(findings.map((f) => f.rule)).toContain('color-contrast');
    await ctx.close();
  });

  it('home and join', async () => {
    const ctx = await newContext(browser, { device: 'phone' });
    const page = await ctx.newPage();
    await page.goto(`${t.url}/`);
    await page.locator('main h1, main h2').first().waitFor();
    await expectNoA11yViolations(page, 'home');
    await page.goto(`${t.url}/j/${session.code}`);
    await page.locator('[data-testid="join-name"]').waitFor();
    await expectNoA11yViolations(page, 'join');
    await ctx.close();
  });

  it('listener (en, ja), speaker live with a question', async () => {
    const en = await joinAs(browser, t.url, 'Ann', session.code, 'en-US');
    await en.locator('[data-testid="level-button-4"]:not([disabled])').waitFor();
    await en.keyboard.press('4');
    await en.locator('[data-testid="my-level"][data-level="4"]').waitFor();
    await expectNoA11yViolations(en, 'listener (en)');
    const ja = await joinAs(browser, t.url, '花子', session.code, 'ja-JP');
    await expectNoA11yViolations(ja, 'listener (ja)');
    await screenshot(ja, 'a11y-listener-ja');
    await en.keyboard.press('q');
    await en
      .locator('[data-testid="question-input"], textarea')
      .first()
      .fill('Could you repeat the last slide?');
    await en.keyboard.press('Enter');

    // One listener leaves: the speaker's list shows them offline.
    await ja.context().close();
    await host.goto(`${t.url}/host/${session.id}`);
    await host.locator('[data-testid="questions-list"] li').first().waitFor({ timeout: 15_000 });
    await host
      .getByText(/offline/i)
      .first()
      .waitFor({ timeout: 20_000 });
    await expectNoA11yViolations(host, 'speaker live + questions');
    await en.context().close();
  });

  it('create steps, sessions, admin, ops', async () => {
    await host.goto(`${t.url}/new`);
    await host.click('[data-testid="mode-presentation"]');
    await expectNoA11yViolations(host, 'create step 1');
    await host.click('[data-testid="create-next"]');
    await host.locator('[data-testid="presenter-me"]').waitFor();
    await expectNoA11yViolations(host, 'create step 2');
    await host.click('[data-testid="presenter-me"]');
    await host.click('[data-testid="create-next"]');
    await host.locator('[data-testid="create-title"]').waitFor();
    await expectNoA11yViolations(host, 'create step 3');
    await host.goto(`${t.url}/sessions`);
    await host.locator('main h1').first().waitFor();
    await expectNoA11yViolations(host, 'sessions');
    await host.goto(`${t.url}/admin`);
    await host.locator(`[data-testid="user-${adminEmail}"]`).waitFor();
    await expectNoA11yViolations(host, 'admin');
    await host.goto(`${t.url}/admin/ops`);
    await host.locator('main h1').first().waitFor();
    await host.waitForLoadState('networkidle').catch(() => {});
    await expectNoA11yViolations(host, 'ops');
  });

  it('speaker and listener after the session ended', async () => {
    const listener = await joinAs(browser, t.url, 'Late Lee', session.code);
    await listener.keyboard.press('q');
    await listener.locator('[data-testid="question-input"]').fill('Will the slides be shared?');
    await listener.keyboard.press('Enter');
    await listener.locator('[data-testid="question-status"]').waitFor();
    await host.goto(`${t.url}/host/${session.id}`);
    await host.click('[data-testid="end-session"]');
    await host.click('[data-testid="end-confirm-ok"]');
    await host.locator('[data-testid="session-status"][data-status="ended"]').waitFor();
    await host.locator('[data-testid="questions-list"] li').first().waitFor();
    await expectNoA11yViolations(host, 'speaker ended + questions');
    await listener.locator('[data-testid="ended-state"]').waitFor();
    await expectNoA11yViolations(listener, 'listener ended');
    await listener.context().close();
  });
});
