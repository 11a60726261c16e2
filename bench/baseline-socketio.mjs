// The baseline the benchmark compares R-Stream with: a minimal Socket.IO 4.8 server written the way
// a typical implementation is. Each listener emits its level, the server keeps the tally, and
//   --mode event : broadcasts the aggregate to the room on every signal (io.to(room).emit per event)
//   --mode tick  : broadcasts it at most once per --tick-ms when it changed (isolates the transport)
// Every broadcast carries `ts` (server epoch ms) and `seq`, like R-Stream's understanding:update.
// Forked by bench/run.mjs; answers {cmd:'stats'} over IPC and ends when its parent goes away.
import http from 'node:http';
import { parseArgs } from 'node:util';
import { Server } from 'socket.io';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '4850' },
    mode: { type: 'string', default: 'tick' },
    'tick-ms': { type: 'string', default: '250' },
  },
});
const mode = args.mode;
if (mode !== 'event' && mode !== 'tick') {
  console.error(`--mode must be "event" or "tick", not ${JSON.stringify(mode)}`);
  process.exit(2);
}
const TICK_MS = Number(args['tick-ms']);
const ROOM = 'bench';

const httpServer = http.createServer((_req, res) => res.writeHead(404).end());
const io = new Server(httpServer, {
  transports: ['websocket'],
  perMessageDeflate: false,
  httpCompression: false,
  serveClient: false,
  maxHttpBufferSize: 10_000,
});

const levels = new Map(); // socket id → level
const counts = [0, 0, 0, 0, 0];
let sum = 0;
let seq = 0;
let dirty = false;
const stats = { signals: 0, broadcasts: 0, connections: 0 };

function broadcast() {
  seq++;
  stats.broadcasts++;
  const n = levels.size;
  io.to(ROOM).emit('agg', { ts: Date.now(), seq, n, avg: n ? sum / n : null, counts: [...counts] });
}

function setLevel(id, level) {
  const prev = levels.get(id);
  if (prev !== undefined) {
    counts[prev - 1]--;
    sum -= prev;
  }
  levels.set(id, level);
  counts[level - 1]++;
  sum += level;
}

io.on('connection', (socket) => {
  stats.connections++;
  socket.join(ROOM);
  socket.emit('welcome', { serverTime: Date.now(), mode, tickMs: mode === 'tick' ? TICK_MS : null });
  if (socket.handshake.auth?.role === 'speaker') return;
  socket.on('level', (level) => {
    if (!Number.isInteger(level) || level < 1 || level > 5) return;
    stats.signals++;
    setLevel(socket.id, level);
    if (mode === 'event') broadcast();
    else dirty = true;
  });
  socket.on('disconnect', () => {
    const prev = levels.get(socket.id);
    if (prev === undefined) return;
    levels.delete(socket.id);
    counts[prev - 1]--;
    sum -= prev;
    if (mode === 'event') broadcast();
    else dirty = true;
  });
});

if (mode === 'tick') {
  setInterval(() => {
    if (!dirty) return;
    dirty = false;
    broadcast();
  }, TICK_MS);
}

process.on('message', (m) => {
  if (m?.cmd === 'gc') {
    globalThis.gc?.();
    process.send?.({ type: 'memory', ...process.memoryUsage() });
  }
  if (m?.cmd === 'stats') process.send?.({ type: 'stats', ...stats, seq, connected: io.engine.clientsCount });
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));

httpServer.listen(Number(args.port), '127.0.0.1', () => {
  process.send?.({ type: 'listening', port: Number(args.port) });
  if (!process.send) console.log(`Socket.IO baseline (${mode}) on http://127.0.0.1:${args.port}`);
});
