/**
 * The listener's path in as few files as possible. Left to itself the bundler splits the join
 * and listener pages' code into ~16 small shared chunks (Alert, Dialog, hooks, format, …), and a
 * phone on a crowded access point pays a request for each before the level buttons work. This
 * names one chunk, `listener`: everything the join page and the listener page import statically
 * that the app's shell (the entry) does not already hold. The listener path is then the entry,
 * this chunk and the stylesheet; the lazy parts (the chart, the video player, a discussion's
 * turns) stay their own chunks, and speaker pages that share a module import it from here.
 */

/** The pages whose static imports make up the listener chunk. */
const LISTENER_PAGES = ['/src/features/join/JoinPage.tsx', '/src/features/listener/ListenerPage.tsx'];
const ENTRY = '/src/main.tsx';

interface ModuleGraph {
  getModuleInfo(id: string): { importedIds: readonly string[] } | null;
}

/** A module id with forward slashes (Windows paths too). */
export const norm = (id: string) => id.replace(/\\/g, '/');

/** Static imports of `roots`, transitively (dynamic imports not followed). */
function closure(graph: ModuleGraph, roots: string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const dep of graph.getModuleInfo(id)?.importedIds ?? []) stack.push(dep);
  }
  return seen;
}

/**
 * A `codeSplitting` group name function: `'listener'` for the listener path's own modules,
 * `null` (automatic chunking) for every other module.
 */
export function listenerChunkGroup() {
  let members: Set<string> | null = null;
  let ids: string[] = [];
  return {
    /** Every module id the bundler offers; the roots are found among them. */
    test(id: string) {
      if (members) [members, ids] = [null, []]; // a new chunking pass (another build)
      ids.push(id);
      return true;
    },
    name(id: string, ctx: ModuleGraph): string | null {
      if (!members) {
        const find = (suffix: string) => ids.find((m) => norm(m).endsWith(suffix));
        const entry = find(ENTRY);
        const pages = LISTENER_PAGES.map(find).filter((m): m is string => m !== undefined);
        if (!entry || pages.length !== LISTENER_PAGES.length)
          throw new Error(
            `listener chunk: entry or page not found (${[ENTRY, ...LISTENER_PAGES].join(', ')})`,
          );
        const shell = closure(ctx, [entry]);
        members = new Set([...closure(ctx, pages)].filter((m) => !shell.has(m)));
        ids = [];
      }
      return members.has(id) ? 'listener' : null;
    },
  };
}

/**
 * File names of the split chunks: `assets/[name]-[hash].js`, except that a chunk of a feature's
 * `strings.ts` (several features have one, shared by that feature's pages) is prefixed with the
 * feature's folder, `auth-strings-…`, so that a file name says whose strings it holds.
 */
export function featureChunkName(chunk: { name: string; moduleIds: readonly string[] }): string {
  if (chunk.name === 'strings') {
    const own = chunk.moduleIds.map(norm).find((m) => m.endsWith('/strings.ts'));
    const folder = own?.split('/').at(-2);
    if (folder) return `assets/${folder}-${chunk.name}-[hash].js`;
  }
  return 'assets/[name]-[hash].js';
}
