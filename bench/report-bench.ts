// `npx tsx bench/report-bench.ts`: how long a session report takes, beside baselines from the
// same run, and how well the analysis finds injected drops. See docs/analysis.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_SESSION_SETTINGS } from '@rstream/protocol';
import { loadConfig } from '../packages/server/src/config.js';
import {
  analyse,
  DEFAULT_ANALYSIS_PARAMS,
} from '../packages/server/src/features/reports/analysis/analyse.js';
import { noiseSigma, optimalPartitioning } from '../packages/server/src/features/reports/analysis/pelt.js';
import { densify, type SecondPoint } from '../packages/server/src/features/reports/analysis/series.js';
import { rng, stickyAudience } from '../packages/server/src/features/reports/analysis/synthetic.js';
import { reportPdf } from '../packages/server/src/features/reports/exports/report-pdf.js';
import { makeReportNow, reportsServiceOver } from '../packages/server/src/features/reports/report-cli.js';
import { generateJoinCode } from '../packages/server/src/features/sessions/join-code.js';
import { migrateToLatest, openDb } from '../packages/server/src/platform/db.js';

const ms = (f: () => unknown, runs = 3) => {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    f();
    times.push(performance.now() - t);
  }
  return Math.min(...times);
};
const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1)).padStart(8);

/** A lecture: a dip in the middle and a slow recovery, 1,000 sticky listeners. */
const lecture = (durationSec: number, seed: number): SecondPoint[] =>
  stickyAudience({
    durationSec,
    listeners: 1000,
    seed,
    revisitSec: 30,
    mean: (t) => {
      const x = t / durationSec;
      return 3.9 - 1.5 * Math.exp(-(((x - 0.45) / 0.06) ** 2)) + 0.2 * Math.sin(x * 9);
    },
  });

const inputOf = (seconds: SecondPoint[]) => ({
  durationMs: seconds.length * 1000,
  seconds,
  questions: [],
  threshold: 2.5,
  warningDurationSec: 10,
  participants: 1000,
  signalled: 1000,
  signals: 0,
});

/** The naive baseline: the same cost and penalty, exact optimal partitioning without pruning (O(n²)). */
function naive(seconds: SecondPoint[]) {
  const s = densify(seconds, seconds.length);
  const sigma = noiseSigma(s.avg, s.n, 5, DEFAULT_ANALYSIS_PARAMS.minNoise);
  return optimalPartitioning({
    values: s.avg,
    weights: s.n,
    penalty: DEFAULT_ANALYSIS_PARAMS.penaltyScale * Math.log(s.length),
    minSegment: DEFAULT_ANALYSIS_PARAMS.minSegmentSec,
    costScale: sigma * sigma * 1000,
  });
}

/** Summary-only pass (no change points): the floor any report pays. */
function summaryOnly(seconds: SecondPoint[]) {
  let sum = 0;
  let k = 0;
  const v: number[] = [];
  for (const p of seconds) {
    if (p.avg === null) continue;
    sum += p.avg;
    k++;
    v.push(p.avg);
  }
  v.sort((a, b) => a - b);
  return { avg: sum / k, median: v[v.length >> 1] };
}

async function endToEnd(seconds: SecondPoint[]) {
  const dir = mkdtempSync(path.join(tmpdir(), 'report-bench-'));
  const db = await openDb(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' }));
  try {
    await migrateToLatest(db.kysely);
    const hostId = randomUUID();
    await db.kysely
      .insertInto('users')
      .values({ id: hostId, email: `${hostId}@bench`, username: 'Bench', password_hash: 'x' })
      .execute();
    const id = randomUUID();
    const started = new Date(Date.now() - seconds.length * 1000);
    await db.kysely
      .insertInto('sessions')
      .values({
        id,
        code: generateJoinCode(),
        host_id: hostId,
        title: 'Bench 講義',
        mode: 'presentation',
        status: 'ended',
        settings: JSON.stringify(DEFAULT_SESSION_SETTINGS),
        created_at: started,
        started_at: started,
        ended_at: new Date(),
      })
      .execute();
    const rows = seconds.map((p) => ({
      session_id: id,
      t_sec: p.t,
      avg: p.avg,
      n: p.n,
      c1: 0,
      c2: 0,
      c3: 0,
      c4: 0,
      c5: 0,
    }));
    for (let i = 0; i < rows.length; i += 2000)
      await db.kysely
        .insertInto('understanding_seconds')
        .values(rows.slice(i, i + 2000))
        .execute();
    const t0 = performance.now();
    await makeReportNow(db.kysely, id);
    const generate = performance.now() - t0;
    const { service, sessions, close } = reportsServiceOver(db.kysely);
    const session = (await sessions.findSession(id))!;
    const t1 = performance.now();
    await reportPdf(await service.get(session, 'ja'), await service.seconds(id), 'ja');
    const pdf = performance.now() - t1;
    await close();
    return { generate, pdf };
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Synthetic sessions with injected drops at known times: found within ±15 s, and false ones. */
function accuracy(sessions: number) {
  const random = rng(424242);
  let injected = 0;
  let found = 0;
  let falseDrops = 0;
  let noiseSessions = 0;
  let noiseWithMoments = 0;
  let participationCases = 0;
  let participationFlagged = 0;
  for (let k = 0; k < sessions; k++) {
    const durationSec = 1200 + Math.floor(random() * 2400);
    const listeners = 20 + Math.floor(random() * 300);
    const kind = k % 4; // 0,1: level drops · 2: noise only · 3: participation only
    const drops: { at: number; len: number; depth: number }[] = [];
    if (kind <= 1) {
      const count = 1 + Math.floor(random() * 2);
      for (let i = 0; i < count; i++) {
        const at = Math.floor(((i + 0.3 + random() * 0.4) * durationSec) / count);
        drops.push({ at, len: 60 + Math.floor(random() * 240), depth: 1 + random() * 1.2 });
      }
    }
    const base = 3.6 + random() * 0.6;
    const present = (t: number) =>
      kind === 3 && t >= durationSec * 0.4 && t < durationSec * 0.6 ? Math.round(listeners * 0.4) : listeners;
    const seconds = stickyAudience({
      durationSec,
      listeners: kind === 3 ? present : listeners,
      seed: 1000 + k,
      revisitSec: 15 + random() * 30,
      mean: (t) => base - drops.reduce((d, x) => d + (t >= x.at && t < x.at + x.len ? x.depth : 0), 0),
    });
    const r = analyse(inputOf(seconds));
    const detected = r.keyMoments.filter((m) => m.kind === 'drop' && !m.participation);
    if (kind <= 1) {
      injected += drops.length;
      const matched = new Set<number>();
      for (const d of drops) {
        const hit = detected.findIndex((m, i) => !matched.has(i) && Math.abs(m.startT / 1000 - d.at) <= 15);
        if (hit >= 0) {
          matched.add(hit);
          found++;
        }
      }
      falseDrops += detected.length - matched.size;
    } else if (kind === 2) {
      noiseSessions++;
      falseDrops += detected.length;
      if (r.keyMoments.length > 0) noiseWithMoments++;
    } else {
      participationCases++;
      falseDrops += detected.length;
      if (r.keyMoments.some((m) => m.kind === 'drop' && m.participation)) participationFlagged++;
    }
  }
  return {
    injected,
    found,
    falseDrops,
    noiseSessions,
    noiseWithMoments,
    participationCases,
    participationFlagged,
  };
}

const cases = [
  ['20 min, 1,000 listeners', 20 * 60],
  ['3 h, 1,000 listeners', 3 * 3600],
] as const;
console.log('Report generation (ms, best of 3; same run, same series)');
console.log('case                        analysis  naive-OP  summary   end-to-end(PGlite)  PDF');
for (const [label, sec] of cases) {
  const seconds = lecture(sec, 7);
  const a = ms(() => analyse(inputOf(seconds)));
  const o = ms(() => naive(seconds), 1);
  const s = ms(() => summaryOnly(seconds));
  const e = await endToEnd(seconds);
  console.log(
    `${label.padEnd(26)}${fmt(a)}  ${fmt(o)}  ${fmt(s)}   ${fmt(e.generate)}          ${fmt(e.pdf)}`,
  );
}
const acc = accuracy(Number(process.argv[2] ?? 80));
console.log('\nDetection on synthetic sessions (sticky audiences of 20–320 listeners, 20–60 min)');
console.log(`  injected drops found within ±15 s: ${acc.found}/${acc.injected}`);
console.log(`  false drops (no injected drop there): ${acc.falseDrops}`);
console.log(`  noise-only sessions with any key moment: ${acc.noiseWithMoments}/${acc.noiseSessions}`);
console.log(
  `  participation-only dips flagged as participation: ${acc.participationFlagged}/${acc.participationCases}`,
);
