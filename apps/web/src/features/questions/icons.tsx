/** Small inline icons (no emoji: they depend on the system's fonts). */
export function PinIcon({ className = 'h-3.5 w-3.5' }: { className?: string }) {
  return (
    <svg viewBox="0 0 16 16" aria-hidden className={className} fill="currentColor">
      <path d="M10.5 1.5 14.5 5.5 13 6.2 10.9 8.3 10.6 11.6 9.5 12.7 6.6 9.8 2.7 13.7 2.3 13.3 6.2 9.4 3.3 6.5 4.4 5.4 7.7 5.1 9.8 3 10.5 1.5Z" />
    </svg>
  );
}

export function HandIcon({ className = 'h-4 w-4' }: { className?: string }) {
  return (
    <svg
      viewBox="0 0 16 16"
      aria-hidden
      className={className}
      fill="none"
      stroke="currentColor"
      strokeWidth="1.4"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d="M2.5 3.5h11v7h-6l-3 3v-3h-2z" />
      <path d="M8 5.2v2.6M8 9.3v.1" />
    </svg>
  );
}
