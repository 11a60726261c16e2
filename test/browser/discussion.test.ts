import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestApp, type TestApp } from '../../packages/server/test/helpers.js';
import { hostScreen, joinAs, registerSpeaker } from './flows.js';
import { startFrozenProxy } from './frozen-proxy.js';
import { launchBrowser, newContext, SHOT_DIR, trackErrors } from './harness.js';
import { expectNoA11yViolations } from './a11y.js';

async function shoot(target: Page | Locator, name: string): Promise<void> {
  mkdirSync(SHOT_DIR, { recursive: true });
  const file = path.join(SHOT_DIR, `${name}.png`);
  // The sticky footer would sit over the middle of a full-page picture.
  if ('goto' in target)
    await target.screenshot({ path: file, fullPage: true, style: 'footer { position: static !important; }' });
  else {
    await target.scrollIntoViewIfNeeded();
    await target.screenshot({ path: file, style: 'footer { visibility: hidden !important; }' });
  }
}

/** The header's language switch, as a person would (the page keeps its state). */
async function setLang(page: Page, lang: 'en' | 'ja'): Promise<void> {
  await page.locator(`button[lang="${lang}"]`).first().click();
  await page.locator(`html[lang="${lang}"]`).waitFor();
}

/** The averages the turns list shows, by speaker, once they read `want`. */
async function listedAverages(page: Page, want: Record<string, string>): Promise<void> {
  await expect
    .poll(
      async () => {
        const rows = page.locator('[data-testid="turn-row"]');
        const out: Record<string, string> = {};
        for (let i = 0; i < (await rows.count()); i++) {
          const row = rows.nth(i);
          out[(await row.getAttribute('data-speaker'))!] = await row
            .locator('[data-testid="turn-avg"]')
            .innerText();
        }
        return out;
      },
      { timeout: 20_000, interval: 250 },
    )
    .toEqual(want);
}

/**
 * Discussion mode with nobody facilitating: three phones, two turns marked from two of them with
 * "I am speaking"; every phone draws the turns as bands and lists each turn's average without the
 * speaker's own signals.
 */
describe('discussion mode in Chromium', () => {
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

  it('three participants, no facilitator: turns from two phones, bands on every phone, the right averages', async () => {
    const ctx = await newContext(browser, { device: 'laptop' });
    const host = await ctx.newPage();
    const hostErrors = trackErrors(host);
    await registerSpeaker(host, t.url, 'Dr. Host');

    // the create flow: discussion, nobody facilitates, materials and speakers listed in advance
    const discussionStep = async () => {
      await host.click('[data-testid="mode-discussion"]');
      await host.click('[data-testid="create-next"]');
      await host.click('[data-testid="facilitator-none"]');
      await host.click('[data-testid="materials-me"]');
      await host.click('[data-testid="materials-during"]');
    };
    await host.goto(`${t.url}/new`);
    await discussionStep();
    await host.fill('[data-testid="link-title"]', 'Agenda');
    await host.fill('[data-testid="link-url"]', 'https://example.org/agenda');
    await host.keyboard.press('Enter');
    for (const name of ['Alice', 'Bob', 'Carol']) {
      await host.fill('[data-testid="speaker-name"]', name);
      await host.click('[data-testid="add-speaker"]');
    }
    await host.locator('[data-testid="listed-speakers"] li').nth(2).waitFor();
    await expectNoA11yViolations(host, 'discussion-create-en');
    await shoot(host, 'discussion-create-en');
    await setLang(host, 'ja');
    await expectNoA11yViolations(host, 'discussion-create-ja');
    await shoot(host, 'discussion-create-ja');
    await setLang(host, 'en');
    await host.click('[data-testid="create-next"]');
    await host.fill('[data-testid="create-title"]', 'Round table');
    await host.click('[data-testid="create-submit"]');
    const { id, code } = await hostScreen(host);
    await host.locator('[data-testid="facilitator-panel"]').waitFor();
    await host.click('[data-testid="start-session"]');
    await host.locator('[data-testid="session-status"][data-status="live"]').waitFor();
    // a file as a material: uploaded by tus from the facilitator screen, listed to every phone
    await host.setInputFiles('[data-testid="material-upload"]', {
      name: 'Budget 2027.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n% a tiny test file\n'),
    });
    await host.locator('[data-testid="material-file"]', { hasText: 'Budget 2027.pdf' }).waitFor();

    const alice = await joinAs(browser, t.url, 'Alice', code, 'en-US');
    const bob = await joinAs(browser, t.url, 'Bob', code, 'en-US');
    const carol = await joinAs(browser, t.url, 'Carol', code, 'ja-JP');
    const phones = [alice, bob, carol];
    const errors = phones.map((p) => trackErrors(p));
    for (const p of phones) {
      const link = p.locator('[data-testid="material-file"] a', { hasText: 'Budget 2027.pdf' });
      await link.waitFor();
      expect(await link.getAttribute('href')).toMatch(
        /^\/api\/media\/materials\/[0-9a-f-]{36}\?exp=\d+&sig=/,
      );
    }
    // a second file while the phones are in: it reaches them by the server's push (no phone lists
    // the materials again), and so does its removal
    const listings = phones.map(() => 0);
    phones.forEach((p, i) =>
      p.on('request', (r) => {
        if (r.method() === 'GET' && new URL(r.url()).pathname.endsWith('/materials')) listings[i]!++;
      }),
    );
    await host.setInputFiles('[data-testid="material-upload"]', {
      name: 'Minutes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('Minutes of the round table\n'),
    });
    for (const p of phones)
      await p.locator('[data-testid="material-file"]', { hasText: 'Minutes.txt' }).waitFor();
    host.once('dialog', (d) => void d.accept());
    await host
      .locator('[data-testid="material-file"]', { hasText: 'Minutes.txt' })
      .locator('[data-testid="material-remove"]')
      .click();
    for (const p of [host, ...phones])
      await expect
        .poll(() => p.locator('[data-testid="material-file"]', { hasText: 'Minutes.txt' }).count())
        .toBe(0);
    for (const p of phones)
      expect(await p.locator('[data-testid="material-file"]', { hasText: 'Budget 2027.pdf' }).count()).toBe(
        1,
      );
    expect(listings).toEqual([0, 0, 0]);

    // Alice 5, Bob 2, Carol 2 — and nobody changes: each turn's average is its listeners' alone
    for (const [p, level] of [
      [alice, 5],
      [bob, 2],
      [carol, 2],
    ] as const) {
      await p.click(`[data-testid="level-button-${level}"]`);
      await p.locator(`[data-testid="my-level"][data-level="${level}"]`).waitFor();
    }
    await expect.poll(() => host.locator('[data-testid="participant-count"]').innerText()).toBe('3');

    // Alice marks her own turn from her phone; everyone sees it
    await alice.click('[data-testid="i-am-speaking"]');
    for (const p of [bob, carol])
      await p.locator('[data-testid="current-turn"]', { hasText: 'Alice' }).waitFor();
    await alice.locator('[data-testid="i-am-speaking"]', { hasText: 'I am done' }).waitFor();
    // long enough for the 3 s reaction lag and a few stored seconds
    await bob.locator('[data-testid="current-turn"]', { hasText: /0:0[6-9]/ }).waitFor({ timeout: 15_000 });

    // Bob marks his from his phone: Alice's turn closes
    await bob.click('[data-testid="i-am-speaking"]');
    await alice.locator('[data-testid="current-turn"]', { hasText: 'Bob' }).waitFor();
    await host.locator('[data-testid="current-turn"]', { hasText: 'Bob' }).waitFor();
    await carol.locator('[data-testid="current-turn"]', { hasText: /0:0[6-9]/ }).waitFor({ timeout: 15_000 });
    // the facilitator screen's running figure: Alice 5 and Carol 2, Bob's own 2 left out
    await host.locator('[data-testid="running-avg"]', { hasText: '3.50' }).waitFor();
    await expectNoA11yViolations(host, 'discussion-facilitator-en');
    await shoot(host, 'discussion-facilitator-en');
    await expectNoA11yViolations(alice, 'discussion-phone-en');
    await shoot(alice, 'discussion-phone-en');
    await expectNoA11yViolations(carol, 'discussion-phone-ja');
    await shoot(carol, 'discussion-phone-ja');
    await bob.click('[data-testid="i-am-speaking"]'); // "I am done"
    await alice.locator('[data-testid="current-turn"]', { hasText: 'Nobody' }).waitFor();

    // every phone draws both turns as labelled bands and lists the averages:
    // Alice's turn = Bob 2 and Carol 2 (her own 5 left out); Bob's = Alice 5 and Carol 2
    for (const p of phones) {
      await p.locator('[data-testid="listener-graph"] .uplot[data-turn-bands="Alice|Bob"]').waitFor();
      await listedAverages(p, { Alice: '2.00', Bob: '3.50' });
    }
    const server = await api<{ turns: { speaker: string; avg: number; n: number }[] }>(
      t.url,
      'GET',
      `/api/sessions/${id}/turns`,
      {
        token: await alice.evaluate(
          (sid) => JSON.parse(localStorage.getItem(`rstream.participant.${sid}`) ?? '{}').participantToken,
          id,
        ),
      },
    );
    expect(server.body.turns.map((x) => [x.speaker, x.avg, x.n])).toEqual([
      ['Alice', 2, 2],
      ['Bob', 3.5, 2],
    ]);

    // a phone whose Wi-Fi goes silent misses a push: it lists the materials again on reconnecting
    const u = new URL(t.url);
    const proxy = await startFrozenProxy({ host: u.hostname, port: Number(u.port) });
    try {
      const dora = await joinAs(browser, proxy.url, 'Dora', code, 'en-US');
      const late = (p: Page) => p.locator('[data-testid="material-file"]', { hasText: 'Late.txt' });
      await dora.locator('[data-testid="material-file"]', { hasText: 'Budget 2027.pdf' }).waitFor();
      proxy.freeze();
      await host.setInputFiles('[data-testid="material-upload"]', {
        name: 'Late.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('shared while Dora was away\n'),
      });
      await late(alice).waitFor();
      await dora
        .locator('[data-testid="connection-status"]:not([data-state="open"])')
        .waitFor({ timeout: 15_000 });
      expect(await late(dora).count()).toBe(0);
      proxy.thaw();
      await dora.locator('[data-testid="connection-status"][data-state="open"]').waitFor({ timeout: 20_000 });
      await late(dora).waitFor();
      await dora.context().close();
    } finally {
      await proxy.close();
    }

    await setLang(host, 'ja');
    await expectNoA11yViolations(host, 'discussion-facilitator-ja');
    await shoot(host, 'discussion-facilitator-ja');
    expect(hostErrors).toEqual([]);
    expect(errors.flat()).toEqual([]);
  }, 150_000);
});
