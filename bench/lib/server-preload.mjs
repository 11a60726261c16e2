// Preloaded into the benchmarked R-Stream server (`node --expose-gc --import …`). It changes nothing
// in the server; it only listens on stdin, which the benchmark holds:
//   "gc <n>\n"  → a full garbage collection, then process.memoryUsage() written to
//                 $BENCH_MEMORY_FILE as {n, rss, heapUsed, external, arrayBuffers};
//   end of file → the benchmark exited, crashed or was killed: shut down (gracefully first) and,
//                 as nobody else will, remove the temp DATA_DIR the benchmark made for this run.
import { renameSync, rmSync, writeFileSync } from 'node:fs';

const file = process.env.BENCH_MEMORY_FILE;
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  for (const m of chunk.matchAll(/gc (\d+)/g)) {
    globalThis.gc?.();
    if (!file) continue;
    writeFileSync(`${file}.tmp`, JSON.stringify({ n: Number(m[1]), ...process.memoryUsage() }));
    renameSync(`${file}.tmp`, file);
  }
});
process.stdin.on('end', () => {
  const dir = process.env.BENCH_TEMP_DATA_DIR;
  if (dir && dir === process.env.DATA_DIR)
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  process.kill(process.pid, 'SIGTERM');
  setTimeout(() => process.exit(1), 10_000).unref();
});
process.stdin.on('error', () => process.exit(1));
process.stdin.unref?.();
