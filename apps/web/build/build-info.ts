import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * `import.meta.env.RSTREAM_VERSION` (this package's version) and `RSTREAM_COMMIT` (the short
 * commit the build comes from; RSTREAM_COMMIT in the environment wins, e.g. a build from a
 * source tarball; empty when neither is known), for the listener's settings dialog.
 */
export function buildInfo(): Record<string, string> {
  const pkg = JSON.parse(
    readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8'),
  ) as {
    version: string;
  };
  let commit = process.env.RSTREAM_COMMIT ?? '';
  if (!commit) {
    try {
      commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
        cwd: fileURLToPath(new URL('.', import.meta.url)),
        stdio: ['ignore', 'pipe', 'ignore'],
      })
        .toString()
        .trim();
    } catch {
      commit = '';
    }
  }
  return {
    'import.meta.env.RSTREAM_VERSION': JSON.stringify(pkg.version),
    'import.meta.env.RSTREAM_COMMIT': JSON.stringify(commit),
  };
}
