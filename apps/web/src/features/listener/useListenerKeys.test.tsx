import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import type { MeterAction, MeterState } from './meter-reducer';
import { useListenerKeys } from './useListenerKeys';

// Not an act() environment: the test is about the moment after a commit, before passive effects.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;

const state = { style: 'sticky', level: null, held: null } as unknown as MeterState;

function Keys({ enabled, seen }: { enabled: boolean; seen: MeterAction[] }) {
  useListenerKeys(
    state,
    (a) => seen.push(a),
    enabled,
    () => {},
  );
  return <p>{enabled ? 'live' : 'waiting'}</p>;
}

/** Runs `then` as soon as the host's text becomes `text` (a microtask after the DOM commit). */
const whenText = (host: HTMLElement, text: string, then: () => void = () => {}) =>
  new Promise<void>((resolve) => {
    const obs = new MutationObserver(() => {
      if (host.textContent !== text) return;
      obs.disconnect();
      then();
      resolve();
    });
    obs.observe(host, { subtree: true, childList: true, characterData: true });
  });

describe('useListenerKeys', () => {
  afterEach(() => document.body.replaceChildren());

  it('takes a key pressed the moment the buttons turn enabled (the DOM is in, passive effects are not)', async () => {
    const host = document.createElement('div');
    document.body.append(host);
    const root = createRoot(host);
    const seen: MeterAction[] = [];
    const waiting = whenText(host, 'waiting');
    root.render(<Keys enabled={false} seen={seen} />);
    await waiting;
    const live = whenText(host, 'live', () =>
      window.dispatchEvent(new KeyboardEvent('keydown', { key: '4' })),
    );
    root.render(<Keys enabled seen={seen} />);
    await live;
    expect(seen).toEqual([{ type: 'hold', level: 4, source: 'key4' }]);
    root.unmount();
  });
});
