/** "3.50", or an en dash when nobody has signalled. */
export function formatAverage(avg: number | null | undefined): string {
  return avg === null || avg === undefined || !Number.isFinite(avg) ? '–' : avg.toFixed(2);
}

/** 75_000 → "1:15", 3_725_000 → "1:02:05". Negative values are shown as their absolute value. */
export function formatDuration(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/**
 * "09:05", the local time on a 24-hour clock — what `toLocaleTimeString('en-GB' | 'ja-JP',
 * { hour: '2-digit', minute: '2-digit' })` prints for both languages, written by hand: the first
 * Intl call in a page loads the locale data, ~40 ms on a phone before the listener's screen shows.
 */
export function formatClock(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '–';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function formatDateTime(iso: string | null | undefined, lang: string): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '–';
  return d.toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-GB', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}
