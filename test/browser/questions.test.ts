import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../packages/server/test/helpers.js';
import { joinAs as joinWith, registerAndCreate as createWith } from './flows.js';
import { launchBrowser, newContext, SHOT_DIR, trackErrors } from './harness.js';

async function shoot(target: Locator, name: string): Promise<void> {
  mkdirSync(SHOT_DIR, { recursive: true });
  await target.scrollIntoViewIfNeeded();
  // The sticky footer would cover the bottom of the panel.
  await target.screenshot({
    path: path.join(SHOT_DIR, `${name}.png`),
    style: 'footer { visibility: hidden !important; }',
  });
}

/**
 * Questions as people use them: a listener asks with the keyboard, another votes, the speaker
 * sees it on top, answers it, and both listeners see the answer.
 */
describe('questions in Chromium', () => {
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestApp('postgres', { TICK_MS: '100' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const registerAndCreate = (page: Page, title: string) => createWith(page, t.url, title);
  const joinAs = (name: string, code: string, locale: 'en-US' | 'ja-JP') =>
    joinWith(browser, t.url, name, code, locale);

  /** Q, type, Enter — as a listener would. */
  async function askWithKeyboard(page: Page, text: string): Promise<void> {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('q');
    const input = page.locator('[data-testid="question-input"]');
    await input.waitFor();
    await expect.poll(() => input.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
    await page.locator(`[data-testid="question-item"][data-mine="true"]`, { hasText: text }).waitFor();
  }

  it('a listener asks with the keyboard, another votes, the speaker answers the top question, both see the answer', async () => {
    const ctx = await newContext(browser, { device: 'laptop' });
    const host = await ctx.newPage();
    const hostErrors = trackErrors(host);
    const { code } = await registerAndCreate(host, 'Questions in the browser');
    await host.click('[data-testid="start-session"]');
    await host.locator('[data-testid="session-status"][data-status="live"]').waitFor();

    const alice = await joinAs('Alice', code, 'en-US');
    const bob = await joinAs('Bob', code, 'ja-JP');
    const aliceErrors = trackErrors(alice);

    await askWithKeyboard(bob, 'スライドは後で共有されますか？');
    // Esc cancels without sending.
    await alice.keyboard.press('q');
    await alice.locator('[data-testid="question-input"]').fill('never mind');
    await alice.keyboard.press('Escape');
    await alice.locator('[data-testid="question-input"]').waitFor({ state: 'detached' });
    await askWithKeyboard(alice, 'What does the red line show exactly?');
    await expect
      .poll(() => host.locator('[data-testid="questions-unread"]').getAttribute('data-count'))
      .toBe('2');

    // Bob sees Alice's question live and votes with one click.
    const onBob = bob.locator('[data-testid="question-item"]', { hasText: 'red line' });
    await onBob.locator('[data-testid="question-vote"]').click();
    await expect.poll(() => onBob.getAttribute('data-votes')).toBe('1');
    await expect
      .poll(() => onBob.locator('[data-testid="question-vote"]').getAttribute('aria-pressed'))
      .toBe('true');

    // The speaker sees it at the top (sorted by votes) with one vote.
    const top = host.locator('[data-testid="questions-panel"] [data-testid="question-item"]').first();
    await expect.poll(() => top.innerText(), { timeout: 10_000 }).toContain('red line');
    await expect.poll(() => top.getAttribute('data-votes')).toBe('1');
    await shoot(host.locator('[data-testid="questions-panel"]'), 'questions-speaker-en');

    await top.locator('[data-testid="question-answer-input"]').fill('The audience average, live.');
    await top.locator('[data-testid="question-mark-answered"]').click();

    for (const page of [alice, bob]) {
      const item = page.locator('[data-testid="question-item"]', { hasText: 'red line' });
      await expect.poll(() => item.getAttribute('data-status'), { timeout: 10_000 }).toBe('answered');
      await expect
        .poll(() => item.locator('[data-testid="question-answer"]').innerText())
        .toContain('The audience average, live.');
    }
    await expect.poll(() => alice.locator('[data-testid="question-item"][data-mine="true"]').count()).toBe(1);
    await shoot(alice.locator('[data-testid="listener-questions"]'), 'questions-listener-en');
    await shoot(bob.locator('[data-testid="listener-questions"]'), 'questions-listener-ja');

    // The same panel in Japanese.
    await host.evaluate(() => localStorage.setItem('rstream.lang', 'ja'));
    await host.reload();
    const panel = host.locator('[data-testid="questions-panel"]');
    await expect
      .poll(() => panel.locator('[data-testid="question-item"]').count(), { timeout: 10_000 })
      .toBe(2);
    await expect.poll(() => panel.innerText()).toContain('回答済み');
    await shoot(panel, 'questions-speaker-ja');

    expect(hostErrors).toEqual([]);
    expect(aliceErrors).toEqual([]);
  });
});
