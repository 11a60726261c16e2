import { describe, expect, it } from 'vitest';
import { LogDetector, type DetectorSettings, type Finding } from './detector.js';

const settings: DetectorSettings = {
  windowSec: 60,
  errors: 5,
  http5xx: 4,
  loginFailuresPerIp: 6,
  loginFailuresPerAccount: 3,
  latencyFactor: 3,
  latencyMinMs: 300,
};

function setup(overrides: Partial<DetectorSettings> = {}) {
  let now = Date.parse('2026-11-28T10:00:00Z');
  const found: Finding[] = [];
  const d = new LogDetector(
    { ...settings, ...overrides },
    (f) => found.push(f),
    () => now,
  );
  return { d, found, advance: (ms: number) => (now += ms) };
}

describe('LogDetector', () => {
  it('fires once on a burst of 5xx inside the window, not on the same count spread out', () => {
    const spread = setup();
    for (let i = 0; i < 8; i++) {
      spread.d.observe('access', 30, { status: 500, durationMs: 5, reqId: `r${i}` });
      spread.advance(20_000); // 3 per minute at most
    }
    expect(spread.found).toEqual([]);

    const burst = setup();
    for (let i = 0; i < 10; i++)
      burst.d.observe('access', 30, { status: 503, durationMs: 5, reqId: `r${i}` });
    expect(burst.found).toHaveLength(1);
    expect(burst.found[0]).toMatchObject({
      kind: 'http_5xx_burst',
      count: 4,
      severity: 'critical',
      sampleReqId: 'r3',
    });
    // the condition persists into the next window: it fires again
    burst.advance(61_000);
    for (let i = 0; i < 4; i++) burst.d.observe('access', 30, { status: 500, durationMs: 5 });
    expect(burst.found).toHaveLength(2);
  });

  it('counts failed logins per IP and per account separately', () => {
    const { d, found } = setup();
    for (let i = 0; i < 3; i++)
      d.observe('security', 40, {
        event: 'login_failed',
        ip: '10.0.0.1',
        accountHash: 'acct-a',
        email: 'a***@x.test',
      });
    expect(found.map((f) => f.kind)).toEqual(['login_failures_account']);
    expect(found[0]!.key).toBe('acct-a');
    // many accounts from one IP: credential stuffing
    for (let i = 0; i < 3; i++)
      d.observe('security', 40, { event: 'login_failed', ip: '10.0.0.1', accountHash: `other-${i}` });
    expect(found.map((f) => f.kind)).toEqual(['login_failures_account', 'login_failures_ip']);
    expect(found[1]).toMatchObject({ key: '10.0.0.1', count: 6 });
    // successful logins do not count
    d.observe('security', 30, { event: 'login_succeeded', ip: '10.0.0.2' });
    expect(found).toHaveLength(2);
  });

  it('flags an error spike and security events that need a human at once', () => {
    const { d, found } = setup();
    for (let i = 0; i < 4; i++) d.observe('error', 50, { err: { message: 'db down' } }, 'request failed');
    d.observe('error', 40, {}, 'a warning is not an error');
    expect(found).toEqual([]);
    d.observe('error', 50, {}, 'request failed');
    expect(found[0]).toMatchObject({ kind: 'error_spike', count: 5 });
    d.observe('security', 40, { event: 'refresh_token_reuse', userId: 'u1' });
    expect(found[1]).toMatchObject({
      kind: 'security_event',
      severity: 'critical',
      key: 'refresh_token_reuse:u1',
    });
  });

  it('notices a sudden latency jump against the baseline, but not a steady slow service', () => {
    const { d, found, advance } = setup();
    // ten minutes at ~50 ms
    for (let s = 0; s < 600; s++) {
      d.observe('access', 30, { status: 200, durationMs: 40 + (s % 20) });
      advance(1000);
    }
    expect(found).toEqual([]);
    // then 30 s at ~900 ms
    for (let s = 0; s < 30; s++) {
      d.observe('access', 30, { status: 200, durationMs: 900 });
      advance(1000);
    }
    expect(found.map((f) => f.kind)).toEqual(['latency_jump']);
    expect(found[0]!.message).toMatch(/p95 jumped to 900 ms/);

    const steady = setup();
    for (let s = 0; s < 700; s++) {
      steady.d.observe('access', 30, { status: 200, durationMs: 900 });
      steady.advance(1000);
    }
    expect(steady.found).toEqual([]);
  });

  it('keeps working when the sink throws', () => {
    const d = new LogDetector(settings, () => {
      throw new Error('notifier down');
    });
    for (let i = 0; i < 6; i++) d.observe('access', 30, { status: 500, durationMs: 1 });
    expect(d.fired).toHaveLength(1);
  });
});
