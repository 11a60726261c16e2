// The speaker's client, run in the parent: measures its own latency and gaps, and checks at the
// end that the aggregate it sees equals the final levels every listener set.
import { openClient } from './clients.mjs';
import { Histogram } from './histogram.mjs';

export function connectSpeaker(target, token, timeoutMs = 15_000) {
  const hist = new Histogram();
  const state = { measuring: false, gaps: 0, updates: 0, lastSeq: -1, counts: null, n: null, closed: null };
  const waiters = new Set();
  let client;
  const welcomed = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the speaker got no welcome')), timeoutMs);
    client = openClient(
      target,
      { token, index: -1, role: 'speaker' },
      {
        onWelcome() {
          clearTimeout(timer);
          resolve();
        },
        onUpdate(ts, seq, msg) {
          if (state.measuring) {
            hist.record(Date.now() - ts);
            state.updates++;
            if (state.lastSeq >= 0 && seq > state.lastSeq + 1) state.gaps += seq - state.lastSeq - 1;
          }
          state.lastSeq = seq;
          state.counts = msg.counts;
          state.n = msg.n;
          for (const w of waiters) w();
        },
        onClose(reason) {
          state.closed = reason;
          clearTimeout(timer);
          reject(new Error(`the speaker's connection closed: ${reason}`));
        },
      },
    );
  });
  return {
    welcomed,
    startWindow() {
      hist.reset();
      Object.assign(state, { measuring: true, gaps: 0, updates: 0 });
    },
    stopWindow() {
      state.measuring = false;
      return { ...hist.summary(), gaps: state.gaps, updates: state.updates, hist: hist.toJSON() };
    },
    /** Waits until the aggregate equals `expected`; resolves with what it saw either way. */
    waitForCounts(expected, timeoutMs) {
      const started = Date.now();
      const same = () => state.counts && expected.every((v, i) => state.counts[i] === v);
      return new Promise((resolve) => {
        const done = (matched) => {
          waiters.delete(check);
          clearTimeout(settling);
          resolve({ matched, ms: Date.now() - started, counts: state.counts, n: state.n });
        };
        // A match must survive a few more ticks: a transient coincidence is not convergence.
        let settling = null;
        const check = () => {
          if (!same() || settling) return;
          const at = Date.now() - started;
          settling = setTimeout(() => {
            settling = null;
            if (same()) {
              waiters.delete(check);
              clearTimeout(timer);
              resolve({ matched: true, ms: at, counts: state.counts, n: state.n });
            }
          }, 750);
        };
        const timer = setTimeout(() => done(same()), timeoutMs + 750);
        waiters.add(check);
        check();
      });
    },
    close: () => client.close(),
  };
}

/** Listeners whose final level the speaker's aggregate does not show (0 when it matches). */
export function signalsLost(expected, seen, n) {
  if (!seen) return expected.reduce((a, b) => a + b, 0);
  const missing = expected.reduce((a, v, i) => a + Math.max(0, v - (seen[i] ?? 0)), 0);
  return Math.max(missing, expected.reduce((a, b) => a + b, 0) - (n ?? 0));
}
