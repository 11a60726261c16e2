/**
 * Log path figures: cost of one access line (redaction + JSON + synchronous file write) against
 * plain pino to the same kind of file, and archive/read/search throughput on a large day file.
 * Run: npx tsx bench/logs-bench.ts [MB]
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { archiveLogs } from '../packages/server/src/ops/logs/archive.js';
import { loadKeyring } from '../packages/server/src/ops/logs/archive-crypto.js';
import { searchLogs } from '../packages/server/src/ops/logs/search.js';
import { loadConfig } from '../packages/server/src/config.js';
import { createLogStreams } from '../packages/server/src/platform/logger.js';

const dir = mkdtempSync(path.join(tmpdir(), 'rstream-logs-bench-'));
const N = 100_000;
const line = () => ({
  reqId: randomUUID(),
  method: 'GET',
  route: '/api/sessions/:id',
  url: '/api/sessions/5b8e?include=history',
  status: 200,
  durationMs: 3.4,
  bytes: 1532,
  ip: '203.0.113.7',
  userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15',
});

try {
  const logs = createLogStreams({ LOG_LEVEL: 'silent', LOG_DIR: path.join(dir, 'live') });
  for (let i = 0; i < 2000; i++) logs.access.info(line(), 'request');
  let t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) logs.access.info(line(), 'request');
  const ours = Number(process.hrtime.bigint() - t) / 1e3 / N;
  logs.close();

  const plain = pino(
    { timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination({ dest: path.join(dir, 'plain.log'), sync: true }),
  );
  for (let i = 0; i < 2000; i++) plain.info(line(), 'request');
  t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) plain.info(line(), 'request');
  const base = Number(process.hrtime.bigint() - t) / 1e3 / N;
  console.log(
    `access line: ${ours.toFixed(1)} µs (plain pino, sync file: ${base.toFixed(1)} µs) over ${N} lines`,
  );

  const mb = Number(process.argv[2] ?? 100);
  const logDir = path.join(dir, 'arch');
  const day = '2026-01-10';
  const one = JSON.stringify({
    level: 'info',
    time: `${day}T10:00:00.000Z`,
    stream: 'access',
    pid: 1,
    hostname: 'vm',
    ...line(),
    msg: 'request',
  });
  const count = Math.ceil((mb * 1024 * 1024) / (one.length + 1));
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    parts.push(
      JSON.stringify({
        level: 'info',
        time: `${day}T10:00:00.000Z`,
        stream: 'access',
        pid: 1,
        hostname: 'vm',
        ...line(),
        durationMs: i % 97,
        msg: 'request',
      }),
    );
  }
  const file = path.join(logDir, 'access', `access-${day}.log`);
  (await import('node:fs')).mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${parts.join('\n')}\n`);
  const size = statSync(file).size;
  const config = loadConfig({
    DATA_DIR: dir,
    LOG_DIR: logDir,
    LOG_ARCHIVE_KEY: randomBytes(32).toString('base64'),
    LOG_ARCHIVE_UPLOAD: 'false',
  });
  t = process.hrtime.bigint();
  const r = await archiveLogs(config, { now: Date.parse('2026-01-20T00:00:00Z') });
  const archiveS = Number(process.hrtime.bigint() - t) / 1e9;
  const out = statSync(r.archived[0]!).size;
  console.log(
    `archive: ${(size / 1048576).toFixed(0)} MB (${count} lines) → ${(out / 1048576).toFixed(1)} MB (${((out / size) * 100).toFixed(1)} %) ` +
      `in ${archiveS.toFixed(1)} s (hash + gzip -9 + AES-GCM + verify), ${(size / 1048576 / archiveS).toFixed(0)} MB/s`,
  );
  t = process.hrtime.bigint();
  const target = parts[Math.floor(count / 2)]!;
  const reqId = (JSON.parse(target) as { reqId: string }).reqId;
  const found = await searchLogs(logDir, { requestId: reqId }, loadKeyring(config), () => {});
  const searchS = Number(process.hrtime.bigint() - t) / 1e9;
  console.log(
    `search by request id in the archive: ${found.matched} match in ${searchS.toFixed(1)} s (verify pass + search pass)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
