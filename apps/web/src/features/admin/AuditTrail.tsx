import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { AUDIT_OUTCOMES, type AuditEvent, type AuditOutcome, type AuditQuery } from '@rstream/protocol';
import { errorMessage } from '../../api/errors';
import { useI18n } from '../../app/i18n';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { inputClass } from '../../ui/form';
import { adminApi } from './admin-api';
import { useAdminT } from './strings';

const TYPES = [
  'login_succeeded',
  'login_failed',
  'login_blocked',
  'account_locked',
  'refresh_token_reuse',
  'permission_denied',
  'password_changed',
  'account_deleted',
  'role_changed',
  'user_disabled',
  'user_enabled',
  'user_registered',
  'invitation_created',
  'invitation_accepted',
  'invitation_revoked',
  'logout',
];

interface Filters {
  type: string;
  outcome: '' | AuditOutcome;
  actor: string;
  from: string;
  to: string;
}
const EMPTY: Filters = { type: '', outcome: '', actor: '', from: '', to: '' };
const toIso = (local: string) => (local ? new Date(local).toISOString() : undefined);

/** The security trail, newest first, with filters and "load more". */
export function AuditTrail() {
  const { t: tApp } = useI18n();
  const t = useAdminT();
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [applied, setApplied] = useState<Filters>(EMPTY);
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const fetchPage = useCallback(
    async (f: Filters, after: string | null) => {
      setLoading(true);
      setError(null);
      const q: AuditQuery = {
        type: f.type || undefined,
        outcome: f.outcome || undefined,
        actor: f.actor.trim() || undefined,
        from: toIso(f.from),
        to: toIso(f.to),
        limit: 50,
        cursor: after ?? undefined,
      };
      try {
        const r = await adminApi.audit(q);
        setEvents((prev) => (after ? [...prev, ...r.events] : r.events));
        setCursor(r.nextCursor);
      } catch (err) {
        setError(errorMessage(err, tApp));
      } finally {
        setLoading(false);
      }
    },
    [tApp],
  );
  useEffect(() => {
    void fetchPage(applied, null);
  }, [applied, fetchPage]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setApplied({ ...filters });
  };
  const set = (k: keyof Filters) => (e: { target: { value: string } }) =>
    setFilters((f) => ({ ...f, [k]: e.target.value }));

  return (
    <div className="flex flex-col gap-4">
      <form
        onSubmit={submit}
        className="grid gap-3 rounded-2xl border border-line bg-white p-4 sm:grid-cols-3 lg:grid-cols-6"
        data-testid="audit-filters"
      >
        <label className="flex flex-col gap-1 text-sm font-semibold">
          {t('admin.audit.type')}
          <select className={inputClass} value={filters.type} onChange={set('type')} data-testid="audit-type">
            <option value="">{t('admin.audit.any')}</option>
            {TYPES.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-semibold">
          {t('admin.audit.outcome')}
          <select className={inputClass} value={filters.outcome} onChange={set('outcome')}>
            <option value="">{t('admin.audit.any')}</option>
            {AUDIT_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {t(`admin.audit.outcome.${o}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-semibold">
          {t('admin.audit.actor')}
          <input
            className={inputClass}
            value={filters.actor}
            onChange={set('actor')}
            placeholder="e-mail / id"
          />
        </label>
        <label className="flex flex-col gap-1 text-sm font-semibold">
          {t('admin.audit.from')}
          <input type="datetime-local" className={inputClass} value={filters.from} onChange={set('from')} />
        </label>
        <label className="flex flex-col gap-1 text-sm font-semibold">
          {t('admin.audit.to')}
          <input type="datetime-local" className={inputClass} value={filters.to} onChange={set('to')} />
        </label>
        <div className="flex items-end gap-2">
          <Button type="submit" data-testid="audit-apply">
            {t('admin.audit.apply')}
          </Button>
          <Button
            variant="ghost"
            onClick={() => {
              setFilters(EMPTY);
              setApplied(EMPTY);
            }}
          >
            {t('admin.audit.clear')}
          </Button>
        </div>
      </form>
      {error && <Alert>{error}</Alert>}
      <div className="overflow-x-auto rounded-2xl border border-line bg-white">
        <table className="w-full text-left text-sm" data-testid="audit-table">
          <thead className="bg-slate-50 text-muted">
            <tr>
              <th className="px-3 py-2">{t('admin.audit.at')}</th>
              <th className="px-3 py-2">{t('admin.audit.type')}</th>
              <th className="px-3 py-2">{t('admin.audit.outcome')}</th>
              <th className="px-3 py-2">{t('admin.audit.actor')}</th>
              <th className="px-3 py-2">{t('admin.audit.target')}</th>
              <th className="px-3 py-2">IP</th>
              <th className="px-3 py-2">{t('admin.audit.details')}</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id} className="border-t border-line align-top" data-testid="audit-row">
                <td className="whitespace-nowrap px-3 py-2 tabular-nums">
                  {new Date(e.at).toLocaleString()}
                </td>
                <td className="px-3 py-2 font-mono">{e.type}</td>
                <td
                  className={`px-3 py-2 font-semibold ${e.outcome === 'success' ? 'text-emerald-800' : 'text-danger'}`}
                >
                  {t(`admin.audit.outcome.${e.outcome}`)}
                </td>
                <td className="px-3 py-2">{e.actorLabel ?? e.actorUserId ?? e.actorParticipantId ?? '—'}</td>
                <td className="px-3 py-2">{e.targetType ? `${e.targetType} ${e.targetId ?? ''}` : '—'}</td>
                <td className="px-3 py-2">{e.ip ?? '—'}</td>
                <td className="max-w-md break-words px-3 py-2 font-mono text-xs">
                  {Object.keys(e.details).length ? JSON.stringify(e.details) : ''}
                </td>
              </tr>
            ))}
            {events.length === 0 && !loading && (
              <tr>
                <td colSpan={7} className="px-3 py-6 text-center text-muted">
                  {t('admin.audit.empty')}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {cursor && (
        <Button
          variant="secondary"
          disabled={loading}
          onClick={() => void fetchPage(applied, cursor)}
          data-testid="audit-more"
        >
          {loading ? tApp('common.loading') : t('admin.audit.more')}
        </Button>
      )}
    </div>
  );
}
