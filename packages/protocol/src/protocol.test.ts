import { describe, expect, it } from 'vitest';
import {
  clientMessageSchema,
  createSessionBodySchema,
  joinBodySchema,
  JOIN_CODE_ALPHABET,
  serverMessageSchema,
  sessionSettingsPatchSchema,
} from './index.js';

describe('join codes', () => {
  it('use no look-alike characters', () => {
    for (const c of '0O1IL2Z5S8B') expect(JOIN_CODE_ALPHABET).not.toContain(c);
    expect(new Set(JOIN_CODE_ALPHABET).size).toBe(JOIN_CODE_ALPHABET.length);
  });
  it('are normalised to upper case and checked', () => {
    expect(joinBodySchema.parse({ code: ' hmcgyr ', displayName: ' Ann ' })).toEqual({
      code: 'HMCGYR',
      displayName: 'Ann',
    });
    expect(joinBodySchema.safeParse({ code: 'HMCGY0', displayName: 'Ann' }).success).toBe(false);
    expect(joinBodySchema.safeParse({ code: 'HMCGYRR', displayName: 'Ann' }).success).toBe(false);
  });
});

describe('client messages', () => {
  it('accept levels 1–5 only, as integers', () => {
    for (const level of [1, 2, 3, 4, 5])
      expect(clientMessageSchema.safeParse({ type: 'understanding:set', level }).success).toBe(true);
    for (const level of [0, 6, 2.5, '3', null])
      expect(clientMessageSchema.safeParse({ type: 'understanding:set', level }).success).toBe(false);
  });
  it('reject unknown types and extra fields', () => {
    expect(clientMessageSchema.safeParse({ type: 'hack' }).success).toBe(false);
    expect(clientMessageSchema.safeParse({ type: 'ping', id: 1, extra: true }).success).toBe(false);
  });
});

describe('server messages', () => {
  it('describe the understanding update of the contract', () => {
    const m = {
      type: 'understanding:update',
      t: 1000,
      ts: 1,
      seq: 3,
      avg: 3.5,
      n: 2,
      counts: [0, 1, 0, 0, 1],
      participants: [{ participantId: 'a', level: 2 }],
    };
    expect(serverMessageSchema.parse(m)).toEqual(m);
    expect(serverMessageSchema.safeParse({ ...m, counts: [1, 2] }).success).toBe(false);
  });
});

describe('session bodies', () => {
  it('accept partial settings and reject unknown ones', () => {
    expect(sessionSettingsPatchSchema.parse({ warning: { threshold: 2 } })).toEqual({
      warning: { threshold: 2 },
    });
    expect(sessionSettingsPatchSchema.safeParse({ colour: 'red' }).success).toBe(false);
    expect(
      createSessionBodySchema.safeParse({
        title: 'x',
        mode: 'presentation',
        settings: { plannedDurationMin: 0 },
      }).success,
    ).toBe(false);
  });
});
