import { describe, expect, it } from 'vitest';
import { nextSlot, scheduleEnabled } from './scheduler.js';

describe('backup schedule', () => {
  it('next slot: minute M of the next UTC hour; the daily hour is the daily backup', () => {
    expect(nextSlot(new Date('2026-11-28T14:04:59Z'), 5, 3)).toEqual({
      at: new Date('2026-11-28T14:05:00Z'),
      kind: 'hourly',
      slot: '2026-11-28T14',
    });
    expect(nextSlot(new Date('2026-11-28T14:05:00Z'), 5, 3)).toEqual({
      at: new Date('2026-11-28T15:05:00Z'),
      kind: 'hourly',
      slot: '2026-11-28T15',
    });
    expect(nextSlot(new Date('2026-11-28T02:30:00Z'), 5, 3)).toEqual({
      at: new Date('2026-11-28T03:05:00Z'),
      kind: 'daily',
      slot: '2026-11-28',
    });
    expect(nextSlot(new Date('2026-12-31T23:59:00Z'), 0, 0)).toEqual({
      at: new Date('2027-01-01T00:00:00Z'),
      kind: 'daily',
      slot: '2027-01-01',
    });
  });

  it('is on in production by default, off in tests and development, and BACKUP_SCHEDULE wins', () => {
    expect(scheduleEnabled({ BACKUP_SCHEDULE: 'auto', NODE_ENV: 'production' })).toBe(true);
    expect(scheduleEnabled({ BACKUP_SCHEDULE: 'auto', NODE_ENV: 'test' })).toBe(false);
    expect(scheduleEnabled({ BACKUP_SCHEDULE: 'off', NODE_ENV: 'production' })).toBe(false);
    expect(scheduleEnabled({ BACKUP_SCHEDULE: 'on', NODE_ENV: 'development' })).toBe(true);
  });
});
