import { Component, type ErrorInfo, type ReactNode } from 'react';
import { translate, type Lang } from './i18n/translate';

interface Props {
  children: ReactNode;
  lang: Lang;
  /** Changing this (e.g. the path) clears a caught error. */
  resetKey?: string;
}
interface State {
  error: Error | null;
  key?: string;
}

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, key: this.props.resetKey };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey !== state.key ? { error: null, key: props.resetKey } : null;
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('UI error', error, info.componentStack);
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    const t = (k: string) => translate(this.props.lang, k);
    return (
      <div
        role="alert"
        className="mx-auto mt-16 max-w-lg rounded-2xl border border-red-200 bg-white p-8 shadow"
      >
        <h1 className="mb-2 text-2xl font-bold">{t('errorBoundary.title')}</h1>
        <p className="mb-4 text-muted">{t('errorBoundary.body')}</p>
        <pre className="mb-6 overflow-auto rounded bg-slate-100 p-3 text-sm">{error.message}</pre>
        <button
          type="button"
          className="rounded-lg bg-brand px-4 py-2 font-semibold text-white"
          onClick={() => window.location.reload()}
        >
          {t('errorBoundary.reload')}
        </button>
      </div>
    );
  }
}
