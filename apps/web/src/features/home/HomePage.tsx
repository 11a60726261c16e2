import { useState, type FormEvent } from 'react';
import { JOIN_CODE_LENGTH } from '@rstream/protocol/light';
import { useAuth } from '../../app/auth';
import { navigate } from '../../app/router';
import { buttonClass } from '../../ui/Button';
import { useDocumentTitle } from '../../ui/hooks';
import { isValidCode, normalizeCodeInput } from '../join/code';
import { useHomeT } from './strings';

export function HomePage() {
  const t = useHomeT();
  const { status } = useAuth();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  useDocumentTitle(t('app.tagline'));

  const create = () => navigate(status === 'in' ? '/new' : `/login?next=${encodeURIComponent('/new')}`);
  const join = (e: FormEvent) => {
    e.preventDefault();
    if (!isValidCode(code)) {
      setError(t('home.join.invalid'));
      return;
    }
    navigate(`/j/${code}`);
  };

  const card = 'flex flex-col rounded-2xl border border-line bg-white p-6 shadow-sm sm:p-8';
  return (
    <div className="mx-auto max-w-5xl px-4 py-10 sm:py-16">
      <h1 className="mb-2 text-center text-3xl font-extrabold tracking-tight sm:text-4xl">
        {t('home.title')}
      </h1>
      <p className="mb-10 text-center text-lg text-muted">{t('app.tagline')}</p>
      <div className="grid gap-6 md:grid-cols-2">
        <section className={card} aria-labelledby="home-create">
          <h2 id="home-create" className="mb-2 text-2xl font-bold">
            {t('home.create.title')}
          </h2>
          <p className="mb-6 flex-1 text-muted">{t('home.create.body')}</p>
          <button
            type="button"
            onClick={create}
            className={buttonClass('primary', 'lg', 'w-full')}
            data-testid="home-create"
          >
            {t('home.create.cta')}
          </button>
          {status === 'out' && (
            <p className="mt-2 text-center text-sm text-muted">{t('home.create.loginFirst')}</p>
          )}
        </section>
        <section className={`${card} order-first md:order-none`} aria-labelledby="home-join">
          <h2 id="home-join" className="mb-2 text-2xl font-bold">
            {t('home.join.title')}
          </h2>
          <p className="mb-4 text-muted">{t('home.join.body')}</p>
          <form onSubmit={join} noValidate className="flex flex-1 flex-col justify-end gap-3">
            <label htmlFor="join-code-input" className="font-semibold">
              {t('home.join.label')}
            </label>
            <input
              id="join-code-input"
              data-testid="join-code-input"
              value={code}
              onChange={(e) => {
                setCode(normalizeCodeInput(e.target.value));
                setError(null);
              }}
              inputMode="text"
              autoCapitalize="characters"
              autoComplete="off"
              spellCheck={false}
              maxLength={JOIN_CODE_LENGTH + 4}
              placeholder="ACD4EF"
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'join-code-error' : undefined}
              className="w-full rounded-lg border-2 border-slate-400 bg-white px-4 py-3 text-center font-mono text-3xl font-bold uppercase tracking-[0.35em] placeholder:text-slate-300"
            />
            {error && (
              <p id="join-code-error" role="alert" className="text-sm font-medium text-danger">
                {error}
              </p>
            )}
            <button
              type="submit"
              className={buttonClass('secondary', 'lg', 'w-full')}
              data-testid="home-join"
            >
              {t('home.join.cta')}
            </button>
          </form>
        </section>
      </div>
    </div>
  );
}
