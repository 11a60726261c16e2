import { api } from '../../api/client';

/** Shapes of the admin operations API: shared with the server through the protocol package. */
export type {
  Severity,
  OpsDisk,
  OpsCurrent,
  OpsSeries,
  OpsOverview,
  OpsAlert,
  SlowQueries,
  OpsInstance,
} from '@rstream/protocol';
import type { OpsAlert, OpsInstance, OpsOverview, SlowQueries } from '@rstream/protocol';

export const opsApi = {
  overview: () => api.get<OpsOverview>('/api/admin/ops/overview'),
  alerts: (limit = 50) =>
    api.get<{ firing: OpsAlert[]; recent: OpsAlert[] }>(`/api/admin/alerts?limit=${limit}`),
  ack: (fingerprint: string) => api.post<{ ackedAt: string }>(`/api/admin/alerts/${fingerprint}/ack`, {}),
  silence: (fingerprint: string, minutes: number) =>
    api.post<{ silencedUntil: string }>(`/api/admin/alerts/${fingerprint}/silence`, { minutes }),
  slowQueries: () => api.get<SlowQueries>('/api/admin/ops/slow-queries'),
  instances: () => api.get<{ instances: OpsInstance[] }>('/api/admin/instances'),
};
