import { useState, type FormEvent, type ReactNode } from 'react';
import { errorMessage } from '../../api/errors';
import { useAuth } from '../../app/auth';
import { useI18n } from '../../app/i18n';
import { Link, navigate, safeNext, useLocation } from '../../app/router';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { TextField } from '../../ui/form';
import { useDocumentTitle } from '../../ui/hooks';
import { NewPasswordField, passwordProblem } from './NewPasswordField';
import { useAuthT } from './strings';

function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  useDocumentTitle(title);
  return (
    <div className="mx-auto max-w-md px-4 py-12">
      <div className="rounded-2xl border border-line bg-white p-6 shadow-sm sm:p-8">
        <h1 className="mb-6 text-2xl font-bold">{title}</h1>
        {children}
      </div>
    </div>
  );
}

function useNextTarget(): { next: string; withNext: (path: string) => string } {
  const { search } = useLocation();
  const raw = search.get('next');
  const next = safeNext(raw, '/sessions');
  return { next, withNext: (path) => (raw ? `${path}?next=${encodeURIComponent(next)}` : path) };
}

export function LoginPage() {
  const { t: tApp } = useI18n();
  const t = useAuthT();
  const { login } = useAuth();
  const { next, withNext } = useNextTarget();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(email.trim(), password);
      navigate(next, { replace: true });
    } catch (err) {
      setError(errorMessage(err, tApp));
      setBusy(false);
    }
  };

  return (
    <AuthCard title={t('auth.login.title')}>
      <form onSubmit={submit} className="flex flex-col gap-4" data-testid="login-form">
        {next !== '/sessions' && <Alert kind="info">{t('auth.needLogin')}</Alert>}
        <TextField
          label={t('auth.email')}
          type="email"
          name="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <TextField
          label={t('auth.password')}
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {error && <Alert>{error}</Alert>}
        <Button type="submit" size="lg" disabled={busy}>
          {busy ? tApp('common.loading') : t('auth.login.submit')}
        </Button>
        <p className="text-center text-sm">
          {t('auth.noAccount')}{' '}
          <Link to={withNext('/register')} className="font-semibold text-accent underline">
            {tApp('nav.register')}
          </Link>
        </p>
      </form>
    </AuthCard>
  );
}

export function RegisterPage() {
  const { t: tApp } = useI18n();
  const t = useAuthT();
  const { register } = useAuth();
  const { next, withNext } = useNextTarget();
  const [email, setEmail] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [passwordError, setPasswordError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problem = passwordProblem(password, email, t);
    if (problem) {
      setPasswordError(problem);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await register(email.trim(), password, username.trim());
      navigate(next, { replace: true });
    } catch (err) {
      setError(errorMessage(err, tApp));
      setBusy(false);
    }
  };

  return (
    <AuthCard title={t('auth.register.title')}>
      <form onSubmit={submit} className="flex flex-col gap-4" data-testid="register-form">
        <TextField
          label={t('auth.email')}
          type="email"
          name="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <TextField
          label={t('auth.username')}
          name="username"
          autoComplete="name"
          required
          maxLength={60}
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <NewPasswordField
          label={t('auth.password')}
          name="password"
          error={passwordError}
          value={password}
          onChange={(e) => {
            setPassword(e.target.value);
            setPasswordError(null);
          }}
        />
        {error && <Alert>{error}</Alert>}
        <Button type="submit" size="lg" disabled={busy}>
          {busy ? tApp('common.loading') : t('auth.register.submit')}
        </Button>
        <p className="text-center text-sm">
          {t('auth.haveAccount')}{' '}
          <Link to={withNext('/login')} className="font-semibold text-accent underline">
            {tApp('nav.login')}
          </Link>
        </p>
      </form>
    </AuthCard>
  );
}
