// The scale-out summary (issue 8): every R-Stream mode and the Socket.IO tick baseline side by
// side by size, the largest size each keeps p99 ≤ 100 ms, and the targets checked with ratios.
import { num, table } from './report.mjs';

const P99_TARGET_MS = 100;
const TICK_MS = 250;

/** A run that counts: measured, every client connected, nothing lost. */
const clean = (r) =>
  r?.latencyMs && r.lostUpdates === 0 && (r.signalsLost ?? 0) === 0 && (r.connectFailures ?? 0) === 0;
const withinTarget = (r) => clean(r) && r.latencyMs.p99 <= P99_TARGET_MS;

function groups(results) {
  const out = new Map();
  for (const r of results.rstream) {
    const k = `R-Stream ${r.mode ?? 'embedded'}`;
    if (!out.has(k)) out.set(k, []);
    out.get(k).push(r);
  }
  const tick = results.baselines.filter((b) => b.mode === 'tick');
  if (tick.length) out.set('Socket.IO tick 250 ms', tick);
  return out;
}

/** Largest size with p99 ≤ 100 ms and nothing lost (0 when none). */
const largestOk = (rows) => Math.max(0, ...rows.filter(withinTarget).map((r) => r.listeners));

export function scalingSummary(results) {
  const g = groups(results);
  const sizes = [...new Set([...g.values()].flat().map((r) => r.listeners))].sort((a, b) => a - b);
  const cell = (rows, size) => {
    const r = rows.find((x) => x.listeners === size);
    if (!r) return '';
    if (!r.latencyMs) return r.status?.startsWith('not run') ? 'skip' : 'fail';
    const lost = (r.lostUpdates ?? 0) + (r.signalsLost ?? 0);
    return `${num(r.latencyMs.p99)}${lost ? ` (${num(lost)} lost)` : ''}`;
  };
  const rows = [...g.entries()].map(([name, rs]) => ({ label: name, rs }));
  const lines = [
    `Scale-out summary: p99 ms by listeners (lost updates + signals in brackets); best = largest size with p99 ≤ ${P99_TARGET_MS} ms and 0 lost\n`,
    table(
      rows,
      [
        ...sizes.map((size) => ({ h: num(size), get: (x) => cell(x.rs, size) })),
        { h: 'best', get: (x) => num(largestOk(x.rs)) },
      ],
      'server',
    ),
    '',
  ];
  const rstreamBest = [...g.entries()]
    .filter(([k]) => k.startsWith('R-Stream'))
    .map(([k, rs]) => ({ k, n: largestOk(rs) }))
    .sort((a, b) => b.n - a.n)[0];
  const sio = g.get('Socket.IO tick 250 ms');
  if (rstreamBest && sio) {
    const s = largestOk(sio);
    const ratio = s > 0 ? rstreamBest.n / s : null;
    const capped = sio.every(withinTarget)
      ? ' (the baseline kept the target at every size run: the ratio is a lower bound on its side)'
      : '';
    lines.push(
      `Target: ≥ 2× Socket.IO at p99 ≤ ${P99_TARGET_MS} ms → ${rstreamBest.k} ${num(rstreamBest.n)} vs Socket.IO ${num(s)} = ${ratio === null ? '–' : `${ratio.toFixed(2)}×`} ${ratio !== null && ratio >= 2 ? 'MET' : 'MISSED'}${capped}`,
    );
  }
  for (const [k, rs] of g) {
    if (!k.startsWith('R-Stream')) continue;
    const r = rs.find((x) => x.listeners === 10_000);
    if (!r?.latencyMs) continue;
    const mem = r.kbPerConnection;
    const heap = r.heapKbPerConnection;
    const lag = r.server?.maxMeanTickLagMs;
    lines.push(
      `${k} at 10,000: p99 ${num(r.latencyMs.p99)} ms, lost ${num(r.lostUpdates)} → ${withinTarget(r) ? 'MET' : 'MISSED'}; ` +
        `RSS ${num(mem, 1)} KB/conn, heap ${num(heap, 1)} KB/conn over ${num(r.serverProcesses)} processes → ${mem !== null && mem <= 20 && heap !== null && heap <= 20 ? 'MET' : 'MISSED'} (≤ 20); ` +
        `tick ${num(r.server?.meanTickMs, 1)} ms mean, ${num(r.server?.tickOverruns)} overruns (> 250 ms), worst instance lag ${num(lag, 1)} ms over ${num(r.server?.instancesSeen)} instance(s)`,
    );
  }
  // Redis: K instances vs one instance without Redis (pg), same size.
  const one = g.get('R-Stream pg') ?? [];
  for (const [k, rs] of g) {
    if (!k.startsWith('R-Stream redis-instances')) continue;
    for (const r of rs) {
      const base = one.find((x) => x.listeners === r.listeners);
      if (!r.latencyMs || !base?.latencyMs) continue;
      const d50 = r.latencyMs.p50 - base.latencyMs.p50;
      const d99 = r.latencyMs.p99 - base.latencyMs.p99;
      lines.push(
        `Target: ${k} adds ≤ ${TICK_MS} ms vs pg (one instance, no Redis) at ${num(r.listeners)} → p50 +${num(d50)} ms, p99 +${num(d99)} ms ${d99 <= TICK_MS && d50 <= TICK_MS ? 'MET' : 'MISSED'}`,
      );
    }
  }
  return lines.join('\n');
}
