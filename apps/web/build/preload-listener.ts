import type { Plugin } from 'vite';
import { norm } from './chunks.ts';

/**
 * The listener's page is a lazy chunk: without help the phone fetches the entry, runs it, and
 * only then asks for the page's chunks — one more round trip on crowded Wi-Fi before the level
 * buttons work. This puts `<link rel="modulepreload">` for that chunk and its static imports in
 * index.html, so they download in parallel with the entry (the join page, which leads there,
 * gets them ahead too). ~24 KB compressed that other pages fetch in the background.
 */
export function preloadListener(): Plugin {
  return {
    name: 'rstream-preload-listener',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle) return [];
        const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
        // the page's own chunk, or the `listener` chunk that holds it (build/chunks.ts)
        const page = chunks.find((c) =>
          c.moduleIds.some((id) => norm(id).endsWith('/features/listener/ListenerPage.tsx')),
        );
        if (!page) return [];
        const entry = new Set(chunks.filter((c) => c.isEntry).map((c) => c.fileName));
        const files: string[] = [];
        const visit = (fileName: string) => {
          // the entry and what vite already preloads for it are on their way anyway
          if (entry.has(fileName) || files.includes(fileName) || html.includes(`/${fileName}"`)) return;
          files.push(fileName);
          const c = bundle[fileName];
          if (c?.type === 'chunk') c.imports.forEach(visit);
        };
        visit(page.fileName);
        return files.map((f) => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: '', href: `/${f}` },
          injectTo: 'head' as const,
        }));
      },
    },
  };
}
