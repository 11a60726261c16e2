import { useState } from 'react';
import type { AdminUser, UserRole } from '@rstream/protocol';
import { errorMessage } from '../../api/errors';
import { useFetched } from '../../api/use-fetched';
import { useI18n } from '../../app/i18n';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { adminApi } from './admin-api';
import { useAdminT } from './strings';
import { useAccountT } from '../account/strings';
import { useAuthT } from '../auth/strings';

export function UsersTable({ meId }: { meId: string | null }) {
  const { t: tApp } = useI18n();
  const t = useAdminT();
  const authT = useAuthT();
  const accountT = useAccountT();
  const {
    data: users,
    setData: setUsers,
    error,
    setError,
  } = useFetched(() => adminApi.users().then((r) => r.users));
  const [busyId, setBusyId] = useState<string | null>(null);

  const update = async (u: AdminUser, body: { role?: UserRole; disabled?: boolean }) => {
    setBusyId(u.id);
    setError(null);
    try {
      const { user } = await adminApi.updateUser(u.id, body);
      setUsers((list) => list?.map((x) => (x.id === user.id ? user : x)) ?? null);
    } catch (err) {
      setError(errorMessage(err, tApp));
    } finally {
      setBusyId(null);
    }
  };

  if (!users) return error ? <Alert>{error}</Alert> : <p className="text-muted">{tApp('common.loading')}</p>;
  return (
    <div className="flex flex-col gap-3">
      {error && <Alert>{error}</Alert>}
      <div className="overflow-x-auto rounded-2xl border border-line bg-white">
        <table className="w-full text-left" data-testid="users-table">
          <thead className="bg-slate-50 text-sm text-muted">
            <tr>
              <th className="px-4 py-2">{t('admin.users.name')}</th>
              <th className="px-4 py-2">{authT('auth.email')}</th>
              <th className="px-4 py-2">{t('admin.users.role')}</th>
              <th className="px-4 py-2">{t('admin.users.sessions')}</th>
              <th className="px-4 py-2">{t('admin.users.state')}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} className="border-t border-line" data-testid={`user-${u.email}`}>
                <td className="px-4 py-2 font-semibold">
                  {u.username}
                  {u.id === meId && <span className="ml-2 text-sm text-muted">({t('admin.users.you')})</span>}
                </td>
                <td className="px-4 py-2">{u.email}</td>
                <td className="px-4 py-2">
                  <select
                    aria-label={t('admin.users.roleOf', { name: u.username })}
                    className="rounded-md border border-slate-400 px-2 py-1"
                    value={u.role}
                    disabled={busyId === u.id}
                    onChange={(e) => void update(u, { role: e.target.value as UserRole })}
                  >
                    <option value="speaker">{accountT('account.role.speaker')}</option>
                    <option value="admin">{accountT('account.role.admin')}</option>
                  </select>
                </td>
                <td className="px-4 py-2 tabular-nums">{u.sessionCount}</td>
                <td className="px-4 py-2">
                  <span className={`mr-3 ${u.disabled ? 'font-semibold text-danger' : 'text-emerald-800'}`}>
                    {u.disabled ? t('admin.users.disabled') : t('admin.users.active')}
                  </span>
                  <Button
                    size="sm"
                    variant={u.disabled ? 'secondary' : 'danger'}
                    disabled={busyId === u.id}
                    onClick={() => void update(u, { disabled: !u.disabled })}
                  >
                    {u.disabled ? t('admin.users.enable') : t('admin.users.disable')}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
