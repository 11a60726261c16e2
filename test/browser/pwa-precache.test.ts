import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * What the built service worker makes a phone download in the background (apps/web/build/pwa.ts):
 * the listener's pages and what they import, and no speaker page, no zod and no tus client.
 * Reads the build the browser tests run against (global-setup builds it when missing).
 */
const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../apps/web/dist');

function precached(): string[] {
  const sw = readFileSync(path.join(dist, 'sw.js'), 'utf8');
  return [...sw.matchAll(/url:"([^"]+)"/g)].map((m) => m[1]!);
}
/** The modules a script was built from (its source map; the bundler's tiny runtime has none). */
function sourcesOf(file: string): string[] {
  const map = path.join(dist, `${file}.map`);
  if (!existsSync(map)) return [];
  return (JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] }).sources;
}

describe('the service worker precache', () => {
  it('holds the shell and the listener pages, offline-ready', () => {
    const urls = precached();
    for (const needed of ['index.html', 'manifest.webmanifest']) expect(urls, needed).toContain(needed);
    const scripts = urls.filter((u) => u.endsWith('.js'));
    const modules = scripts.flatMap(sourcesOf);
    for (const page of [
      'src/main.tsx',
      'features/join/JoinPage.tsx',
      'features/listener/ListenerPage.tsx',
      'features/discussion/PhoneTurns.tsx',
      'features/video/ListenerVideo.tsx',
    ])
      expect(
        modules.some((m) => m.endsWith(page)),
        page,
      ).toBe(true);
  });

  it('leaves out every speaker page, zod and the upload client (cached when first used instead)', () => {
    const scripts = precached().filter((u) => u.endsWith('.js'));
    const modules = scripts.flatMap(sourcesOf);
    const speakerOnly = [
      'features/speaker/HostPage.tsx',
      'features/create/CreatePage.tsx',
      'features/admin/AdminPage.tsx',
      'features/ops/OpsDashboardPage.tsx',
      'features/archive/ArchivePage.tsx',
      'features/playback/PlaybackPage.tsx',
      'features/report/ReportPage.tsx',
      'features/account/AccountPage.tsx',
      'features/sessions/SessionsPage.tsx',
      'features/discussion/materials-upload.ts',
    ];
    expect(modules.filter((m) => speakerOnly.some((p) => m.endsWith(p)))).toEqual([]);
    expect(modules.filter((m) => /node_modules\/(zod|tus-js-client|hls\.js)\//.test(m))).toEqual([]);
  });
});
