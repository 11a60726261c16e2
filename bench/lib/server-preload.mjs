// Preloaded into the benchmarked server (`node --import`): when the benchmark's end of our stdin
// closes — it exited, crashed or was killed — this process shuts down too, gracefully first.
process.stdin.on('data', () => {});
process.stdin.on('end', () => {
  process.kill(process.pid, 'SIGTERM');
  setTimeout(() => process.exit(1), 10_000).unref();
});
process.stdin.on('error', () => process.exit(1));
process.stdin.unref?.();
