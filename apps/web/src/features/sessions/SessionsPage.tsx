import type { Session } from '@rstream/protocol';
import { sessionsApi } from '../../api/endpoints';
import { errorMessage } from '../../api/errors';
import { useFetched } from '../../api/use-fetched';
import { useI18n } from '../../app/i18n';
import { Link } from '../../app/router';
import { Alert } from '../../ui/Alert';
import { Button, buttonClass } from '../../ui/Button';
import { formatDateTime } from '../../ui/format';
import { useDocumentTitle } from '../../ui/hooks';
import { StatusBadge } from '../../ui/StatusBadge';
import { useSessionsT } from './strings';

export function SessionsPage() {
  const { t: tApp, lang } = useI18n();
  const t = useSessionsT();
  const {
    data: sessions,
    setData: setSessions,
    error,
    setError,
  } = useFetched(() => sessionsApi.list().then((r) => r.sessions));
  useDocumentTitle(t('sessions.title'));

  const remove = async (s: Session) => {
    if (!window.confirm(t('sessions.deleteConfirm', { title: s.title }))) return;
    try {
      await sessionsApi.remove(s.id);
      setSessions((list) => list?.filter((x) => x.id !== s.id) ?? null);
    } catch (err) {
      setError(errorMessage(err, tApp));
    }
  };

  return (
    <div className="mx-auto max-w-6xl px-4 py-8">
      <div className="mb-6 flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-3xl font-bold">{t('sessions.title')}</h1>
        <Link to="/new" className={buttonClass('primary')}>
          + {tApp('nav.new')}
        </Link>
      </div>
      {error && <Alert>{error}</Alert>}
      {!sessions && !error && <p className="text-muted">{tApp('common.loading')}</p>}
      {sessions?.length === 0 && (
        <p className="rounded-xl bg-white p-8 text-center text-muted">{t('sessions.empty')}</p>
      )}
      {sessions && sessions.length > 0 && (
        <div className="overflow-x-auto rounded-2xl border border-line bg-white shadow-sm">
          <table className="w-full text-left" data-testid="sessions-table">
            <thead className="border-b border-line bg-slate-50 text-sm text-muted">
              <tr>
                <th scope="col" className="px-4 py-3">
                  {t('sessions.col.title')}
                </th>
                <th scope="col" className="px-4 py-3">
                  {t('sessions.col.code')}
                </th>
                <th scope="col" className="px-4 py-3">
                  {t('sessions.col.status')}
                </th>
                <th scope="col" className="px-4 py-3">
                  {t('sessions.col.created')}
                </th>
                <th scope="col" className="px-4 py-3 text-right">
                  {t('sessions.col.actions')}
                </th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.id} className="border-b border-line last:border-0" data-testid="session-row">
                  <th scope="row" className="px-4 py-3 font-semibold">
                    <Link to={`/host/${s.id}`} className="hover:underline">
                      {s.title}
                    </Link>
                  </th>
                  <td className="px-4 py-3 font-mono text-lg tracking-widest">{s.code}</td>
                  <td className="px-4 py-3">
                    <StatusBadge status={s.status} />
                  </td>
                  <td className="px-4 py-3 text-sm text-muted">{formatDateTime(s.createdAt, lang)}</td>
                  <td className="px-4 py-3">
                    <div className="flex justify-end gap-2">
                      <Link to={`/host/${s.id}`} className={buttonClass('secondary', 'sm')}>
                        {tApp('common.open')}
                      </Link>
                      <Button
                        variant="ghost"
                        size="sm"
                        className="text-danger"
                        onClick={() => void remove(s)}
                        aria-label={`${tApp('common.delete')}: ${s.title}`}
                      >
                        {tApp('common.delete')}
                      </Button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
