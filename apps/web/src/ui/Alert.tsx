import type { ReactNode } from 'react';

export function Alert({
  kind = 'error',
  children,
  testId,
}: {
  kind?: 'error' | 'info' | 'success';
  children: ReactNode;
  testId?: string;
}) {
  const styles = {
    error: 'border-red-300 bg-red-50 text-red-900',
    info: 'border-sky-300 bg-sky-50 text-sky-950',
    success: 'border-emerald-300 bg-emerald-50 text-emerald-950',
  }[kind];
  return (
    <div
      role={kind === 'error' ? 'alert' : 'status'}
      data-testid={testId}
      className={`rounded-lg border px-4 py-3 ${styles}`}
    >
      {children}
    </div>
  );
}
