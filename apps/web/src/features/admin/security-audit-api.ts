import type { AcceptRiskBody, AuditOverview } from '@rstream/protocol';
import { api } from '../../api/client';

export const securityAuditApi = {
  overview: () => api.get<AuditOverview & { running: boolean }>('/api/admin/security-audit'),
  run: () => api.post<{ started: boolean }>('/api/admin/security-audit/run', {}),
  accept: (body: AcceptRiskBody) => api.post<{ id: string }>('/api/admin/security-audit/acceptances', body),
};
