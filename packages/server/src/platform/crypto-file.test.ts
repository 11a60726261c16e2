import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { CryptoFileError } from './crypto-file-error.js';
import { decryptToFile, encryptStream, openEncrypted, verifyEncrypted } from './crypto-file.js';
import { fileKey, keyringOf } from './crypto-keys.js';

// Files written by the two formats before v2 (RSBKENC1 by ops/backup/backup-crypto.ts, RSLOGAR1
// by ops/logs/archive-crypto.ts), made with that code before it was removed; key 0x0f × 32.
const FIXTURES = path.resolve(import.meta.dirname, '../../test/fixtures/crypto-file');
const dir = mkdtempSync(path.join(tmpdir(), 'rstream-crypto-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const key = fileKey(Buffer.alloc(32, 0x0f));
const ring = keyringOf(key);
const other = keyringOf(fileKey(Buffer.alloc(32, 0xaa)));

async function encrypt(data: Buffer, file: string, chunkBytes?: number, pieces = 7) {
  const step = Math.ceil(data.length / pieces) || 1;
  const parts = Array.from({ length: pieces }, (_, i) => data.subarray(i * step, (i + 1) * step));
  await pipeline(
    Readable.from(parts),
    encryptStream(key, { purpose: 'test' }, chunkBytes),
    createWriteStream(file),
  );
}

const fault = (e: unknown) => (e as CryptoFileError).fault;

describe('crypto-file v2', () => {
  it('round-trips empty, exact-multiple and ragged inputs in chunks, with the header meta', async () => {
    for (const n of [0, 1, 64, 4096, 5000]) {
      const data = Buffer.from(Array.from({ length: n }, (_, i) => i % 251));
      const enc = path.join(dir, `rt-${n}.enc`);
      await encrypt(data, enc, 64);
      const out = path.join(dir, `rt-${n}.out`);
      const f = await decryptToFile(enc, out, ring);
      expect(readFileSync(out).equals(data)).toBe(true);
      expect(f).toMatchObject({ format: 'v2', keyId: key.id, meta: { purpose: 'test' } });
      expect(readFileSync(enc).subarray(0, 8).toString()).toBe('RSCRYPT2');
    }
  });

  it('refuses a flipped bit, a cut at a chunk boundary, a cut mid-chunk, swapped chunks and appended bytes; writes nothing', async () => {
    const data = Buffer.from('rows of a dump '.repeat(200));
    const enc = path.join(dir, 'good.enc');
    await encrypt(data, enc, 256);
    const good = readFileSync(enc);
    const headerLen = 10 + good.readUInt16BE(8);
    const sealed = 256 + 16;
    const swapped = Buffer.from(good);
    good.copy(swapped, headerLen, headerLen + sealed, headerLen + 2 * sealed);
    good.copy(swapped, headerLen + sealed, headerLen, headerLen + sealed);
    const flipped = Buffer.from(good);
    flipped[headerLen + 300]! ^= 1;
    const variants: Record<string, Buffer> = {
      flipped,
      boundary: good.subarray(0, headerLen + 3 * sealed),
      midChunk: good.subarray(0, headerLen + 3 * sealed + 100),
      swapped,
      appended: Buffer.concat([good, Buffer.alloc(40)]),
      headerChanged: Buffer.from(
        good.toString('latin1').replace('"purpose":"test"', '"purpose":"tost"'),
        'latin1',
      ),
    };
    for (const [name, bytes] of Object.entries(variants)) {
      const bad = path.join(dir, `${name}.enc`);
      writeFileSync(bad, bytes);
      const out = path.join(dir, `${name}.out`);
      const err = await decryptToFile(bad, out, ring, 'encrypted backup').catch((e: unknown) => e);
      expect(err, name).toBeInstanceOf(CryptoFileError);
      expect(fault(err), name).toBe('corrupt');
      expect((err as Error).message).toMatch(/^encrypted backup: failed authentication/);
      expect(existsSync(out), name).toBe(false);
    }
    expect(readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('names the key it needs, and says so for a header that is cut or not ours', async () => {
    const enc = path.join(dir, 'k.enc');
    await encrypt(Buffer.from('x'.repeat(100)), enc);
    const err = await openEncrypted(enc, other).catch((e: unknown) => e);
    expect([fault(err), (err as CryptoFileError).keyId]).toEqual(['unknown-key', key.id]);
    expect((err as Error).message).toContain(`encrypted with key ${key.id}, which is not configured`);
    writeFileSync(path.join(dir, 'short.enc'), readFileSync(enc).subarray(0, 20));
    expect(fault(await openEncrypted(path.join(dir, 'short.enc'), ring).catch((e: unknown) => e))).toBe(
      'truncated',
    );
    writeFileSync(path.join(dir, 'plain.enc'), 'PGDMP not encrypted at all');
    expect(fault(await openEncrypted(path.join(dir, 'plain.enc'), ring).catch((e: unknown) => e))).toBe(
      'not-encrypted',
    );
  });
});

describe('crypto-file reads the formats before v2', () => {
  const plain = readFileSync(path.join(FIXTURES, 'plain.txt'));

  it('reads a backup written as RSBKENC1 and an archive written as RSLOGAR1 with the same key', async () => {
    const out = path.join(dir, 'legacy-backup.out');
    const b = await decryptToFile(path.join(FIXTURES, 'backup-v1.enc'), out, ring);
    expect(b.format).toBe('backup-v1');
    expect(readFileSync(out).equals(plain)).toBe(true);

    const a = await verifyEncrypted(path.join(FIXTURES, 'archive-v1.log.gz.enc'), ring);
    expect(a.format).toBe('archive-v1');
    expect(a.meta).toMatchObject({ stream: 'access', day: '2026-11-20', bytes: plain.length });
    expect(key.legacyIds).toContain(a.keyId);
    expect(key.legacyIds).toContain(b.keyId);
  });

  it('refuses a tampered or truncated legacy file and writes nothing out', async () => {
    for (const name of ['backup-v1.enc', 'archive-v1.log.gz.enc']) {
      const good = readFileSync(path.join(FIXTURES, name));
      const flipped = Buffer.from(good);
      flipped[good.length - 40]! ^= 1;
      for (const [what, bytes] of [
        ['flipped', flipped],
        ['cut', good.subarray(0, good.length - 30)],
      ] as const) {
        const bad = path.join(dir, `${what}-${name}`);
        writeFileSync(bad, bytes);
        const out = `${bad}.out`;
        const err = await decryptToFile(bad, out, ring).catch((e: unknown) => e);
        expect(fault(err), `${what} ${name}`).toBe('corrupt');
        expect(existsSync(out)).toBe(false);
        expect(existsSync(`${out}.partial`)).toBe(false);
      }
      const err = await openEncrypted(path.join(FIXTURES, name), other).catch((e: unknown) => e);
      expect(fault(err)).toBe('unknown-key');
    }
  });
});
