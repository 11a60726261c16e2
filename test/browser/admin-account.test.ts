import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, speaker, startTestApp, type TestApp } from '../../packages/server/test/helpers.js';
import { launchBrowser, newContext, screenshot, trackErrors } from './harness.js';
import { expectNoA11yViolations } from './a11y.js';

/** The admin page (users, security trail) and the account page (password, deletion) in Chromium. */
describe('admin and account pages in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    t = await startTestApp('postgres');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function logIn(email: string, password = 'correct-horse-1'): Promise<Page> {
    const ctx = await newContext(browser, { device: 'laptop' });
    const page = await ctx.newPage();
    await page.goto(`${t.url}/login`);
    await page.fill('input[name="email"]', email);
    await page.fill('input[name="password"]', password);
    await page.click('[data-testid="login-form"] button[type="submit"]');
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    return page;
  }

  it('lets an admin disable a user and find the failed sign-ins in the security trail', async () => {
    const admin = await speaker(t.url, 'Ada Admin');
    await t.app.db.kysely
      .updateTable('users')
      .set({ role: 'admin' })
      .where('id', '=', admin.userId)
      .execute();
    const target = await speaker(t.url, 'Tom Target');
    await api(t.url, 'POST', '/api/auth/login', {
      body: { email: target.email, password: 'not-his-password-1' },
    });

    const page = await logIn(admin.email);
    const errors = trackErrors(page);
    await page.click('a[href="/admin"]');
    const row = page.locator(`[data-testid="user-${target.email}"]`);
    await row.waitFor();
    await row.getByRole('button', { name: 'Disable' }).click();
    await expect.poll(() => row.innerText()).toContain('Disabled');
    expect((await api(t.url, 'GET', '/api/sessions', { token: target.token })).status).toBe(403);

    await page.click('[data-testid="tab-audit"]');
    await page.selectOption('[data-testid="audit-type"]', 'login_failed');
    await page.click('[data-testid="audit-apply"]');
    await expect
      .poll(async () => (await page.locator('[data-testid="audit-row"]').allInnerTexts()).join('\n'), {
        timeout: 10_000,
      })
      .toContain(target.email);
    const types = await page.locator('[data-testid="audit-row"] td:nth-child(2)').allInnerTexts();
    expect(types.every((x) => x === 'login_failed')).toBe(true);
    await expectNoA11yViolations(page, 'admin-audit');
    await screenshot(page, 'admin-audit');
    expect(errors).toEqual([]);
  });

  it('changes the password from the account page, and deletes the account', async () => {
    const me = await speaker(t.url, 'Carla');
    const page = await logIn(me.email);
    const errors = trackErrors(page);
    await page.goto(`${t.url}/account`);
    const form = page.locator('[data-testid="password-form"]');
    await form.locator('input[autocomplete="current-password"]').fill('correct-horse-1');
    await form.locator('input[autocomplete="new-password"]').fill('short');
    expect(await form.innerText()).toMatch(/at least 10 characters/);
    await expectNoA11yViolations(page, 'account page with a refused password');
    await form.locator('input[autocomplete="new-password"]').fill('brand-new-pass-2');
    await page.click('[data-testid="password-submit"]');
    await expect.poll(() => form.innerText()).toMatch(/Password changed/);
    expect(
      (
        await api(t.url, 'POST', '/api/auth/login', {
          body: { email: me.email, password: 'brand-new-pass-2' },
        })
      ).status,
    ).toBe(200);

    const del = page.locator('[data-testid="delete-form"]');
    await del.locator('input[type="password"]').fill('brand-new-pass-2');
    await del.locator('input[type="checkbox"]').check();
    await page.click('[data-testid="delete-submit"]');
    await page.waitForURL((u) => u.pathname === '/');
    expect(
      (
        await api(t.url, 'POST', '/api/auth/login', {
          body: { email: me.email, password: 'brand-new-pass-2' },
        })
      ).status,
    ).toBe(401);
    expect(errors).toEqual([]);
  });
});
