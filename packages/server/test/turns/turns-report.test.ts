import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  BACKENDS,
  createSession,
  goLive,
  startTestApp,
  WsClient,
  type TestApp,
  waitFor,
} from '../helpers.js';
import { fetchBytes, waitReady } from '../reports/report-helpers.js';
import { discussion, getTurns, turnUpdate, type Msg } from './turn-helpers.js';

/**
 * The report of a discussion: its "Speakers" section is the turns list and per-speaker totals
 * as `GET …/turns` gives them (lag applied, speaker excluded), a key moment inside a turn names
 * it (`turnId`), and the HTML and PDF exports show the section with the lag sentence.
 */
describe.each(BACKENDS)('the speakers section of a discussion report on %s', (backend) => {
  let t: TestApp;
  const sockets: WsClient[] = [];
  const tmp = mkdtempSync(path.join(tmpdir(), 'rstream-turns-report-'));

  beforeAll(async () => {
    t = await startTestApp(backend, {
      TICK_MS: '100',
      REPORT_DELAY_MS: '200',
      REPORT_MIN_SEGMENT_SEC: '3',
      REPORT_SWEEP_SEC: '3600',
    });
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await t?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('per-speaker totals equal GET …/turns, the lag is stated, a drop in Bob’s turn names it', async () => {
    const names = ['Alice', 'Bob', 'Carol', 'Dan', 'Eve', 'Fay'];
    const { host, s, people } = await discussion(t.url, { facilitator: 'me' }, names);
    const started = await api<{ startedAt: string }>(t.url, 'GET', `/api/sessions/${s.id}`, {
      token: host.token,
    });
    const startedAt = new Date(started.body.startedAt).getTime();
    const untilT = (ms: number) =>
      waitFor(
        `session time ${ms}`,
        async () => (Date.now() - startedAt >= ms ? true : undefined),
        ms + 10_000,
      );

    const h = new WsClient(t.url, s.id, host.token);
    sockets.push(h);
    await h.next((m) => m.type === 'welcome');
    const phones: WsClient[] = [];
    for (const p of people) {
      const c = new WsClient(t.url, s.id, p.participantToken);
      sockets.push(c);
      await c.next((m) => m.type === 'welcome');
      phones.push(c);
    }
    const setAll = (level: number, except?: number) =>
      phones.forEach((c, i) => i !== except && c.send({ type: 'understanding:set', level }));
    setAll(4);
    await h.next((m) => m.type === 'understanding:update' && m.n === names.length && m.avg === 4);

    const [alice, bob] = people as [(typeof people)[0], (typeof people)[0]];
    h.send({ type: 'turn:start', speaker: alice.participantId });
    const aliceTurn = (await h.next(turnUpdate((turn) => turn?.speaker === 'Alice'))).turn as Msg & {
      startT: number;
    };
    await untilT(aliceTurn.startT + 8000);
    h.send({ type: 'turn:start', speaker: bob.participantId });
    const bobTurn = (await h.next(turnUpdate((turn) => turn?.speaker === 'Bob'))).turn as Msg & {
      startT: number;
      id: string;
    };
    // well inside Bob's turn, also once the 3 s lag is counted: everyone but Bob drops to 1
    await untilT(bobTurn.startT + 5000);
    const dropAt = Date.now() - startedAt;
    setAll(1, 1);
    await h.next((m) => m.type === 'understanding:update' && (m.avg as number) < 2);
    await untilT(dropAt + 8000);
    h.send({ type: 'turn:end' });
    await h.next(turnUpdate((turn) => turn === null));
    setAll(4);
    await untilT(dropAt + 16_000);
    const ended = await api(t.url, 'PUT', `/api/sessions/${s.id}`, {
      body: { status: 'ended' },
      token: host.token,
    });
    expect(ended.status).toBe(200);

    const report = await waitReady(t.url, host.token, s.id, 30_000);
    const live = (await getTurns(t.url, s.id, host.token)).body;
    expect(report.discussion).toBeDefined();
    const section = report.discussion!;
    expect(section.reactionLagMs).toBe(3000);
    // the report's figures are the turns list's, speaker by speaker and turn by turn
    expect(section.speakers).toEqual(live.speakers);
    expect(section.turns).toEqual(live.turns);
    expect(section.turns.map((x) => x.speaker)).toEqual(['Alice', 'Bob']);
    const [a, b] = section.turns as [(typeof section.turns)[0], (typeof section.turns)[0]];
    // Alice's turn: five listeners at 4 (her own 4 left out); Bob's: the drop, read 3 s later
    expect(a.avg).toBe(4);
    expect(a.n).toBe(names.length - 1);
    expect(b.avg!).toBeLessThan(3);
    expect(b.delta!).toBeLessThan(-1);
    const bobTotal = section.speakers.find((x) => x.speaker === 'Bob')!;
    expect(bobTotal).toMatchObject({ turns: 1, speakingMs: b.endT! - b.startT, avg: b.avg });
    expect(bobTotal.best?.turnId).toBe(bobTurn.id);

    const drop = report.keyMoments.find((m) => m.kind === 'drop');
    expect(drop, JSON.stringify(report.keyMoments)).toBeDefined();
    expect(drop!.turnId, JSON.stringify({ drop, dropAt, turns: section.turns })).toBe(bobTurn.id);
    expect(drop!.note).toContain('During Bob’s turn.');
    // attributed with the lag: each moment names the turn whose window [start + 3 s, end + 3 s)
    // covers most of it, and none when no window meets it
    const overlap = (m: { startT: number; endT: number }, x: { startT: number; endT: number | null }) =>
      Math.min(m.endT, x.endT! + 3000) - Math.max(m.startT, x.startT + 3000);
    for (const m of report.keyMoments) {
      const [oa, ob] = [overlap(m, a), overlap(m, b)];
      const want = oa <= 0 && ob <= 0 ? undefined : ob > oa ? b.id : a.id;
      expect(m.turnId, JSON.stringify(m)).toBe(want);
    }

    const html = await api<string>(t.url, 'GET', `/api/sessions/${s.id}/report.html?lang=en`, {
      token: host.token,
    });
    expect(html.status).toBe(200);
    expect(html.body).toContain('<h2>Speakers</h2>');
    expect(html.body).toContain('Figures are read 3 s after the words');
    expect(html.body).toMatch(new RegExp(`<tr data-speaker="Bob">.*/archive/${s.id}\\?t=\\d+:\\d\\d`));

    for (const [lang, words] of [
      ['en', ['Speakers', 'Figures are read 3 s after the words', 'Speaking time', 'Best turn']],
      ['ja', ['発言者', '数値は発言の3秒後の理解度です', '発言時間']],
    ] as const) {
      const pdf = await fetchBytes(t.url, `/api/sessions/${s.id}/report.pdf?lang=${lang}`, host.token);
      expect(pdf.status).toBe(200);
      const file = path.join(tmp, `report-${lang}.pdf`);
      writeFileSync(file, pdf.body);
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(
        /\s+/g,
        ' ',
      );
      for (const w of words) expect(text).toContain(w);
      expect(text).toContain('Alice');
      expect(text).toContain('Bob');
      // the PDF's turn times link into the playback page
      expect(pdf.body.toString('latin1')).toMatch(new RegExp(`/archive/${s.id}\\?t=\\d+:\\d\\d`));
    }
  }, 90_000);

  it('a discussion without turns says so; a presentation’s report has no speakers section', async () => {
    const { host, s } = await discussion(t.url, { facilitator: 'none' }, []);
    // a discussion with no turn at all: the section is there, empty, and says so
    expect(
      (await api(t.url, 'PUT', `/api/sessions/${s.id}`, { body: { status: 'ended' }, token: host.token }))
        .status,
    ).toBe(200);
    const report = await waitReady(t.url, host.token, s.id, 30_000);
    expect(report.discussion).toEqual({ turns: [], speakers: [], reactionLagMs: 3000 });
    const html = await api<string>(t.url, 'GET', `/api/sessions/${s.id}/report.html?lang=ja`, {
      token: host.token,
    });
    expect(html.body).toContain('発言が記録されませんでした');

    const p = await createSession(t.url, host.token);
    expect((await goLive(t.url, host.token, p.id)).status).toBe(200);
    expect(
      (await api(t.url, 'PUT', `/api/sessions/${p.id}`, { body: { status: 'ended' }, token: host.token }))
        .status,
    ).toBe(200);
    const plain = await waitReady(t.url, host.token, p.id, 30_000);
    expect(plain.discussion).toBeUndefined();
    const plainHtml = await api<string>(t.url, 'GET', `/api/sessions/${p.id}/report.html`, {
      token: host.token,
    });
    expect(plainHtml.body).not.toContain('id="speakers"');
  }, 60_000);
});
