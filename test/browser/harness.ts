import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Screenshots the tests take, for people to look at (not committed from CI runs). */
export const SHOT_DIR = process.env.SCREENSHOT_DIR ?? path.join(root, 'test-results/screenshots');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
    ],
  });
}

export type Device = 'laptop' | 'phone';

/** A fresh browser profile (own localStorage and cookies) in the given language and device. */
export async function newContext(
  browser: Browser,
  opts: { locale?: 'en-US' | 'ja-JP'; device?: Device } = {},
): Promise<BrowserContext> {
  const phone = opts.device === 'phone';
  return browser.newContext({
    locale: opts.locale ?? 'en-US',
    viewport: phone ? { width: 390, height: 844 } : { width: 1440, height: 900 },
    deviceScaleFactor: 1,
    isMobile: phone,
    hasTouch: phone,
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOT_DIR, { recursive: true });
  const file = path.join(SHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

/** The committed screenshots (README, docs), rewritten only when asked. */
export const DOCS_SHOT_DIR = path.join(root, 'docs/screenshots');

/**
 * A screenshot into test-results, and into docs/screenshots only with UPDATE_DOCS_SCREENSHOTS=1
 * (a run of the suite leaves the committed pictures alone).
 */
export async function docsScreenshot(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  if (process.env.UPDATE_DOCS_SCREENSHOTS === '1')
    await page.screenshot({ path: path.join(DOCS_SHOT_DIR, `${name}.png`) });
}

/** Collects page errors so a test can assert the page did not throw. */
export function trackErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource|WebSocket/.test(m.text())) errors.push(m.text());
  });
  return errors;
}
