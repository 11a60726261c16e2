import { readdirSync, readFileSync, statSync, writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin, ResolvedConfig } from 'vite';

/** What is worth compressing (already-compressed formats such as PNG or woff2 are not). */
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|webmanifest|txt|map|xml)$/;
/** Below this, the headers of a second representation cost more than they save. */
const MIN_BYTES = 512;

/** Writes `file.br` (brotli, quality 11) and `file.gz` (gzip -9) beside every compressible file. */
export function compressTree(dir: string): { files: number; bytes: number; br: number; gz: number } {
  const totals = { files: 0, bytes: 0, br: 0, gz: 0 };
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const file = path.join(d, name);
      if (statSync(file).isDirectory()) {
        walk(file);
        continue;
      }
      if (!COMPRESSIBLE.test(name) || name.endsWith('.map')) continue;
      const raw = readFileSync(file);
      if (raw.length < MIN_BYTES) continue;
      const br = brotliCompressSync(raw, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 11,
          [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
        },
      });
      const gz = gzipSync(raw, { level: 9 });
      // Written beside the original, .tmp then rename: a server never serves half a file.
      for (const [ext, data] of [
        ['.br', br],
        ['.gz', gz],
      ] as const) {
        writeFileSync(file + ext + '.tmp', data);
        renameSync(file + ext + '.tmp', file + ext);
      }
      totals.files++;
      totals.bytes += raw.length;
      totals.br += br.length;
      totals.gz += gz.length;
    }
  };
  walk(dir);
  return totals;
}

/** Vite plugin: after the bundle is written, pre-compress it so the server never compresses live. */
export function precompress(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'rstream:precompress',
    apply: 'build',
    enforce: 'post',
    configResolved(c) {
      config = c;
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      handler() {
        const outDir = path.resolve(config.root, config.build.outDir);
        const t = compressTree(outDir);
        config.logger.info(
          `precompressed ${t.files} files: ${(t.bytes / 1024).toFixed(0)} KB → ` +
            `${(t.br / 1024).toFixed(0)} KB brotli, ${(t.gz / 1024).toFixed(0)} KB gzip`,
        );
      },
    },
  };
}
