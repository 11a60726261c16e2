import { isLevel, LEVEL_COLORS, LEVEL_TEXT } from './levels';

/** A level as colour + number (never colour alone). */
export function LevelBadge({
  level,
  size = 'md',
  label,
}: {
  level: number | null;
  size?: 'sm' | 'md' | 'lg';
  label?: string;
}) {
  const dims =
    size === 'lg'
      ? 'h-12 min-w-12 text-2xl'
      : size === 'sm'
        ? 'h-6 min-w-6 text-sm'
        : 'h-8 min-w-8 text-base';
  if (!isLevel(level)) {
    return (
      <span
        className={`inline-flex items-center justify-center rounded-md border border-dashed border-slate-400 px-1 font-bold text-muted ${dims}`}
        aria-label={label}
      >
        –
      </span>
    );
  }
  return (
    <span
      className={`inline-flex items-center justify-center rounded-md px-1 font-bold tabular-nums ring-1 ring-black/20 ${dims}`}
      style={{ background: LEVEL_COLORS[level], color: LEVEL_TEXT[level] }}
      aria-label={label}
    >
      {level}
    </span>
  );
}
