import type { ReportResponse } from '@rstream/protocol';
import { api, waitFor } from '../helpers.js';

export const getReport = (base: string, token: string, id: string, query = '') =>
  api<ReportResponse & { error?: { code: string } }>(base, 'GET', `/api/sessions/${id}/report${query}`, {
    token,
  });

export const waitReady = (base: string, token: string, id: string, timeoutMs = 20_000) =>
  waitFor(
    `the report of ${id}`,
    async () => {
      const r = await getReport(base, token, id);
      return r.status === 200 && r.body.status === 'ready' ? r.body : undefined;
    },
    timeoutMs,
  );

/** Raw bytes of a route (PDF). */
export async function fetchBytes(base: string, route: string, token: string) {
  const res = await fetch(`${base}${route}`, { headers: { authorization: `Bearer ${token}` } });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    body: Buffer.from(await res.arrayBuffer()),
  };
}
