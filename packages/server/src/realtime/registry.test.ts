import { pingMessageSchema } from '@rstream/protocol';
import { describe, expect, it } from 'vitest';
import { createMessageRegistry, MAX_MESSAGE_COST } from './registry.js';

const ping = {
  type: 'ping' as const,
  schema: pingMessageSchema,
  roles: ['listener'] as const,
  handle: () => {},
};

describe('WebSocket message registry', () => {
  it('keeps registrations by type, in order', () => {
    const r = createMessageRegistry();
    r.register(ping);
    r.register({ ...ping, type: 'other' as 'ping', cost: 3 });
    expect(r.types()).toEqual(['ping', 'other']);
    expect(r.get('other')?.cost).toBe(3);
    expect(r.get('nope')).toBeUndefined();
  });

  it('refuses a type registered twice, no roles, or a cost the bucket cannot hold', () => {
    const r = createMessageRegistry();
    r.register(ping);
    expect(() => r.register(ping)).toThrow(/registered twice/);
    expect(() => r.register({ ...ping, type: 'x' as 'ping', roles: [] })).toThrow(/no role/);
    expect(() => r.register({ ...ping, type: 'y' as 'ping', cost: MAX_MESSAGE_COST + 1 })).toThrow(/cost/);
    expect(() => r.register({ ...ping, type: 'z' as 'ping', cost: 0 })).toThrow(/cost/);
  });
});
