import { VitePWA } from 'vite-plugin-pwa';
import type { Plugin, PluginOption } from 'vite';
import { norm } from './chunks.ts';

export const THEME_COLOR = '#0b3d61';

/**
 * The pages whose chunks a phone precaches, with what they import statically: the join and
 * listener pages (and the shell, the entry), the home page (the installed app's start URL), and
 * the listener page's small lazy parts — a discussion's turns and materials, the video frame.
 * Every other chunk (the speakers' pages, the chart, hls.js) is cached when first used.
 */
export const PRECACHE_PAGES = [
  '/src/features/join/JoinPage.tsx',
  '/src/features/listener/ListenerPage.tsx',
  '/src/features/home/HomePage.tsx',
  '/src/features/discussion/PhoneTurns.tsx',
  '/src/features/video/ListenerVideo.tsx',
];

interface BundleChunk {
  type: 'chunk' | 'asset';
  fileName: string;
  isEntry?: boolean;
  imports?: readonly string[];
  moduleIds?: readonly string[];
}

/** The JS files to precache: the entry's and those pages' chunks, with their static imports. */
export function precacheChunks(bundle: Record<string, BundleChunk>, pages = PRECACHE_PAGES): Set<string> {
  const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
  const holds = (c: BundleChunk, page: string) => (c.moduleIds ?? []).some((id) => norm(id).endsWith(page));
  const keep = new Set<string>();
  const visit = (fileName: string) => {
    if (keep.has(fileName)) return;
    keep.add(fileName);
    bundle[fileName]?.imports?.forEach(visit);
  };
  for (const c of chunks) if (c.isEntry || pages.some((p) => holds(c, p))) visit(c.fileName);
  return keep;
}

/** Remembers the bundle's chunks, so that the precache can be narrowed to `precacheChunks`. */
function precacheList(): { plugin: Plugin; keep: () => Set<string> | null } {
  let keep: Set<string> | null = null;
  return {
    keep: () => keep,
    plugin: {
      name: 'rstream-precache-list',
      apply: 'build',
      generateBundle(_options, bundle) {
        keep = precacheChunks(bundle as unknown as Record<string, BundleChunk>);
      },
    },
  };
}

/**
 * The installable app (Workbox service worker + manifest). What it keeps on the phone:
 * - precached: the shell, the listener's pages and what they import (`PRECACHE_PAGES`: a
 *   listener who visited once opens them with no network), the stylesheet, icons and manifest;
 *   no other script, so a phone does not download the speakers' pages in the background (they
 *   are cached when first used instead);
 * - never: anything under /api/ (a speaker's sessions, users, questions, tokens), /ws/ or /metrics.
 */
export function pwa(): PluginOption {
  const list = precacheList();
  return [list.plugin, pwaPlugin(list.keep)];
}

function pwaPlugin(keep: () => Set<string> | null): PluginOption {
  return VitePWA({
    registerType: 'autoUpdate',
    // registered by main.tsx (after load), not by a separate registerSW.js: one request less
    // before the listener's buttons work
    injectRegister: null,
    manifest: {
      name: 'R-Stream',
      short_name: 'R-Stream',
      description: 'Show the speaker live how well you follow.',
      lang: 'en',
      start_url: '/',
      scope: '/',
      display: 'standalone',
      theme_color: THEME_COLOR,
      background_color: '#ffffff',
      icons: [
        { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
        { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
        { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        { src: '/favicon.svg', sizes: 'any', type: 'image/svg+xml' },
      ],
    },
    workbox: {
      globPatterns: ['**/*.{js,css,html,svg,webmanifest}', 'icons/icon-192.png'],
      globIgnores: ['**/*.map'],
      // scripts: only the listener's (precacheChunks); a build without that list keeps all
      manifestTransforms: [
        (entries) => {
          const kept = keep();
          const manifest = kept
            ? entries.filter((e) => !/^assets\/.*\.js$/.test(e.url) || kept.has(e.url))
            : entries;
          return { manifest, warnings: [] };
        },
      ],
      // Hashed names are their own revision: the browser's HTTP cache may serve them.
      dontCacheBustURLsMatching: /-[A-Za-z0-9_-]{8,}\.(?:js|css)$/,
      navigateFallback: '/index.html',
      navigateFallbackDenylist: [/^\/api\//, /^\/ws\//, /^\/metrics/],
      inlineWorkboxRuntime: true,
      cleanupOutdatedCaches: true,
      runtimeCaching: [
        {
          // Code chunks not precached (speaker pages, the chart, hls.js): kept once used. Same-origin
          // /assets only — never an API answer.
          urlPattern: ({ url, sameOrigin }) => sameOrigin && url.pathname.startsWith('/assets/'),
          handler: 'CacheFirst',
          options: { cacheName: 'rstream-assets', expiration: { maxEntries: 80 } },
        },
      ],
    },
  });
}
