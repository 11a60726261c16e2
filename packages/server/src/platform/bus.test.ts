import { describe, expect, it } from 'vitest';
import { createMemoryBus, fromOtherInstances } from './bus.js';

describe('fromOtherInstances', () => {
  it("hands on other instances' messages, skips its own, and reports what does not parse or throws", async () => {
    const bus = createMemoryBus();
    const got: string[] = [];
    const bad: unknown[] = [];
    await bus.subscribe(
      'ch',
      fromOtherInstances<{ i: string; v: string }>(
        'me',
        (err) => bad.push(err),
        (m) => {
          if (m.v === 'boom') throw new Error('handler failed');
          got.push(`${m.i}:${m.v}`);
        },
      ),
    );
    await bus.publish('ch', JSON.stringify({ i: 'me', v: 'mine' }));
    await bus.publish('ch', JSON.stringify({ i: 'other', v: 'theirs' }));
    await bus.publish('ch', '{not json');
    await bus.publish('ch', 'null');
    await bus.publish('ch', JSON.stringify({ i: 'other', v: 'boom' }));
    await bus.publish('ch', JSON.stringify({ i: 'third', v: 'after' }));
    expect(got).toEqual(['other:theirs', 'third:after']);
    expect(bad).toHaveLength(2);
    expect(bad[0]).toBeInstanceOf(SyntaxError);
    expect((bad[1] as Error).message).toBe('handler failed');
    await bus.close();
  });
});
