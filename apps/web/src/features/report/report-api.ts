import type { HistoryResponse, ReportResponse } from '@rstream/protocol';
import { api } from '../../api/client';

const enc = encodeURIComponent;

export type ExportKind = 'pdf' | 'html' | 'csv' | 'momentsCsv';

export const reportApi = {
  get: (sessionId: string, lang: string) =>
    api.get<ReportResponse>(`/api/sessions/${enc(sessionId)}/report?lang=${enc(lang)}`),
  /** The stored seconds at 1 s (the server chooses a coarser step for long sessions). */
  series: (sessionId: string) =>
    api.get<HistoryResponse>(`/api/sessions/${enc(sessionId)}/understanding?participants=0`),
  exportPath(sessionId: string, kind: ExportKind, lang: string): string {
    const base = `/api/sessions/${enc(sessionId)}`;
    switch (kind) {
      case 'pdf':
        return `${base}/report.pdf?lang=${lang}`;
      case 'html':
        return `${base}/report.html?lang=${lang}`;
      case 'csv':
        return `${base}/report.csv`;
      case 'momentsCsv':
        return `${base}/report.csv?table=moments&lang=${lang}`;
    }
  },
  /** Downloads an export with the speaker's token (a plain link cannot send it). */
  async download(sessionId: string, kind: ExportKind, lang: string): Promise<void> {
    const token = await api.freshAccessToken();
    const res = await fetch(reportApi.exportPath(sessionId, kind, lang), {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    if (!res.ok) throw new Error(`export failed: ${res.status}`);
    const name =
      /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `report-${sessionId}`;
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  },
};

/** mm:ss (h:mm:ss past an hour), the playback page's `?t=` format. */
export function clockOf(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const mm = String(m).padStart(h ? 2 : 1, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

export const playbackHref = (sessionId: string, ms: number) => `/archive/${enc(sessionId)}?t=${clockOf(ms)}`;
