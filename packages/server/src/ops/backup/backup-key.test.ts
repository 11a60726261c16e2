import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { decryptToFile, encryptStream } from '../../platform/crypto-file.js';
import { keyringOf } from '../../platform/crypto-keys.js';
import { BackupKeyError, parseBackupKey, type BackupKey } from './backup-key.js';
import { backupFileName, parseBackupName } from './backup-files.js';
import { diffStats, describeDiff } from './db-stats.js';

const dir = mkdtempSync(path.join(tmpdir(), 'rstream-crypto-'));
const key = parseBackupKey('0f'.repeat(32), 'k');
const decryptFile = (src: string, dest: string, k: BackupKey) => decryptToFile(src, dest, keyringOf(k));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function encrypt(data: Buffer, file: string) {
  await pipeline(
    Readable.from([data.subarray(0, 10), data.subarray(10)]),
    encryptStream(key),
    createWriteStream(file),
  );
}

describe('backup encryption', () => {
  it('accepts 64 hex chars or base64 of 32 bytes, and never echoes a bad key', () => {
    expect(parseBackupKey(Buffer.alloc(32, 1).toString('base64'), 'k').key).toEqual(Buffer.alloc(32, 1));
    expect(key.id).toMatch(/^[0-9a-f]{16}$/);
    expect(() => parseBackupKey('secret-but-short', 'BACKUP_ENCRYPTION_KEY')).toThrow(BackupKeyError);
    try {
      parseBackupKey('secret-but-short', 'BACKUP_ENCRYPTION_KEY');
    } catch (e) {
      expect((e as Error).message).not.toContain('secret-but-short');
    }
  });

  it('round-trips, and refuses a flipped bit, a cut file and another key', async () => {
    const data = Buffer.from('rows of a dump '.repeat(1000));
    const enc = path.join(dir, 'a.enc');
    await encrypt(data, enc);
    const out = path.join(dir, 'a.out');
    await decryptFile(enc, out, key);
    expect(readFileSync(out)).toEqual(data);

    const bytes = Buffer.from(readFileSync(enc));
    bytes[100] = bytes[100]! ^ 1;
    writeFileSync(path.join(dir, 'b.enc'), bytes);
    await expect(decryptFile(path.join(dir, 'b.enc'), out, key)).rejects.toThrow(/failed authentication/);
    writeFileSync(path.join(dir, 'c.enc'), readFileSync(enc).subarray(0, 500));
    await expect(decryptFile(path.join(dir, 'c.enc'), out, key)).rejects.toThrow(/failed authentication/);
    await expect(decryptFile(enc, out, parseBackupKey('aa'.repeat(32), 'k2'))).rejects.toThrow(
      /encrypted with key/,
    );
  });
});

describe('backup names and stats comparison', () => {
  it('names carry time, kind, format and encryption, and parse back', () => {
    const t = new Date('2026-11-28T14:05:09Z');
    const name = backupFileName(t, 'hourly', 'custom', true);
    expect(name).toBe('rstream-db-20261128T140509Z-hourly.dump.enc');
    expect(parseBackupName(name)).toEqual({
      name,
      time: t,
      kind: 'hourly',
      format: 'custom',
      encrypted: true,
    });
    expect(parseBackupName('rstream-db-20261128T140509Z-hourly.dump.enc.sha256')).toBeNull();
  });

  it('reports missing tables, row differences and checksum differences', () => {
    const e = { a: { rows: 1, checksum: 'x' }, b: { rows: 2, checksum: 'y' }, c: { rows: 0, checksum: 'z' } };
    const d = diffStats(
      e,
      { a: { rows: 1, checksum: 'x' }, b: { rows: 3, checksum: 'y' }, d: { rows: 0, checksum: 'z' } },
      { checksums: true, allowExtra: false },
    );
    expect(describeDiff(d)).toBe('b: 3 rows, expected 2; c: missing after restore; d: not in the backup');
    expect(
      diffStats(e, { ...e, a: { rows: 1, checksum: 'changed' } }, { checksums: true, allowExtra: true }).map(
        (x) => x.table,
      ),
    ).toEqual(['a']);
  });
});
