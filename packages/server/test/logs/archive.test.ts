import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { archiveLogs } from '../../src/ops/logs/archive.js';
import { loadKeyring, readArchive } from '../../src/ops/logs/archive-file.js';
import { fileKeyId as keyIdOf } from '../../src/platform/crypto-keys.js';
import { runLogsCli } from '../../src/ops/logs/logs-cli.js';
import { pruneLogs } from '../../src/ops/logs/retention.js';
import { createS3Target } from '../../src/platform/s3.js';
import { capture, DAY, dayBefore, logConfig, newKey, NOW, tempLogDir, writeLog } from './log-helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(env: Record<string, string> = {}) {
  const dir = tempLogDir();
  dirs.push(dir);
  const key = newKey();
  const config = logConfig(dir, { LOG_ARCHIVE_KEY: key, ...env });
  const lines = Array.from({ length: 2000 }, (_, i) => ({
    reqId: `req-${i}`,
    route: '/api/health',
    status: 200,
    durationMs: i % 17,
  }));
  const day = dayBefore(8);
  const file = writeLog(dir, 'access', day, lines);
  const archive = path.join(dir, 'archive', 'access', `access-${day}.log.gz.enc`);
  return { dir, key, config, file, archive, day, original: readFileSync(file) };
}

async function collect(file: string, keyring: ReturnType<typeof loadKeyring>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await readArchive(
    file,
    keyring,
    new Writable({ write: (c, _e, cb) => (chunks.push(Buffer.from(c)), cb()) }),
  );
  return Buffer.concat(chunks);
}

describe('log archives', () => {
  it('archives files old enough, verifies them, removes the originals, and reads them back', async () => {
    const s = setup();
    const recent = writeLog(s.dir, 'access', dayBefore(6), [{ msg: 'too young to archive' }]);
    const today = writeLog(s.dir, 'error', dayBefore(0), [{ msg: 'being written' }]);
    const r = await archiveLogs(s.config, { now: NOW });
    expect(r).toMatchObject({ status: 'ok', archived: [s.archive] });
    expect(r.line).toBe('logs archive: ok, archived 1 file(s)');
    expect(existsSync(s.file)).toBe(false);
    expect(existsSync(recent) && existsSync(today)).toBe(true);
    // compressed and not readable as text
    const raw = readFileSync(s.archive);
    expect(raw.length).toBeLessThan(s.original.length / 5);
    expect(raw.includes(Buffer.from('req-1'))).toBe(false);
    expect(raw.subarray(0, 8).toString()).toBe('RSCRYPT2');
    expect(JSON.parse(raw.subarray(10, 10 + raw.readUInt16BE(8)).toString()).keyId).toBe(
      keyIdOf(Buffer.from(s.key, 'base64')),
    );
    expect(readdirSync(path.dirname(s.archive))).toEqual([path.basename(s.archive)]);

    expect((await collect(s.archive, loadKeyring(s.config))).equals(s.original)).toBe(true);
    const cli = await capture(() => runLogsCli(['read', s.archive], s.config, NOW));
    expect(cli.code).toBe(0);
    expect(cli.out).toBe(s.original.toString());
  });

  it('refuses a tampered archive or a wrong key with a clear error, prints nothing and leaves it in place', async () => {
    const s = setup();
    await archiveLogs(s.config, { now: NOW });
    const good = readFileSync(s.archive);

    const wrongKey = logConfig(s.dir, { LOG_ARCHIVE_KEY: newKey() });
    const wrong = await capture(() => runLogsCli(['read', s.archive], wrongKey, NOW));
    expect(wrong.code).toBe(1);
    expect(wrong.out).toBe('');
    expect(wrong.err).toContain(
      `encrypted with key ${keyIdOf(Buffer.from(s.key, 'base64'))}, which is not configured`,
    );

    // after a key rotation the old key, listed in LOG_ARCHIVE_OLD_KEYS, still reads it
    const rotated = logConfig(s.dir, {
      LOG_ARCHIVE_KEY: newKey(),
      LOG_ARCHIVE_OLD_KEYS: ` ${newKey()}, ${s.key}`,
    });
    expect((await collect(s.archive, loadKeyring(rotated))).equals(s.original)).toBe(true);

    const flipped = Buffer.from(good);
    flipped[Math.floor(flipped.length / 2)]! ^= 0x01;
    writeFileSync(s.archive, flipped);
    const tampered = await capture(() => runLogsCli(['read', s.archive], s.config, NOW));
    expect(tampered.code).toBe(1);
    expect(tampered.out).toBe('');
    expect(tampered.err).toMatch(/archive is tampered with or corrupted/);
    expect(readFileSync(s.archive).equals(flipped)).toBe(true);

    // the header is authenticated too: relabelling the stream is noticed
    const relabelled = Buffer.from(
      good.toString('latin1').replace('"stream":"access"', '"stream":"audits"'),
      'latin1',
    );
    writeFileSync(s.archive, relabelled);
    expect((await capture(() => runLogsCli(['read', s.archive], s.config, NOW))).err).toMatch(
      /tampered with or corrupted/,
    );

    writeFileSync(s.archive, good.subarray(0, 30));
    expect((await capture(() => runLogsCli(['read', s.archive], s.config, NOW))).err).toMatch(
      /truncated or corrupted/,
    );
    const missing = await capture(() => runLogsCli(['read', `${s.archive}.nope`], s.config, NOW));
    expect([missing.code, missing.err.includes('no such archive')]).toEqual([1, true]);
  });

  it('an interrupted run leaves no partial archive and the original intact; the next run finishes the job', async () => {
    const s = setup();
    const r = await archiveLogs(s.config, {
      now: NOW,
      onChunk: (_f, bytes) => {
        if (bytes > 0) throw new Error('power cut');
      },
    });
    expect(r.status).toBe('failed');
    expect(r.failures[0]).toContain('power cut');
    expect(readdirSync(path.dirname(s.archive))).toEqual([]);
    expect(readFileSync(s.file).equals(s.original)).toBe(true);

    // a process killed mid-write leaves a .tmp behind: the next run clears it and archives properly
    writeFileSync(`${s.archive}.tmp`, 'half an archive');
    const again = await archiveLogs(s.config, { now: NOW });
    expect(again.status).toBe('ok');
    expect(readdirSync(path.dirname(s.archive))).toEqual([path.basename(s.archive)]);

    // stopped after the rename but before removing the original: the next run checks and removes it
    writeFileSync(s.file, s.original);
    const third = await archiveLogs(s.config, { now: NOW });
    expect(third).toMatchObject({ status: 'ok', archived: [s.archive] });
    expect(existsSync(s.file)).toBe(false);
    // a different original under the same name is never deleted
    writeFileSync(s.file, 'something else\n');
    const fourth = await archiveLogs(s.config, { now: NOW });
    expect(fourth.status).toBe('failed');
    expect(fourth.failures[0]).toContain('already exists and holds different content');
    expect(existsSync(s.file)).toBe(true);
  });

  it('skips cleanly without a key and rejects a malformed one', async () => {
    const s = setup({ LOG_ARCHIVE_KEY: '' });
    expect((await archiveLogs(s.config, { now: NOW })).status).toBe('skipped');
    expect(existsSync(s.file)).toBe(true);
    const bad = await archiveLogs(logConfig(s.dir, { LOG_ARCHIVE_KEY: 'c2hvcnQ=' }), { now: NOW });
    expect(bad.status).toBe('failed');
    expect(bad.line).toContain('LOG_ARCHIVE_KEY must be 32 random bytes in base64');
    expect(existsSync(s.file)).toBe(true);
  });
});

describe('log archives in S3', () => {
  let server: { close(): Promise<void> } | null = null;
  let endpoint = '';
  const s3Dir = tempLogDir();
  beforeAll(async () => {
    const { default: S3rver } = (await import('s3rver' as string)) as {
      default: new (o: object) => { run(): Promise<{ port: number }>; close(): Promise<void> };
    };
    const s3 = new S3rver({
      address: '127.0.0.1',
      port: 0,
      directory: s3Dir,
      silent: true,
      configureBuckets: [{ name: 'rstream-logs' }],
    });
    const addr = await s3.run();
    endpoint = `http://127.0.0.1:${addr.port}`;
    server = s3;
  });
  afterAll(async () => {
    await server?.close();
    rmSync(s3Dir, { recursive: true, force: true });
  });

  it('uploads archives under logs/<stream>/ and prunes them there too', async () => {
    const s3env = {
      S3_ENDPOINT: endpoint,
      S3_BUCKET: 'rstream-logs',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: 'true',
      LOG_ARCHIVE_UPLOAD: 'true',
    };
    const s = setup(s3env);
    const r = await archiveLogs(s.config, { now: NOW });
    expect(r).toMatchObject({ status: 'ok', uploaded: 1 });
    const target = createS3Target(s.config);
    const key = `logs/access/${path.basename(s.archive)}`;
    const head = await target.client.send(new HeadObjectCommand({ Bucket: 'rstream-logs', Key: key }));
    expect(head.ContentLength).toBe(readFileSync(s.archive).length);

    // 90 days later the access archive is past retention: gone locally and remotely
    const later = Date.parse(`${s.day}T00:00:00Z`) + 91 * DAY;
    const p = await pruneLogs(s.config, { now: later });
    expect(p).toMatchObject({ status: 'ok', remoteDeleted: 1 });
    expect(existsSync(s.archive)).toBe(false);
    const left = await target.client.send(
      new ListObjectsV2Command({ Bucket: 'rstream-logs', Prefix: 'logs/' }),
    );
    expect(left.Contents ?? []).toEqual([]);
    target.client.destroy();
  });
});
