import { describe, expect, it } from 'vitest';
import { createLockout } from './lockout.js';

describe('lock-out (in memory)', () => {
  const policy = { accountThreshold: 3, ipThreshold: 5, windowMs: 60_000, lockMs: 120_000 };

  it('locks an account at the threshold within the window and unlocks after the lock time', async () => {
    let now = 1_000_000;
    const l = createLockout(policy, { now: () => now });
    expect((await l.failure('A@x.test', '1.2.3.4')).accountLocked).toBe(false);
    expect((await l.failure('a@x.test', '1.2.3.4')).accountLocked).toBe(false);
    expect((await l.failure('a@x.test', '1.2.3.4')).accountLocked).toBe(true);
    expect(await l.accountLockedFor('a@x.test')).toBe(120_000);
    now += 119_000;
    expect(await l.accountLockedFor('a@x.test')).toBe(1_000);
    now += 1_000;
    expect(await l.accountLockedFor('a@x.test')).toBe(0);
  });

  it('forgets failures outside the window and after a success', async () => {
    let now = 0;
    const l = createLockout(policy, { now: () => now });
    await l.failure('b@x.test', null);
    await l.failure('b@x.test', null);
    now += 60_001;
    expect((await l.failure('b@x.test', null)).accountFailures).toBe(1);
    await l.failure('b@x.test', null);
    await l.success('b@x.test');
    expect((await l.failure('b@x.test', null)).accountFailures).toBe(1);
  });

  it('blocks an IP that fails across many accounts', async () => {
    const l = createLockout(policy, { now: () => 0 });
    for (let i = 0; i < 4; i++) expect((await l.failure(`u${i}@x.test`, '9.9.9.9')).ipLocked).toBe(false);
    expect((await l.failure('u5@x.test', '9.9.9.9')).ipLocked).toBe(true);
    expect(await l.ipLockedFor('9.9.9.9')).toBe(120_000);
    expect(await l.ipLockedFor('8.8.8.8')).toBe(0);
  });
});
