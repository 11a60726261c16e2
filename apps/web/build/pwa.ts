import { VitePWA } from 'vite-plugin-pwa';
import type { PluginOption } from 'vite';

export const THEME_COLOR = '#0b3d61';

/**
 * The installable app (Workbox service worker + manifest). What it keeps on the phone:
 * - precached: the shell, the join and listener pages and what they import (a listener who
 *   visited once opens them with no network); the speaker-only chunks are left out so a phone
 *   does not download them in the background, and are cached when first used instead;
 * - never: anything under /api/ (a speaker's sessions, users, questions, tokens), /ws/ or /metrics.
 */
export function pwa(): PluginOption {
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
      globIgnores: [
        '**/*.map',
        '**/assets/{src,AuthPages,invitations-api,HostPage,OpsDashboardPage,AdminPage,AccountPage,CreatePage,SessionsPage,InviteDialog,InviteAcceptPage,PresenterPage,UPlotChart,ListenerGraph,chartOptions,hls,VideoGraph,VideoLibrary,HostVideo,FacilitatorVideo,ReportVideo}-*',
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
