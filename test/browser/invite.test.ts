import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../packages/server/test/helpers.js';
import { createPresentation, registerSpeaker } from './flows.js';
import { launchBrowser, newContext, screenshot, trackErrors } from './harness.js';
import { expectNoA11yViolations } from './a11y.js';

/**
 * "Someone else presents": the host creates a session with an invited presenter, copies the link
 * from the invite dialog; the presenter opens it, gives a name and gets the speaker's screen in
 * presenter role — starts the session and sees a listener's signal. The link then works no more.
 */
describe('inviting a presenter in Chromium', () => {
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

  it('hands the stage over by link', async () => {
    const hostCtx = await newContext(browser, { device: 'laptop' });
    const host = await hostCtx.newPage();
    const hostErrors = trackErrors(host);
    await registerSpeaker(host, t.url, 'Hana Host');
    await createPresentation(host, t.url, 'Guest keynote', 'someone');

    await host.locator('[data-testid="invite-dialog"] [data-testid="invite-form"]').waitFor();
    await host.click('[data-testid="invite-create"]');
    const urlField = host.locator('[data-testid="invite-url"]');
    await urlField.waitFor();
    const link = await urlField.inputValue();
    expect(link).toMatch(new RegExp(`^${t.url}/invite/i_[A-Za-z0-9_-]{43}$`));
    await expectNoA11yViolations(host, 'invite-dialog');
    await screenshot(host, 'invite-dialog');
    await host.click('[data-testid="invite-done"]');
    await host.waitForURL(/\/host\/[0-9a-f-]{36}$/);
    const sessionId = new URL(host.url()).pathname.split('/').pop()!;
    const code = (await host.locator('[data-testid="join-code"]').first().innerText()).replace(/\s/g, '');

    // the presenter, in another browser
    const presCtx = await newContext(browser, { device: 'laptop', locale: 'ja-JP' });
    const presenter = await presCtx.newPage();
    const presenterErrors = trackErrors(presenter);
    await presenter.goto(link);
    await presenter.locator('[data-testid="invite-accept-form"]').waitFor();
    expect(await presenter.locator('[data-testid="invite-accept-form"]').innerText()).toContain(
      'Guest keynote',
    );
    await presenter.fill('input[name="displayName"]', 'Pia Presenter');
    await presenter.click('[data-testid="invite-accept"]');
    await presenter.waitForURL(new RegExp(`/present/${sessionId}$`));
    await presenter.locator('[data-testid="connection-status"][data-state="open"]').waitFor();
    // the speaker's screen: join code, start button; no invite button for presenters
    expect(
      (await presenter.locator('[data-testid="join-code"]').first().innerText()).replace(/\s/g, ''),
    ).toBe(code);
    expect(await presenter.locator('[data-testid="invite-open"]').count()).toBe(0);
    await presenter.click('[data-testid="start-session"]');
    await presenter.locator('[data-testid="session-status"][data-status="live"]').waitFor();
    await host.locator('[data-testid="session-status"][data-status="live"]').waitFor();

    // a listener signals; the presenter sees it like the host does
    const listenerCtx = await newContext(browser, { device: 'phone' });
    const listener = await listenerCtx.newPage();
    await listener.goto(`${t.url}/j/${code}`);
    await listener.fill('[data-testid="join-name"]', 'Lou');
    await listener.click('[data-testid="join-submit"]');
    await listener.locator('[data-testid="connection-status"][data-state="open"]').waitFor();
    await listener.keyboard.press('4');
    await expect
      .poll(() => presenter.locator('[data-testid="current-average"]').innerText(), { timeout: 10_000 })
      .toContain('4.00');
    await expect
      .poll(
        async () => (await presenter.locator('[data-testid="participant-row"]').allInnerTexts()).join(' '),
        { timeout: 10_000 },
      )
      .toContain('Lou');
    await expectNoA11yViolations(presenter, 'presenter-screen');
    await screenshot(presenter, 'presenter-screen');

    // the link was single-use
    const lateCtx = await newContext(browser, { device: 'laptop' });
    const late = await lateCtx.newPage();
    await late.goto(link);
    await expect
      .poll(() => late.locator('[data-testid="invite-error"]').innerText(), { timeout: 10_000 })
      .toMatch(/already been used/);

    expect(hostErrors).toEqual([]);
    expect(presenterErrors).toEqual([]);
  });
});
