// Plain-text tables for the terminal (and docs/benchmarks.md, which pastes them).
export const num = (v, d = 0) =>
  v === null || v === undefined || Number.isNaN(v)
    ? '–'
    : v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

export const COLUMNS = [
  { h: 'listeners', get: (r) => num(r.listeners) },
  { h: 'p50 ms', get: (r) => num(r.latencyMs?.p50) },
  { h: 'p99 ms', get: (r) => num(r.latencyMs?.p99) },
  { h: 'max ms', get: (r) => num(r.latencyMs?.max) },
  { h: 'lost upd', get: (r) => num(r.lostUpdates) },
  { h: 'sig lost', get: (r) => num(r.signalsLost) },
  {
    h: 'settle ms',
    get: (r) => (r.finalCheck ? (r.finalCheck.matched ? num(r.finalCheck.ms) : 'never') : '–'),
  },
  { h: 'srv CPU %', get: (r) => num(r.serverCpuPct) },
  { h: 'srv wait %', get: (r) => num(r.serverRunQueueWaitPct) },
  { h: 'srv RSS MB', get: (r) => num(r.serverRssMb) },
  { h: 'KB/conn', get: (r) => num(r.kbPerConnection, 1) },
  { h: 'heap KB/conn', get: (r) => num(r.heapKbPerConnection, 1) },
  { h: 'B/conn/s', get: (r) => num(r.bytesPerConnPerSec) },
  { h: 'ramp s', get: (r) => num(r.rampSeconds, 1) },
  { h: 'tick ms', get: (r) => num(r.server?.meanTickMs, 1) },
  { h: 'gen CPU %', get: (r) => num(r.generatorCpuPct) },
  { h: 'other CPU %', get: (r) => num(r.otherCpuPct) },
];

export function table(rows, columns, firstHeader = null) {
  const cols = firstHeader ? [{ h: firstHeader, get: (r) => r.label }, ...columns] : columns;
  const cells = rows.map((r) => cols.map((c) => String(c.get(r))));
  const widths = cols.map((c, i) => Math.max(c.h.length, ...cells.map((row) => row[i].length)));
  const line = (vals) =>
    `| ${vals.map((v, i) => (i === 0 && firstHeader ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join(' | ')} |`;
  return [
    line(cols.map((c) => c.h)),
    `|${widths.map((w, i) => (i === 0 && firstHeader ? ':' : '-') + '-'.repeat(w) + (i === 0 && firstHeader ? '-' : ':')).join('|')}|`,
    ...cells.map(line),
  ].join('\n');
}

/** The issue's targets, checked against the largest R-Stream run at or above 5,000. */
export function targetLines(rstreamRows) {
  const out = [];
  const at5k =
    rstreamRows.find((r) => r.listeners === 5000) ?? rstreamRows.filter((r) => r.listeners >= 5000).at(-1);
  if (at5k?.latencyMs) {
    const p99 = at5k.latencyMs.p99;
    out.push(
      `Target: ${num(at5k.listeners)} listeners p99 ≤ 100 ms → ${num(p99)} ms ${p99 <= 100 ? 'MET' : 'MISSED'}`,
    );
  } else {
    out.push('Target: 5,000 listeners p99 ≤ 100 ms → not measured in this run');
  }
  const lost = rstreamRows.reduce((a, r) => a + (r.lostUpdates ?? 0), 0);
  const measured = rstreamRows.filter((r) => r.lostUpdates !== undefined);
  out.push(
    `Target: 0 lost updates → ${measured.length ? `${num(lost)} ${lost === 0 ? 'MET' : 'MISSED'}` : 'not measured'}`,
  );
  return out;
}

const ratio = (a, b) => (a > 0 && b > 0 ? `${(a / b).toFixed(1)}×` : '–');

/** R-Stream next to the Socket.IO tick baseline at each size both ran: baseline ÷ R-Stream. */
export function comparison(rstreamRows, baselineRows) {
  const rows = [];
  for (const r of rstreamRows) {
    for (const b of baselineRows.filter((x) => x.listeners === r.listeners && x.latencyMs)) {
      rows.push({ r, b, label: `${r.label ?? num(r.listeners)} vs ${b.label}` });
    }
  }
  if (rows.length === 0) return null;
  return table(
    rows,
    [
      { h: 'p99 R-Stream', get: (x) => num(x.r.latencyMs?.p99) },
      { h: 'p99 baseline', get: (x) => num(x.b.latencyMs?.p99) },
      { h: 'p99 ×', get: (x) => ratio(x.b.latencyMs?.p99, x.r.latencyMs?.p99) },
      { h: 'CPU % R-S', get: (x) => num(x.r.serverCpuPct) },
      { h: 'CPU % base', get: (x) => num(x.b.serverCpuPct) },
      { h: 'CPU ×', get: (x) => ratio(x.b.serverCpuPct, x.r.serverCpuPct) },
      { h: 'KB/conn R-S', get: (x) => num(x.r.kbPerConnection, 1) },
      { h: 'KB/conn base', get: (x) => num(x.b.kbPerConnection, 1) },
      { h: 'KB ×', get: (x) => ratio(x.b.kbPerConnection, x.r.kbPerConnection) },
      { h: 'B/conn/s ×', get: (x) => ratio(x.b.bytesPerConnPerSec, x.r.bytesPerConnPerSec) },
    ],
    'listeners vs baseline',
  );
}
