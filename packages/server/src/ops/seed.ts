import { randomBytes, randomUUID } from 'node:crypto';
import { DEFAULT_SESSION_SETTINGS } from '@rstream/protocol';
import type { Kysely } from 'kysely';
import { hashPassword } from '../features/auth/password.js';
import { makeReportNow } from '../features/reports/report-cli.js';
import { generateJoinCode } from '../features/sessions/join-code.js';
import { randomToken, sha256 } from '../platform/crypto.js';
import type { Database } from '../platform/db-schema.js';
import type { SecondRecord, SignalRecord } from '../realtime/records.js';
import { Tally } from '../realtime/tally.js';

export const DEMO_EMAIL = 'demo@rstream.local';
const NAMES = [
  'Sato',
  'Suzuki',
  'Takahashi',
  'Tanaka',
  'Watanabe',
  'Ito',
  'Yamamoto',
  'Nakamura',
  'Kobayashi',
  'Kato',
  'Yoshida',
  'Yamada',
  'Sasaki',
  'Yamaguchi',
  'Matsumoto',
  'Inoue',
  'Kimura',
  'Hayashi',
  'Shimizu',
  'Mori',
  'Alice',
  'Ben',
  'Chloe',
  'David',
  'Emma',
  'Felix',
  'Grace',
  'Hugo',
  'Isla',
  'Jonas',
];

/** A deterministic pseudo-random source, so the demo looks the same every time. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The audience's mood over 20 minutes: good start, a dip around minutes 8–11, recovery. */
export function demoMean(tSec: number): number {
  const min = tSec / 60;
  const dip = 1.6 * Math.exp(-(((min - 9.5) / 1.6) ** 2));
  const warmUp = min < 1 ? 0.3 * (1 - min) : 0;
  return 3.9 - dip - warmUp + 0.15 * Math.sin(min / 2);
}

export async function runSeed(
  db: Kysely<Database>,
  opts: { publicUrl: string; now?: Date },
): Promise<string> {
  const now = opts.now ?? new Date();
  const password = `demo-${randomBytes(6).toString('base64url')}`;
  const passwordHash = await hashPassword(password);
  const existing = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', DEMO_EMAIL)
    .executeTakeFirst();
  const userId = existing?.id ?? randomUUID();
  if (existing) {
    await db
      .updateTable('users')
      .set({ password_hash: passwordHash, disabled_at: null })
      .where('id', '=', userId)
      .execute();
    await db.deleteFrom('sessions').where('host_id', '=', userId).execute();
  } else {
    await db
      .insertInto('users')
      .values({ id: userId, email: DEMO_EMAIL, username: 'Demo Speaker', password_hash: passwordHash })
      .execute();
  }

  // ---- a finished 20-minute session with 30 listeners ---------------------------
  const durationSec = 20 * 60;
  const startedAt = new Date(now.getTime() - 26 * 60_000);
  const finishedId = randomUUID();
  await db
    .insertInto('sessions')
    .values({
      id: finishedId,
      code: generateJoinCode(),
      host_id: userId,
      title: 'Introduction to Distributed Systems (demo)',
      mode: 'presentation',
      status: 'ended',
      settings: JSON.stringify({ ...DEFAULT_SESSION_SETTINGS, plannedDurationMin: 20 }),
      created_at: new Date(startedAt.getTime() - 5 * 60_000),
      started_at: startedAt,
      ended_at: new Date(startedAt.getTime() + durationSec * 1000),
      participant_seq: NAMES.length,
    })
    .execute();
  const random = rng(20261128);
  const listeners = NAMES.map((name, i) => ({
    id: randomUUID(),
    name,
    bias: (random() - 0.5) * 1.2,
    joinSec: Math.floor(random() * 90),
    level: 0,
    nextChange: 0,
    ordinal: i + 1,
  }));
  const signals: SignalRecord[] = [];
  const seconds: SecondRecord[] = [];
  const tally = new Tally();
  for (let t = 0; t <= durationSec; t++) {
    for (const l of listeners) {
      if (t < l.joinSec || t < l.nextChange) continue;
      const target = demoMean(t) + l.bias + (random() - 0.5) * 1.4;
      const level = Math.min(5, Math.max(1, Math.round(target)));
      l.nextChange = t + 15 + Math.floor(random() * 45);
      if (level !== l.level) {
        l.level = level;
        tally.set(l.id, level);
        signals.push({
          session_id: finishedId,
          participant_id: l.id,
          t_ms: t * 1000 + Math.floor(random() * 1000),
          level,
        });
      }
    }
    const c = tally.counts();
    seconds.push({
      session_id: finishedId,
      t_sec: t,
      avg: tally.avg,
      n: tally.n,
      c1: c[0],
      c2: c[1],
      c3: c[2],
      c4: c[3],
      c5: c[4],
    });
  }
  await db
    .insertInto('participants')
    .values(
      listeners.map((l) => ({
        id: l.id,
        session_id: finishedId,
        token_hash: sha256(randomToken('p')),
        display_name: l.name,
        anonymous: false,
        role: 'listener' as const,
        ordinal: l.ordinal,
        level: l.level || null,
        joined_at: new Date(startedAt.getTime() + l.joinSec * 1000),
      })),
    )
    .execute();
  for (let i = 0; i < signals.length; i += 1000)
    await db
      .insertInto('signals')
      .values(signals.slice(i, i + 1000))
      .execute();
  for (let i = 0; i < seconds.length; i += 1000)
    await db
      .insertInto('understanding_seconds')
      .values(seconds.slice(i, i + 1000))
      .execute();

  // questions asked where the audience got lost, and the report the end of the session makes
  const asked: [number, string, string | null][] = [
    [8 * 60 + 40, 'What is the difference between a quorum and a majority?', null],
    [
      9 * 60 + 15,
      'Could you explain the vector clock example again, more slowly?',
      'Yes — see the slide after the break.',
    ],
    [9 * 60 + 50, 'Why does the partition make the write fail?', null],
    [15 * 60 + 5, 'Are the slides going to be shared?', 'Yes, after the session.'],
  ];
  await db
    .insertInto('questions')
    .values(
      asked.map(([t, content, answer], i) => ({
        id: randomUUID(),
        session_id: finishedId,
        participant_id: listeners[i * 3]!.id,
        content,
        status: answer ? ('answered' as const) : ('open' as const),
        answer,
        answered_at: answer ? new Date(startedAt.getTime() + (t + 120) * 1000) : null,
        votes: 3 - (i % 3),
        t_ms: t * 1000,
        created_at: new Date(startedAt.getTime() + t * 1000),
      })),
    )
    .execute();
  const report = await makeReportNow(db, finishedId);

  // ---- a live session to try the loop with ------------------------------------------
  const liveId = randomUUID();
  const liveCode = generateJoinCode();
  await db
    .insertInto('sessions')
    .values({
      id: liveId,
      code: liveCode,
      host_id: userId,
      title: 'Live demo: ask me anything',
      mode: 'presentation',
      status: 'live',
      settings: JSON.stringify(DEFAULT_SESSION_SETTINGS),
      started_at: now,
    })
    .execute();

  return [
    'Demo data loaded.',
    `  Speaker account: ${DEMO_EMAIL}  password: ${password}`,
    `  Finished session: "Introduction to Distributed Systems (demo)" — 20 min, 30 listeners, ${signals.length} signals`,
    `    ${opts.publicUrl}/host/${finishedId}`,
    `    ${report}`,
    `    ${opts.publicUrl}/archive/${finishedId}/report`,
    `  Live session: code ${liveCode}`,
    `    speaker: ${opts.publicUrl}/host/${liveId}`,
    `    listeners join: ${opts.publicUrl}/j/${liveCode}`,
  ].join('\n');
}
