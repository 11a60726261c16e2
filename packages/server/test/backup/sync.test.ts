import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAllObjects } from '../../src/platform/s3.js';
import { runSync, type SyncOptions } from '../../src/ops/backup/sync.js';
import { cleanupTmp, startS3, tmp, type TestS3 } from './fixtures.js';

let s3: TestS3;
beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  await s3?.close();
  cleanupTmp();
});

const MiB = 1024 * 1024;
const keys = async (prefix: string) => (await listAllObjects(s3.target, prefix)).map((o) => o.Key).sort();
const download = async (key: string) =>
  Buffer.from(
    await (
      await s3.target.client.send(new GetObjectCommand({ Bucket: s3.target.bucket, Key: key }))
    ).Body!.transformToByteArray(),
  );

function folder(files: Record<string, string | Buffer>) {
  const dir = tmp('sync');
  for (const [rel, body] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), body);
  }
  return dir;
}

describe('rstream sync (aws s3 sync through the SDK)', () => {
  it('uploads new and changed files only; a second run uploads nothing', async () => {
    const dir = folder({
      'a.json': '{"a":1}',
      'session-1/report.html': '<h1>report</h1>',
      'session-1/graph.csv': 't,avg\n0,3\n',
      'partial.webm.tmp': 'x',
    });
    const o: SyncOptions = {
      target: s3.target,
      localDir: dir,
      prefix: 'archives/',
      stateFile: path.join(tmp('state'), 'archives.json'),
    };
    const first = await runSync(o);
    expect(first.status, first.line).toBe('success');
    expect(first.uploaded.sort()).toEqual(['a.json', 'session-1/graph.csv', 'session-1/report.html']);
    expect(first.line).toMatch(
      /^sync archives: ok 3 uploaded \(.*\), 0 unchanged in .* → s3:\/\/rstream-backups\/archives\/$/,
    );
    expect(await keys('archives/')).toEqual([
      'archives/a.json',
      'archives/session-1/graph.csv',
      'archives/session-1/report.html',
    ]);

    const second = await runSync(o);
    expect(second.uploaded).toEqual([]);
    expect(second.unchanged).toBe(3);

    writeFileSync(path.join(dir, 'session-1/graph.csv'), 't,avg\n0,3\n1,2.5\n');
    const third = await runSync(o);
    expect(third.uploaded).toEqual(['session-1/graph.csv']);
    expect((await download('archives/session-1/graph.csv')).toString()).toBe('t,avg\n0,3\n1,2.5\n');

    // Without the state file (another machine), identical content is recognised by its ETag.
    const fresh = await runSync({ ...o, stateFile: path.join(tmp('state'), 'other.json') });
    expect(fresh.uploaded).toEqual([]);
    expect(fresh.unchanged).toBe(3);
    // A touched but identical file is not uploaded either.
    utimesSync(path.join(dir, 'a.json'), new Date(), new Date(Date.now() + 5000));
    expect((await runSync(o)).uploaded).toEqual([]);
  });

  it('--dry-run changes nothing; --delete removes what is gone locally', async () => {
    const dir = folder({ 'r1.webm': randomBytes(2048), 'r2.webm': randomBytes(1024) });
    const o: SyncOptions = {
      target: s3.target,
      localDir: dir,
      prefix: 'recordings/',
      stateFile: path.join(tmp('state'), 'rec.json'),
    };
    const lines: string[] = [];
    const dry = await runSync({ ...o, dryRun: true, onLine: (l) => lines.push(l) });
    expect(dry.line).toMatch(/^sync recordings: dry run, 2 would upload/);
    expect(lines).toEqual([
      'would upload r1.webm (2.0 KiB) → s3://rstream-backups/recordings/r1.webm',
      'would upload r2.webm (1.0 KiB) → s3://rstream-backups/recordings/r2.webm',
    ]);
    expect(await keys('recordings/')).toEqual([]);

    await runSync(o);
    await s3.target.client.send(
      new PutObjectCommand({ Bucket: s3.target.bucket, Key: 'recordings/old.webm', Body: 'old' }),
    );
    rmSync(path.join(dir, 'r2.webm'));

    const noDelete = await runSync(o);
    expect(noDelete.deleted).toEqual([]);
    expect(await keys('recordings/')).toEqual([
      'recordings/old.webm',
      'recordings/r1.webm',
      'recordings/r2.webm',
    ]);

    const dryDelete = await runSync({ ...o, delete: true, dryRun: true });
    expect(dryDelete.deleted.sort()).toEqual(['recordings/old.webm', 'recordings/r2.webm']);
    expect(dryDelete.line).toContain('2 would delete');
    expect(await keys('recordings/')).toHaveLength(3);

    const del = await runSync({ ...o, delete: true });
    expect(del.status, del.line).toBe('success');
    expect(del.line).toContain('2 deleted');
    expect(await keys('recordings/')).toEqual(['recordings/r1.webm']);
  });

  it('uploads a large file in parts and resumes after an interruption without re-sending finished parts', async () => {
    const big = randomBytes(12 * MiB + 12345);
    const dir = folder({ 'big.webm': big, 'small.txt': 'hello' });
    const o: SyncOptions = {
      target: s3.target,
      localDir: dir,
      prefix: 'resume/',
      stateFile: path.join(tmp('state'), 'resume.json'),
      partSize: 5 * MiB,
      multipartThreshold: 5 * MiB,
      concurrency: 1,
    };
    const interrupted = await runSync({
      ...o,
      afterPart: (_f, n) => {
        if (n === 2) throw new Error('connection reset (simulated)');
      },
    });
    expect(interrupted.status).toBe('failed');
    expect(interrupted.line).toMatch(
      /^sync resume: FAILED 1 file\(s\) \(big\.webm: connection reset \(simulated\)\)/,
    );
    expect(interrupted.partsUploaded).toBe(2);
    expect(await keys('resume/big.webm')).toEqual([]);

    const resumed = await runSync(o);
    expect(resumed.status, resumed.line).toBe('success');
    expect(resumed.resumedParts).toBe(2);
    expect(resumed.partsUploaded).toBe(1);
    expect(resumed.line).toContain('2 parts resumed');
    const got = await download('resume/big.webm');
    expect(createHash('sha256').update(got).digest('hex')).toBe(
      createHash('sha256').update(big).digest('hex'),
    );

    const again = await runSync(o);
    expect(again.uploaded).toEqual([]);
    expect(again.unchanged).toBe(2);
  });

  it('fails clearly when the folder does not exist (and deletes nothing)', async () => {
    const r = await runSync({
      target: s3.target,
      localDir: path.join(tmp('x'), 'missing'),
      prefix: 'archives/',
      stateFile: path.join(tmp('s'), 's.json'),
      delete: true,
    });
    expect(r.status).toBe('failed');
    expect(r.line).toContain('folder does not exist');
    expect((await keys('archives/')).length).toBeGreaterThan(0);
  });
});
