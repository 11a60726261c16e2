import { act, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import { page } from './routes';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const Hello = ({ params }: { params: Record<string, string> }) => <p>hello {params.id}</p>;

/** Renders `el` under a Suspense whose fallback says "loading", and records every state of the DOM. */
async function renderRecording(el: React.ReactElement) {
  const host = document.createElement('div');
  document.body.append(host);
  const seen: string[] = [];
  const obs = new MutationObserver(() => seen.push(host.textContent ?? ''));
  obs.observe(host, { subtree: true, childList: true, characterData: true });
  const root = createRoot(host);
  await act(async () => root.render(<Suspense fallback={<p>loading</p>}>{el}</Suspense>));
  return { host, seen, root, obs };
}

describe('page (a lazy page that can be loaded before the first render)', () => {
  afterEach(() => document.body.replaceChildren());

  it('renders the page in its first frame once preloaded: no fallback shown', async () => {
    let loads = 0;
    const P = page(() => {
      loads++;
      return Promise.resolve(Hello);
    });
    await P.preload();
    const { host, seen } = await renderRecording(<P params={{ id: '7' }} />);
    expect(host.textContent).toBe('hello 7');
    expect(seen.some((t) => t.includes('loading'))).toBe(false);
    await P.preload();
    expect(loads).toBe(1); // the chunk is asked for once
  });

  it('without a preload it suspends as React.lazy does, then shows the page', async () => {
    let release!: () => void;
    const P = page(() => new Promise<typeof Hello>((r) => (release = () => r(Hello))));
    const { host, seen } = await renderRecording(<P params={{ id: '8' }} />);
    expect(host.textContent).toBe('loading');
    await act(async () => release());
    expect(host.textContent).toBe('hello 8');
    expect(seen[0]).toContain('loading');
  });

  it('a chunk that failed to load is asked for again', async () => {
    let calls = 0;
    const P = page(() => (++calls === 1 ? Promise.reject(new Error('offline')) : Promise.resolve(Hello)));
    await expect(P.preload()).rejects.toThrow('offline');
    await P.preload();
    expect(calls).toBe(2);
    const { host } = await renderRecording(<P params={{ id: '9' }} />);
    expect(host.textContent).toBe('hello 9');
  });
});
