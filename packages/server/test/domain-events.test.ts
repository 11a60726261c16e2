import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvents } from '../src/platform/events.js';
import {
  api,
  BACKENDS,
  createSession,
  goLive,
  join,
  speaker,
  startTestApp,
  type TestApp,
} from './helpers.js';

describe.each(BACKENDS)('domain events and jobs on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('tells subscribers once when a session starts and ends, with who hosts it and when', async () => {
    const seen: { name: string; e: DomainEvents[keyof DomainEvents] }[] = [];
    const off = [
      t.app.events.on('session.started', (e) => void seen.push({ name: 'session.started', e })),
      t.app.events.on('session.ended', (e) => void seen.push({ name: 'session.ended', e })),
      t.app.events.on('participant.changed', (e) => void seen.push({ name: 'participant.changed', e })),
    ];
    const host = await speaker(t.url);
    const s = await createSession(t.url, host.token);
    expect(seen).toEqual([]);
    await goLive(t.url, host.token, s.id);
    const listener = await join(t.url, s.code, 'Ana');
    const ended = await api<{ endedAt: string }>(t.url, 'PUT', `/api/sessions/${s.id}`, {
      body: { status: 'ended' },
      token: host.token,
    });
    expect(ended.status).toBe(200);
    off.forEach((f) => f());
    expect(seen.map((x) => x.name)).toEqual(['session.started', 'participant.changed', 'session.ended']);
    expect(seen[0]!.e).toEqual({ sessionId: s.id, hostId: host.userId, startedAt: expect.any(String) });
    expect(seen[2]!.e).toEqual({ sessionId: s.id, hostId: host.userId, endedAt: ended.body.endedAt });
    expect((seen[1]!.e as DomainEvents['participant.changed']).participant.id).toBe(listener.participantId);
  });

  it('keeps a failing subscriber away from the request that emitted the event', async () => {
    const off = t.app.events.on('session.started', async () => {
      throw new Error('subscriber broke');
    });
    const host = await speaker(t.url);
    const s = await createSession(t.url, host.token);
    const r = await goLive(t.url, host.token, s.id);
    off();
    expect(r.status).toBe(200);
  });

  it('registers the security trail retention as a job that runs on demand', async () => {
    const run = await t.app.jobs.runNow('audit-retention');
    expect(run).toMatchObject({ job: 'audit-retention', status: 'ok' });
    expect(run.line).toMatch(/security trail: \d+ events older than \d+ days removed/);
    expect(t.app.jobs.list().find((j) => j.name === 'audit-retention')?.lastRun).toEqual(run);
    const metrics = await fetch(`${t.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/rstream_job_runs_total\{[^}]*job="audit-retention"[^}]*status="ok"[^}]*\} 1/);
  });
});
