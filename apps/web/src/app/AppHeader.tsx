import { useAuth } from './auth';
import { useI18n } from './i18n';
import { Link, navigate } from './router';
import { LanguageSwitch } from '../ui/LanguageSwitch';

export function AppHeader() {
  const { t } = useI18n();
  const { status, user, logout } = useAuth();
  const navLink = 'rounded-md px-2 py-1.5 text-sm font-semibold hover:bg-white/15 sm:px-3 sm:text-base';
  return (
    <header className="bg-brand text-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-3 py-2.5 sm:px-4 sm:py-3">
        <Link
          to="/"
          className="flex items-center gap-2 text-xl font-extrabold tracking-tight"
          aria-label={t('nav.home')}
        >
          <svg aria-hidden viewBox="0 0 32 32" className="h-7 w-7">
            <rect width="32" height="32" rx="7" fill="#ffffff" fillOpacity="0.12" />
            <path
              d="M5 22 L11 15 L16 19 L22 9 L27 13"
              fill="none"
              stroke="#56b4e9"
              strokeWidth="3"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
          R-Stream
        </Link>
        <nav className="ml-auto flex flex-wrap items-center gap-1" aria-label="main">
          {status === 'in' && (
            <>
              <Link to="/sessions" className={navLink}>
                {t('nav.sessions')}
              </Link>
              <Link to="/new" className={navLink}>
                {t('nav.new')}
              </Link>
              <Link to="/archive" className={navLink}>
                {t('nav.archive')}
              </Link>
              {user?.role === 'admin' && (
                <Link to="/admin" className={navLink}>
                  {t('nav.admin')}
                </Link>
              )}
              <Link to="/account" className={navLink} title={t('nav.account')}>
                {user?.username}
              </Link>
              <button
                type="button"
                className={navLink}
                onClick={() => {
                  void logout().then(() => navigate('/'));
                }}
              >
                {t('nav.logout')}
              </button>
            </>
          )}
          {status === 'out' && (
            <>
              <Link to="/login" className={navLink}>
                {t('nav.login')}
              </Link>
              <Link to="/register" className={navLink}>
                {t('nav.register')}
              </Link>
            </>
          )}
          <span className="ml-1 sm:ml-2">
            <LanguageSwitch compact />
          </span>
        </nav>
      </div>
    </header>
  );
}
