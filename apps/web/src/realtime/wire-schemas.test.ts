import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WIRE_SCHEMA_FILE, wireSchemasJson } from '../../build/wire-schemas';
import { parseErrorBody, parseServerMessage } from './wire';

describe('wire schemas', () => {
  it('are the JSON Schema of the protocol package as it is now (rebuild the web app if this fails)', () => {
    expect(readFileSync(WIRE_SCHEMA_FILE, 'utf8')).toBe(wireSchemasJson());
  });

  it('accept real messages and extra fields, refuse wrong ones with a path', () => {
    const q = parseServerMessage({ type: 'pong', id: 3, serverTime: 1, extra: true });
    expect(q.ok).toBe(true);
    const bad = parseServerMessage({ type: 'warning', active: 'yes', t: 1, avg: null });
    expect(bad).toEqual({ ok: false, problem: { path: 'active', problem: 'expected boolean, got string' } });
    expect(parseServerMessage({ type: 'session:status', status: 'paused' }).ok).toBe(false);
    expect(parseErrorBody({ error: { code: 'X', message: 'm', requestId: 'r' } })).not.toBeNull();
    expect(parseErrorBody({ error: { code: 1 } })).toBeNull();
  });
});
