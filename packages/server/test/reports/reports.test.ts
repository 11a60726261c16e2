import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  BACKENDS,
  createSession,
  join,
  speaker,
  startTestApp,
  WsClient,
  type TestApp,
  waitFor,
} from '../helpers.js';
import { fetchBytes, getReport, waitReady } from './report-helpers.js';

const TITLE = 'Report talk 分散システム入門';

describe.each(BACKENDS)('session reports on %s', (backend) => {
  let t: TestApp;
  let host: { token: string };
  let sessionId = '';
  let dropAt = 0;
  let recoverAt = 0;
  let questionId = '';
  let listenerToken = '';
  const sockets: WsClient[] = [];
  const tmp = mkdtempSync(path.join(tmpdir(), 'rstream-report-'));

  beforeAll(async () => {
    t = await startTestApp(backend, {
      REPORT_DELAY_MS: '200',
      REPORT_MIN_SEGMENT_SEC: '3',
      REPORT_SWEEP_SEC: '3600',
    });
    host = await speaker(t.url, 'Reporter');
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await t?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('a live session that dips and recovers, ended through the API, gets its report by itself', async () => {
    const s = await createSession(t.url, host.token, { warning: { threshold: 2.5 } }, TITLE);
    sessionId = s.id;
    const live = await api<{ startedAt: string }>(t.url, 'PUT', `/api/sessions/${s.id}`, {
      body: { status: 'live' },
      token: host.token,
    });
    const startedAt = new Date(live.body.startedAt).getTime();
    const sessionTime = () => Date.now() - startedAt;
    const untilSessionTime = (ms: number) =>
      waitFor(`session time ${ms}`, async () => (sessionTime() >= ms ? true : undefined), ms + 5000);

    const speakerSocket = new WsClient(t.url, s.id, host.token);
    sockets.push(speakerSocket);
    const listeners: WsClient[] = [];
    for (let i = 0; i < 8; i++) {
      const j = await join(t.url, s.code, `L${i}`);
      const ws = new WsClient(t.url, s.id, j.participantToken);
      sockets.push(ws);
      await ws.next((m) => m.type === 'session:status');
      listeners.push(ws);
      if (i === 0) listenerToken = j.participantToken;
    }
    const setAll = (levels: number[]) =>
      listeners.forEach((ws, i) => ws.send({ type: 'understanding:set', level: levels[i] }));
    const seen = (pred: (avg: number, n: number) => boolean) =>
      speakerSocket.next(
        (m) => m.type === 'understanding:update' && pred(m.avg as number, m.n as number),
        5000,
        0,
      );

    setAll([5, 4, 5, 4, 4, 5, 4, 5]);
    await seen((avg, n) => n === 8 && avg > 4.4);
    await untilSessionTime(9000);
    dropAt = sessionTime();
    setAll([1, 2, 1, 2, 2, 1, 2, 1]);
    await speakerSocket.nextNew((m) => m.type === 'understanding:update' && (m.avg as number) < 1.6);
    listeners[0]!.send({ type: 'question:ask', content: 'Could you go over the last slide again?' });
    const q = await speakerSocket.next((m) => m.type === 'question:new');
    questionId = (q.question as { id: string }).id;
    await untilSessionTime(dropAt + 8000);
    recoverAt = sessionTime();
    setAll([5, 4, 5, 4, 4, 5, 4, 5]);
    await speakerSocket.nextNew((m) => m.type === 'understanding:update' && (m.avg as number) > 4.4);
    await untilSessionTime(recoverAt + 8000);

    const pending = await getReport(t.url, host.token, s.id);
    expect(pending.body.status).toBe('pending');
    const end = await api(t.url, 'PUT', `/api/sessions/${s.id}`, {
      body: { status: 'ended' },
      token: host.token,
    });
    expect(end.status).toBe(200);

    const report = await waitReady(t.url, host.token, s.id);
    expect(report.algorithmVersion).toBe('pelt-1.0');
    expect(report.params?.minSegmentSec).toBe(3);
    const drop = report.keyMoments.find((m) => m.kind === 'drop');
    const recovery = report.keyMoments.find((m) => m.kind === 'recovery');
    expect(drop, JSON.stringify(report.keyMoments)).toBeDefined();
    expect(recovery, JSON.stringify(report.keyMoments)).toBeDefined();
    expect(Math.abs(drop!.startT - dropAt)).toBeLessThanOrEqual(2500);
    expect(Math.abs(recovery!.startT - recoverAt)).toBeLessThanOrEqual(2500);
    expect(drop!.fromAvg!).toBeGreaterThan(4);
    expect(drop!.toAvg!).toBeLessThan(2);
    expect(drop!.participation).toBe(false);
    expect(Math.abs(drop!.recoveryMs! - (recoverAt - dropAt))).toBeLessThanOrEqual(4000);
    expect(drop!.questionIds).toContain(questionId);
    expect(drop!.note).toMatch(/fell from 4\.\d to 1\.\d/);
    expect(report.summary).toMatchObject({
      participants: 8,
      signalled: 8,
      questions: { asked: 1, answered: 0 },
    });
    expect(report.summary!.signals).toBeGreaterThanOrEqual(24);
    expect(report.summary!.timeBelowThresholdMs).toBeGreaterThanOrEqual(6000);
    expect(report.segments.length).toBeGreaterThanOrEqual(3);
    expect(report.questions.map((x) => x.id)).toEqual([questionId]);

    const ja = await getReport(t.url, host.token, s.id, '?lang=ja');
    expect(ja.body.keyMoments.find((m) => m.kind === 'drop')!.note).toMatch(/下がりました/);
  });

  it('exports: the PDF (title, Japanese text), the HTML, the CSV of the stored seconds and of the moments', async () => {
    const pdf = await fetchBytes(t.url, `/api/sessions/${sessionId}/report.pdf?lang=ja`, host.token);
    expect(pdf.status).toBe(200);
    expect(pdf.type).toBe('application/pdf');
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
    const file = path.join(tmp, 'report.pdf');
    writeFileSync(file, pdf.body);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    expect(text).toContain(TITLE);
    expect(text).toContain('重要な場面');
    expect(text).toMatch(/平均が.+下がりました/);
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    expect(fonts).toMatch(/NotoSansJP/);
    expect(pdf.body.length).toBeLessThan(400_000); // subset, not the 5 MB font

    const html = await api<string>(t.url, 'GET', `/api/sessions/${sessionId}/report.html?lang=en`, {
      token: host.token,
    });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(html.body).toContain(TITLE);
    expect(html.body).toContain('<svg');
    expect(html.body).toMatch(new RegExp(`/archive/${sessionId}\\?t=\\d+:\\d\\d`));
    expect(html.body).not.toMatch(/<script|<link /);

    const csv = await api<string>(t.url, 'GET', `/api/sessions/${sessionId}/report.csv`, {
      token: host.token,
    });
    expect(csv.status).toBe(200);
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe('t_ms,avg,n,c1,c2,c3,c4,c5');
    const stored = await t.app.db.kysely
      .selectFrom('understanding_seconds')
      .selectAll()
      .where('session_id', '=', sessionId)
      .orderBy('t_sec')
      .execute();
    expect(lines.length - 1).toBe(stored.length);
    expect(stored.length).toBeGreaterThan(20);
    lines.slice(1).forEach((line, i) => {
      const [tMs, avg, n, ...c] = line.split(',');
      const row = stored[i]!;
      expect(Number(tMs)).toBe(row.t_sec * 1000);
      if (row.avg === null) expect(avg).toBe('');
      else expect(Number(avg)).toBeCloseTo(Number(row.avg), 3);
      expect([n, ...c].map(Number)).toEqual([row.n, row.c1, row.c2, row.c3, row.c4, row.c5]);
    });

    const moments = await api<string>(t.url, 'GET', `/api/sessions/${sessionId}/report.csv?table=moments`, {
      token: host.token,
    });
    const report = (await getReport(t.url, host.token, sessionId)).body;
    expect(moments.body.trim().split('\n')).toHaveLength(report.keyMoments.length + 1);
    expect(moments.body.split('\n')[0]).toMatch(/^id,kind,start_ms,end_ms/);
  });

  it('only the people on stage see it: listeners and other speakers are refused, bad input is a 400', async () => {
    const other = await speaker(t.url, 'Someone else');
    for (const suffix of ['report', 'report.pdf', 'report.html', 'report.csv']) {
      const route = `/api/sessions/${sessionId}/${suffix}`;
      expect((await api(t.url, 'GET', route, { token: listenerToken })).status).toBe(403);
      expect((await api(t.url, 'GET', route, { token: other.token })).status).toBe(403);
      expect((await api(t.url, 'GET', route)).status).toBe(401);
    }
    const missing = await api<{ error: { code: string } }>(
      t.url,
      'GET',
      '/api/sessions/00000000-0000-4000-8000-000000000000/report',
      { token: host.token },
    );
    expect(missing.status).toBe(404);
    const bad = await api<{ error: { code: string; details: unknown } }>(
      t.url,
      'GET',
      `/api/sessions/${sessionId}/report.csv?table=everything`,
      { token: host.token },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });
});
