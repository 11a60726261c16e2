// Preloaded into the benchmarked R-Stream server (`node --expose-gc --import …`), and through
// node:cluster's inherited execArgv into each of its worker processes. It changes nothing in the
// server; it only answers the benchmark:
//   SIGUSR2     → a full garbage collection, then process.memoryUsage() written to
//                 "$BENCH_MEMORY_FILE.<pid>" as {pid, rss, heapUsed, external, arrayBuffers}
//                 (one file per process, so the benchmark can sum a primary and its workers);
//   end of stdin (the primary only; the benchmark holds the pipe) → the benchmark exited, crashed or
//                 was killed: shut down (gracefully first) and, as nobody else will, remove the temp
//                 DATA_DIR the benchmark made for this run. Workers end with their primary.
import cluster from 'node:cluster';
import { renameSync, rmSync, writeFileSync } from 'node:fs';

const file = process.env.BENCH_MEMORY_FILE;
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  if (!file) return;
  const out = `${file}.${process.pid}`;
  writeFileSync(`${out}.tmp`, JSON.stringify({ pid: process.pid, ...process.memoryUsage() }));
  renameSync(`${out}.tmp`, out);
});
if (!cluster.isWorker) {
  process.stdin.on('data', () => {});
  process.stdin.on('end', () => {
    const dir = process.env.BENCH_TEMP_DATA_DIR;
    if (dir && dir === process.env.DATA_DIR)
      process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    process.kill(process.pid, 'SIGTERM');
    setTimeout(() => process.exit(1), 10_000).unref();
  });
  process.stdin.on('error', () => process.exit(1));
  process.stdin.unref?.();
}
