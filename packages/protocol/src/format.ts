/**
 * The one byte formatter of the project (server CLI messages and every web page): binary units,
 * one decimal below 100 of a unit, `empty` for a missing value. Zod-free: `@rstream/protocol/light`.
 */
export function formatBytes(v: number | null | undefined, empty = '—'): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return empty;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let n = v;
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n >= 100 || i === 0 ? n.toFixed(0) : n.toFixed(1)} ${units[i]}`;
}
