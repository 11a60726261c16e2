// Where the server's main thread spent the measurement window, from a V8 .cpuprofile (--profile).
// Native frames (socket writes, fs calls) are charged to the nearest JavaScript caller's package.
import { readFileSync } from 'node:fs';

const CATEGORIES = [
  ['idle', (u, f) => f === '(idle)'],
  ['garbage collection', (u, f) => f === '(garbage collector)'],
  ['PGlite (embedded database)', (u) => u.includes('@electric-sql/pglite') || u.startsWith('wasm')],
  ['zod (message validation)', (u) => u.includes('node_modules/zod')],
  ['ws library', (u) => u.includes('node_modules/ws/')],
  [
    'socket writes and reads (net, streams)',
    (u) => /node:net|stream_base_commons|internal\/streams|node:stream/.test(u),
  ],
  ['fastify / HTTP', (u) => /fastify|node:_http|node:http|find-my-way|avvio|pino/.test(u)],
  [
    'R-Stream server code',
    (u) => /dist\/(main|cli)\.js|chunk-[A-Z0-9]+\.js/.test(u) && !u.includes('node_modules'),
  ],
];

/** @returns {{windowMs: number, categories: [string, number][], top: [string, number][]}} percentages */
export function summarizeProfile(file, fromUs = -Infinity, toUs = Infinity) {
  const p = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const urlOf = new Map();
  const ownerUrl = (id) => {
    if (urlOf.has(id)) return urlOf.get(id);
    const n = byId.get(id);
    const url = n.callFrame.url || (parent.has(id) ? ownerUrl(parent.get(id)) : '');
    urlOf.set(id, url);
    return url;
  };
  const cats = new Map();
  const fns = new Map();
  let t = p.startTime;
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i] ?? 0;
    if (t < fromUs || t > toUs) continue;
    const d = p.timeDeltas[i + 1] ?? 0;
    total += d;
    const n = byId.get(p.samples[i]);
    const f = n.callFrame.functionName || '(anonymous)';
    const url = ownerUrl(n.id);
    const cat = CATEGORIES.find(([, test]) => test(url, f))?.[0] ?? 'other';
    cats.set(cat, (cats.get(cat) ?? 0) + d);
    const key = `${f} (${url.split('/').slice(-2).join('/') || 'native'})`;
    fns.set(key, (fns.get(key) ?? 0) + d);
  }
  const pct = (m) => [...m].map(([k, v]) => [k, total ? (v / total) * 100 : 0]).sort((a, b) => b[1] - a[1]);
  return { windowMs: total / 1000, categories: pct(cats), top: pct(fns).slice(0, 12) };
}

export function formatProfileSummary(s) {
  const lines = [`  server main thread over the window (${(s.windowMs / 1000).toFixed(1)} s sampled):`];
  for (const [k, v] of s.categories) if (v >= 0.5) lines.push(`    ${v.toFixed(1).padStart(5)} %  ${k}`);
  lines.push('  top functions (self time):');
  for (const [k, v] of s.top.slice(0, 8)) lines.push(`    ${v.toFixed(1).padStart(5)} %  ${k}`);
  return lines.join('\n');
}
