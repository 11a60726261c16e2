import type { AdminUpdateUserBody, AdminUser, AuditList, AuditQuery } from '@rstream/protocol';
import { api } from '../../api/client';

export const adminApi = {
  users: () => api.get<{ users: AdminUser[] }>('/api/admin/users'),
  updateUser: (id: string, body: AdminUpdateUserBody) =>
    api.put<{ user: AdminUser }>(`/api/admin/users/${encodeURIComponent(id)}`, body),
  audit: (q: AuditQuery) => {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') qs.set(k, String(v));
    return api.get<AuditList>(`/api/admin/audit?${qs.toString()}`);
  },
};
