import { Suspense, useEffect } from 'react';
import { AuthProvider, useAuth } from './auth';
import { ErrorBoundary } from './ErrorBoundary';
import { I18nProvider, useI18n } from './i18n';
import { AppHeader } from './AppHeader';
import { findRoute, Link, navigate, useLocation } from './router';
import { ROUTES } from './routes';

export function App() {
  const location = useLocation();
  const anonymous = findRoute(ROUTES, location.pathname)?.value.anonymous === true;
  return (
    <I18nProvider>
      <AuthProvider probe={!anonymous}>
        <Shell />
      </AuthProvider>
    </I18nProvider>
  );
}

function Loading() {
  const { t } = useI18n();
  return (
    <p role="status" className="p-8 text-center text-muted">
      {t('common.loading')}
    </p>
  );
}

function NotFound() {
  const { t } = useI18n();
  return (
    <div className="mx-auto max-w-lg p-8 text-center">
      <h1 className="mb-2 text-3xl font-bold">{t('notFound.title')}</h1>
      <p className="mb-6 text-muted">{t('notFound.body')}</p>
      <Link to="/" className="font-semibold text-accent underline">
        {t('notFound.home')}
      </Link>
    </div>
  );
}

function Shell() {
  const { lang, t } = useI18n();
  const { status } = useAuth();
  const location = useLocation();
  const match = findRoute(ROUTES, location.pathname);
  const route = match?.value;
  const needsLogin = route?.auth && status === 'out';

  useEffect(() => {
    if (needsLogin) navigate(`/login?next=${encodeURIComponent(location.href)}`, { replace: true });
  }, [needsLogin, location.href]);

  let content;
  if (!match || !route) content = <NotFound />;
  else if (route.auth && status !== 'in') content = <Loading />;
  else {
    const Page = route.component;
    content = <Page params={match.params} />;
  }

  return (
    <>
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        {t('nav.skip')}
      </a>
      {!route?.immersive && <AppHeader />}
      <main id="main" className="min-h-0">
        <ErrorBoundary lang={lang} resetKey={location.pathname}>
          <Suspense fallback={<Loading />}>{content}</Suspense>
        </ErrorBoundary>
      </main>
    </>
  );
}
