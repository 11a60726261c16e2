import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, speaker, startTestApp, type TestApp } from '../../packages/server/test/helpers.js';
import { expectNoA11yViolations } from './a11y.js';
import { joinAs } from './flows.js';
import { docsScreenshot, launchBrowser, newContext } from './harness.js';

/** The listener's screens this wave changed, in both languages: join, offline copy, retry code. */
describe('listener screens (en, ja)', () => {
  let t: TestApp;
  let browser: Browser;
  let code: string;
  beforeAll(async () => {
    t = await startTestApp('postgres', { TICK_MS: '100' });
    browser = await launchBrowser();
    const host = await speaker(t.url, 'Dr. 山田');
    const s = (await api(t.url, 'POST', '/api/sessions', {
      body: {
        title: '量子力学入門 — 第3回：波動関数と観測の問題についての長いタイトル',
        mode: 'presentation',
        settings: { graphVisibility: 'all' },
      },
      token: host.token,
    })) as { body: { id: string; code: string } };
    code = s.body.code;
    await api(t.url, 'PUT', `/api/sessions/${s.body.id}`, { body: { status: 'live' }, token: host.token });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  for (const [lang, locale] of [
    ['en', 'en-US'],
    ['ja', 'ja-JP'],
  ] as const) {
    it(`join (anonymous without a name), unknown code, listener offline from the phone's copy — ${lang}`, async () => {
      const ctx = await newContext(browser, { device: 'phone', locale });
      const page = await ctx.newPage();
      await page.goto(`${t.url}/j/${code}`);
      await page.fill('[data-testid="join-name"]', '');
      await page.locator('[data-testid="join-why-disabled"]').waitFor();
      await docsScreenshot(page, `join-needs-name-${lang}`);
      await page.click('[data-testid="join-anonymous"]');
      await expect.poll(() => page.locator('[data-testid="join-submit"]').isEnabled()).toBe(true);
      await page.goto(`${t.url}/j/ACDEFG`);
      await page.locator('[data-testid="join-retry-code"]').waitFor();
      expect(await page.locator('[data-testid="join-retry-code"]').inputValue()).toBe('ACDEFG');
      await expectNoA11yViolations(page, `join unknown code (${lang})`);
      await docsScreenshot(page, `join-unknown-code-${lang}`);
      await ctx.close();

      const listener = await joinAs(browser, t.url, lang === 'ja' ? '佐藤' : 'Sam', code, locale);
      // a tap, as on a phone (keys are checked in live-loop, a11y and speaker-screen)
      await listener.locator('[data-testid="level-button-4"]:not([disabled])').click();
      await listener.locator('[data-testid="my-level"][data-level="4"]').waitFor();
      await docsScreenshot(listener, `listener-${lang}`);
      // The service worker has stored the pages (after one visit)…
      await listener.evaluate(() => navigator.serviceWorker.ready.then(() => true));
      // …then the network goes away and the page is opened again from the phone's copy.
      await listener.context().setOffline(true);
      await listener.reload();
      await listener.locator('[data-testid="offline-copy"]').waitFor({ timeout: 20_000 });
      await expect.poll(() => listener.locator('[data-testid="level-button-2"]').isEnabled()).toBe(true);
      await expectNoA11yViolations(listener, `listener offline (${lang})`);
      await docsScreenshot(listener, `listener-offline-${lang}`);
      await listener.context().close();
    });
  }
});
