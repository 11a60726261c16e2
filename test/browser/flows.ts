import type { Browser, Page } from 'playwright-core';
import { newContext } from './harness.js';

/** What people do in the web app, step by step, shared by the browser tests. */

export async function registerSpeaker(page: Page, base: string, name = 'Dr. Host'): Promise<string> {
  const email = `host-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.test`;
  await page.goto(`${base}/register`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="username"]', name);
  await page.fill('input[name="password"]', 'correct-horse-1');
  await page.click('[data-testid="register-form"] button[type="submit"]');
  await page.waitForURL((u) => !u.pathname.startsWith('/register'));
  return email;
}

/** Walks the create flow (presentation mode). With presenter "me" it ends on the host screen. */
export async function createPresentation(
  page: Page,
  base: string,
  title: string,
  presenter: 'me' | 'someone' = 'me',
) {
  await page.goto(`${base}/new`);
  await page.click('[data-testid="mode-presentation"]');
  await page.click('[data-testid="create-next"]');
  await page.click(`[data-testid="presenter-${presenter}"]`);
  await page.click('[data-testid="create-next"]');
  await page.fill('[data-testid="create-title"]', title);
  await page.click('[data-testid="create-submit"]');
}

/** The host screen's session id and join code. */
export async function hostScreen(page: Page): Promise<{ id: string; code: string }> {
  await page.waitForURL(/\/host\/[0-9a-f-]{36}$/);
  const id = new URL(page.url()).pathname.split('/').pop()!;
  const code = (await page.locator('[data-testid="join-code"]').first().innerText()).replace(/\s/g, '');
  return { id, code };
}

export async function registerAndCreate(page: Page, base: string, title: string) {
  await registerSpeaker(page, base);
  await createPresentation(page, base, title);
  return hostScreen(page);
}

/** A listener on a phone of their own joins by code and waits until connected. */
export async function joinAs(
  browser: Browser,
  base: string,
  name: string,
  code: string,
  locale: 'en-US' | 'ja-JP' = 'en-US',
): Promise<Page> {
  const ctx = await newContext(browser, { device: 'phone', locale });
  const page = await ctx.newPage();
  await page.goto(`${base}/j/${code}`);
  await page.fill('[data-testid="join-name"]', name);
  await page.click('[data-testid="join-submit"]');
  await page.waitForURL(/\/s\/[0-9a-f-]{36}$/);
  await page.locator('[data-testid="connection-status"][data-state="open"]').waitFor();
  return page;
}
