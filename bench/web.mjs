// `npm run bench:web [-- --ref <git rev>] [--runs N]`: the listener's page as a phone meets it.
// Builds the web app (and, with --ref, the web app and server of that revision too), serves each
// with its own server on loopback, and measures in Chromium:
//   - the JavaScript a listener downloads on a first visit (join page → listener page), as sent
//     (compressed when the server compresses) and uncompressed;
//   - the time from navigation start until the level buttons are enabled, cold (empty cache, new
//     profile) and warm (same profile, second visit) — medians of N runs, the variants' runs
//     alternating so that the machine's changing load weighs on each alike.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { freePort, installExitHandlers } from './lib/proc.mjs';
import {
  buildServerAtRef,
  ensureServerBuilt,
  ROOT,
  setUpLiveSession,
  startRstreamServer,
  WORKTREE_MAIN,
} from './lib/rstream-server.mjs';

const TARGETS = { jsKb: 70, coldMs: 400, warmMs: 150 };
const { values: args } = parseArgs({
  options: {
    ref: { type: 'string' },
    runs: { type: 'string', default: '5' },
    // prints one cold and one warm load of each variant as a waterfall (what the buttons wait for)
    waterfall: { type: 'boolean', default: false },
  },
});
const RUNS = Math.max(1, Number(args.runs) || 5);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

installExitHandlers();

function buildWebHere() {
  console.log('Building the web app (this tree)…');
  const r = spawnSync('npm', ['run', 'build', '-w', '@rstream/web'], { cwd: ROOT, stdio: 'ignore' });
  if (r.status !== 0) throw new Error('web build failed');
  return path.join(ROOT, 'apps/web/dist');
}

/** The web app as committed at `ref`, built with its own vite config and protocol package. */
async function buildWebAtRef(ref) {
  const sha = execFileSync('git', ['rev-parse', '--verify', `${ref}^{commit}`], { cwd: ROOT })
    .toString()
    .trim();
  const dir = path.join(ROOT, 'node_modules/.cache/rstream-bench', `web-${sha.slice(0, 12)}`);
  const dist = path.join(dir, 'apps/web/dist');
  if (existsSync(path.join(dist, 'index.html'))) return { dist, sha };
  console.log(`Building the web app at ${ref} (${sha.slice(0, 12)})…`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tar = execFileSync('git', ['archive', '--format=tar', sha, 'apps/web', 'packages/protocol'], {
    cwd: ROOT,
    maxBuffer: 1 << 28,
  });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  // The web workspace's own packages (vite plugins, and React for older revisions).
  symlinkSync(path.join(ROOT, 'apps/web/node_modules'), path.join(dir, 'apps/web/node_modules'));
  const { build } = await import('vite');
  await build({
    root: path.join(dir, 'apps/web'),
    configFile: path.join(dir, 'apps/web/vite.config.ts'),
    configLoader: 'runner',
    logLevel: 'warn',
    resolve: {
      alias: [
        { find: /^@rstream\/protocol$/, replacement: path.join(dir, 'packages/protocol/src/index.ts') },
        {
          find: /^@rstream\/protocol\/light$/,
          replacement: path.join(dir, 'packages/protocol/src/light.ts'),
        },
      ],
    },
  });
  return { dist, sha };
}

async function startServer(main, dist) {
  const port = await freePort(4600, 4700);
  const before = process.env.WEB_DIST_DIR;
  process.env.WEB_DIST_DIR = dist;
  try {
    return await startRstreamServer(port, { main });
  } finally {
    if (before === undefined) delete process.env.WEB_DIST_DIR;
    else process.env.WEB_DIST_DIR = before;
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function phone(browser, extra = {}) {
  return browser.newContext({
    ...extra,
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    locale: 'en-US',
  });
}

// Runs in the page before its scripts: notes when the level buttons first become enabled.
const WATCH_BUTTONS = `(() => {
  const done = () => {
    const b = document.querySelector('[data-testid="level-button-3"]');
    if (b && !b.disabled && window.__levelsAt === undefined) window.__levelsAt = performance.now();
  };
  new MutationObserver(done).observe(document, { subtree: true, childList: true, attributes: true });
})();`;

/** The page's requests (start → end, ms since navigation) and when the buttons were enabled. */
async function waterfall(page) {
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const rows = [['document', 0, nav ? nav.responseEnd : 0, nav ? nav.transferSize : 0]];
    for (const r of performance.getEntriesByType('resource'))
      rows.push([new URL(r.name).pathname, r.startTime, r.responseEnd, r.transferSize]);
    const marks = [['DOMContentLoaded', nav ? nav.domContentLoadedEventEnd : 0]];
    for (const p of performance.getEntriesByType('paint')) marks.push([p.name, p.startTime]);
    marks.push(['level buttons enabled', window.__levelsAt]);
    return { rows, marks };
  });
}

function printWaterfall(label, w) {
  if (!w) return;
  console.log(`\nWaterfall, ${label} (ms since navigation start; transfer bytes, 0 = from cache)`);
  for (const [name, start, end, bytes] of w.rows)
    console.log(
      `  ${String(Math.round(start)).padStart(5)} → ${String(Math.round(end)).padStart(5)}  ${String(bytes).padStart(7)}  ${name}`,
    );
  for (const [name, at] of w.marks) console.log(`  ${String(Math.round(at)).padStart(5)}  ${name}`);
}

async function timeToLevels(page, url) {
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__levelsAt !== undefined, null, { timeout: 30_000 });
  return page.evaluate(() => window.__levelsAt);
}

const seedStorage = (stored) =>
  `(() => { const s = ${JSON.stringify(stored)}; for (const k in s) localStorage.setItem(k, s[k]); })();`;

/**
 * One variant (a build served by its server), up to its timed runs: the first visit's JS, and a
 * warm profile ready to come back. The timed runs of all variants then alternate (ref, this
 * tree, ref, …) so that a change in the machine's load (other jobs) falls on both alike.
 */
async function prepare(browser, label, main, dist) {
  const server = await startServer(main, dist);
  const live = await setUpLiveSession(server.url);
  // First visit: the join page, then the listener page, in a fresh profile. Service workers
  // blocked here, so every byte is the page's own download (a precache is counted apart).
  const ctx = await phone(browser, { serviceWorkers: 'block' });
  const page = await ctx.newPage();
  const js = [];
  let collecting = true;
  page.on('requestfinished', (req) => {
    if (!collecting) return;
    if (req.resourceType() === 'script' || /\.m?js(\?|$)/.test(req.url())) {
      js.push(
        req
          .sizes()
          .then(async (s) => {
            const res = await req.response();
            const raw = res ? (await res.body().catch(() => Buffer.alloc(0))).length : 0;
            return { url: req.url(), sent: s.responseBodySize, raw };
          })
          .catch(() => null),
      );
    }
  });
  await page.addInitScript(WATCH_BUTTONS);
  await page.goto(`${server.url}/j/${live.code}`);
  await page.fill('[data-testid="join-name"]', 'Bench phone');
  await page.click('[data-testid="join-submit"]');
  await page.waitForURL(/\/s\/[0-9a-f-]{36}$/);
  await page.waitForFunction(() => window.__levelsAt !== undefined, null, { timeout: 30_000 });
  // Everything the first visit downloads counts, also what loads after the buttons (the graph's
  // chunks): wait until the network is quiet before adding up.
  await page.waitForLoadState('networkidle');
  collecting = false;
  const files = (await Promise.all(js)).filter((f) => f !== null);
  const stored = await page.evaluate(() => {
    const out = {};
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      out[k] = localStorage.getItem(k);
    }
    return out;
  });
  const listenerUrl = page.url();
  await ctx.close();
  // Warm: a profile that visited once comes back (HTTP cache, and a service worker where the
  // build has one — its precache download is counted here).
  const warmCtx = await phone(browser);
  await warmCtx.addInitScript(seedStorage(stored));
  await warmCtx.addInitScript(WATCH_BUTTONS);
  const v = { label, server, files, stored, listenerUrl, warmCtx, precache: 0, cold: [], warm: [] };
  warmCtx.on('requestfinished', (req) => {
    if (req.serviceWorker()) void req.sizes().then((z) => (v.precache += Math.max(0, z.responseBodySize)));
  });
  v.warmPage = await warmCtx.newPage();
  await timeToLevels(v.warmPage, listenerUrl);
  // A build with a service worker: wait until it controls the page (its precache is done).
  // getRegistration() is a promise — await it: a build without one (older refs) has none, and
  // waiting on `ready` there would wait forever.
  await v.warmPage
    .evaluate(async () => {
      if (!('serviceWorker' in navigator)) return false;
      const reg = await navigator.serviceWorker.getRegistration();
      if (!reg) return false;
      await Promise.race([navigator.serviceWorker.ready, new Promise((r) => setTimeout(r, 10_000))]);
      return true;
    })
    .catch(() => false);
  await v.warmPage.goto('about:blank'); // idle while the other variants prepare
  return v;
}

/** A cold load: a new profile that already holds the participant (as after a join). */
async function coldRun(browser, v, keepWaterfall) {
  const c = await phone(browser);
  try {
    await c.addInitScript(seedStorage(v.stored));
    await c.addInitScript(WATCH_BUTTONS);
    const p = await c.newPage();
    v.cold.push(await timeToLevels(p, v.listenerUrl));
    if (keepWaterfall) v.coldWaterfall = await waterfall(p);
  } finally {
    await c.close();
  }
}

function summary(v) {
  return {
    label: v.label,
    files: v.files,
    jsSent: v.files.reduce((a, f) => a + f.sent, 0),
    jsRaw: v.files.reduce((a, f) => a + f.raw, 0),
    precache: v.precache,
    coldMs: median(v.cold),
    warmMs: median(v.warm),
    coldAll: v.cold,
    warmAll: v.warm,
    coldWaterfall: v.coldWaterfall ?? null,
    warmWaterfall: v.warmWaterfall ?? null,
  };
}

const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
const ms = (x) => `${Math.round(x)} ms`;

async function main() {
  const variants = [];
  if (args.ref) {
    const web = await buildWebAtRef(args.ref);
    const server = await buildServerAtRef(args.ref);
    variants.push({ label: `ref ${args.ref} (${web.sha.slice(0, 8)})`, main: server.main, dist: web.dist });
  }
  ensureServerBuilt();
  variants.push({ label: 'this tree', main: WORKTREE_MAIN, dist: buildWebHere() });

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  const prepared = [];
  let results;
  try {
    for (const v of variants) {
      console.log(`Preparing ${v.label}…`);
      prepared.push(await prepare(browser, v.label, v.main, v.dist));
    }
    console.log(`Timing ${RUNS} warm and ${RUNS} cold loads of each, alternating…`);
    for (let i = 0; i < RUNS; i++)
      for (const v of prepared) {
        // A phone has one page open: between its timed loads a variant's page waits on
        // about:blank (its socket, clock and graph stopped), taking no CPU from the other
        // variant's load. Before it is timed it opens the listener page again (untimed: a new
        // tab process starts for it), and the timed load is the second visit in that tab.
        await timeToLevels(v.warmPage, v.listenerUrl);
        v.warm.push(await timeToLevels(v.warmPage, v.listenerUrl));
        if (args.waterfall && i === RUNS - 1) v.warmWaterfall = await waterfall(v.warmPage);
        await v.warmPage.goto('about:blank');
      }
    for (const v of prepared) await v.warmCtx.close();
    for (let i = 0; i < RUNS; i++)
      for (const v of prepared) await coldRun(browser, v, args.waterfall && i === RUNS - 1);
    results = prepared.map(summary);
  } finally {
    for (const v of prepared) await v.server.stop().catch(() => {});
    await browser.close();
  }

  const rows = [
    ['listener JS, first visit, as sent', (r) => kb(r.jsSent), `≤ ${TARGETS.jsKb} KB`],
    ['listener JS, uncompressed', (r) => kb(r.jsRaw), ''],
    ['JS files', (r) => String(r.files.length), ''],
    ['service worker precache (once, in the background)', (r) => kb(r.precache), ''],
    [`level buttons enabled, cold (median of ${RUNS})`, (r) => ms(r.coldMs), `≤ ${TARGETS.coldMs} ms`],
    [`level buttons enabled, warm (median of ${RUNS})`, (r) => ms(r.warmMs), `≤ ${TARGETS.warmMs} ms`],
    ['cold runs (ms, in order)', (r) => r.coldAll.map(Math.round).join(' '), ''],
    ['warm runs (ms, in order)', (r) => r.warmAll.map(Math.round).join(' '), ''],
  ];
  const header = ['', ...results.map((r) => r.label), 'target'];
  const table = [header, ...rows.map(([name, f, target]) => [name, ...results.map(f), target])];
  const widths = header.map((_, i) => Math.max(...table.map((row) => row[i].length)));
  console.log(
    `\nWeb app, listener path (Chromium, loopback; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores)\n`,
  );
  for (const row of table) console.log(row.map((c, i) => c.padEnd(widths[i])).join('  '));
  const mine = results.at(-1);
  const met = [
    mine.jsSent / 1024 <= TARGETS.jsKb,
    mine.coldMs <= TARGETS.coldMs,
    mine.warmMs <= TARGETS.warmMs,
  ];
  console.log(`\nTargets met: ${met.filter(Boolean).length} of ${met.length}`);
  if (args.waterfall)
    for (const r of results) {
      printWaterfall(`${r.label}, cold`, r.coldWaterfall);
      printWaterfall(`${r.label}, warm`, r.warmWaterfall);
    }
  console.log('\nFiles (this tree):');
  for (const f of mine.files)
    console.log(`  ${kb(f.sent).padStart(9)}  ${kb(f.raw).padStart(9)}  ${new URL(f.url).pathname}`);
}

await main();
process.exit(0);
