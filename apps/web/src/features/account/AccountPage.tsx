import { useState, type FormEvent } from 'react';
import { changePasswordBodySchema } from '@rstream/protocol';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { useAuth } from '../../app/auth';
import { useI18n } from '../../app/i18n';
import { navigate } from '../../app/router';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { TextField } from '../../ui/form';
import { useDocumentTitle } from '../../ui/hooks';
import { NewPasswordField, passwordProblem } from '../auth/NewPasswordField';
import { useAuthT } from '../auth/strings';
import { accountApi } from './account-api';
import { useAccountT } from './strings';

/** /account — change password, delete the account. */
export function AccountPage() {
  const t = useAccountT();
  const { user } = useAuth();
  useDocumentTitle(t('account.title'));
  return (
    <div className="mx-auto flex max-w-xl flex-col gap-6 px-4 py-8">
      <h1 className="text-2xl font-bold">{t('account.title')}</h1>
      {user && (
        <p className="text-muted">
          {user.username} · {user.email} ·{' '}
          {t(user.role === 'admin' ? 'account.role.admin' : 'account.role.speaker')}
        </p>
      )}
      <ChangePassword email={user?.email ?? ''} />
      <DeleteAccount />
    </div>
  );
}

function ChangePassword({ email }: { email: string }) {
  const { t: tApp } = useI18n();
  const t = useAccountT();
  const authT = useAuthT();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  const ruleError = (p: string): string | null => {
    if (!p) return null;
    return passwordProblem(p, email, authT) ?? (p === current ? t('account.password.same') : null);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = changePasswordBodySchema.safeParse({ currentPassword: current, newPassword: next });
    const problem = ruleError(next);
    if (!body.success || problem) {
      setError(problem ?? tApp('errors.VALIDATION_FAILED'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await accountApi.changePassword(body.data);
      api.setAccessToken(r.accessToken);
      setDone(true);
      setCurrent('');
      setNext('');
    } catch (err) {
      setError(errorMessage(err, tApp));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="rounded-2xl border border-line bg-white p-6 shadow-sm" aria-labelledby="pw-title">
      <h2 id="pw-title" className="mb-4 text-xl font-bold">
        {t('account.password.title')}
      </h2>
      <form onSubmit={submit} className="flex flex-col gap-4" data-testid="password-form">
        <TextField
          label={t('account.password.current')}
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
        />
        <NewPasswordField
          label={t('account.password.new')}
          value={next}
          onChange={(e) => {
            setNext(e.target.value);
            setDone(false);
          }}
          error={ruleError(next)}
        />
        {error && <Alert>{error}</Alert>}
        {done && <Alert kind="success">{t('account.password.done')}</Alert>}
        <Button type="submit" disabled={busy} data-testid="password-submit">
          {t('account.password.submit')}
        </Button>
      </form>
    </section>
  );
}

function DeleteAccount() {
  const { t: tApp } = useI18n();
  const t = useAccountT();
  const { logout } = useAuth();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!confirm) return;
    setBusy(true);
    setError(null);
    try {
      await accountApi.deleteAccount(password);
      api.setAccessToken(null);
      await logout().catch(() => {});
      navigate('/', { replace: true });
    } catch (err) {
      setError(errorMessage(err, tApp));
      setBusy(false);
    }
  };

  return (
    <section className="rounded-2xl border border-red-300 bg-white p-6 shadow-sm" aria-labelledby="del-title">
      <h2 id="del-title" className="mb-2 text-xl font-bold text-danger">
        {t('account.delete.title')}
      </h2>
      <p className="mb-4 text-muted">{t('account.delete.body')}</p>
      <form onSubmit={submit} className="flex flex-col gap-4" data-testid="delete-form">
        <TextField
          label={t('account.delete.password')}
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <label className="flex items-center gap-3">
          <input
            type="checkbox"
            className="h-5 w-5 accent-brand"
            checked={confirm}
            onChange={(e) => setConfirm(e.target.checked)}
          />
          {t('account.delete.confirm')}
        </label>
        {error && <Alert>{error}</Alert>}
        <Button
          type="submit"
          variant="danger"
          disabled={busy || !confirm || !password}
          data-testid="delete-submit"
        >
          {t('account.delete.submit')}
        </Button>
      </form>
    </section>
  );
}
