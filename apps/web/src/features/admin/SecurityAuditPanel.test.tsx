import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import type { AuditFinding, AuditOverview, AuditReport } from '@rstream/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nProvider, type Lang } from '../../app/i18n';
import { LANG_STORAGE_KEY } from '../../app/i18n/translate';
import { SecurityAuditPanel } from './SecurityAuditPanel';
import { securityAuditApi } from './security-audit-api';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const finding: AuditFinding = {
  id: 'api.cors',
  area: 'access',
  title: 'CORS allows any origin',
  severity: 'critical',
  incidentLevel: 1,
  evidence: 'CORS_ORIGINS=*',
  fix: 'CORS_ORIGINS= (same-origin only) or the exact list, e.g. CORS_ORIGINS=https://app.example.com',
  runbook: 'https://runbooks.example/security-audit.md#access',
};
const ja = {
  title: 'CORS がすべてのオリジンを許可している',
  evidence: 'CORS_ORIGINS=*',
  fix: 'CORS_ORIGINS=（同一オリジンのみ）、または正確なリスト（例: CORS_ORIGINS=https://app.example.com）',
};

/** A report as the server stores it; `withJa: false` is one stored before the audit spoke Japanese. */
function report(withJa: boolean): AuditReport {
  const line = (f: { title: string; fix: string }) => `[api.cors] ${f.title} — ${f.fix}`;
  return {
    id: 'r1',
    startedAt: '2026-12-01T00:00:00.000Z',
    finishedAt: '2026-12-01T00:01:00.000Z',
    trigger: 'admin',
    instance: 'vm:1',
    period: { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' },
    exitCode: 2,
    counts: { critical: 1, warning: 0, info: 0, accepted: 0 },
    findings: [withJa ? { ...finding, ja } : finding],
    accepted: [],
    checks: [],
    logAnalysis: {},
    proposals: ['Access control: review admins every month.'],
    actionPlan: { now: [line(finding)], within24h: [], watch: [] },
    ...(withJa && {
      ja: {
        proposals: ['アクセス制御: 管理者を毎月見直す。'],
        actionPlan: { now: [line(ja)], within24h: [], watch: [] },
      },
    }),
  };
}

let root: Root | null = null;
async function renderPanel(lang: Lang, latest: AuditReport): Promise<HTMLElement> {
  localStorage.setItem(LANG_STORAGE_KEY, lang);
  const overview: AuditOverview & { running: boolean } = {
    latest,
    trend: { added: [], resolved: [], previous: null },
    acceptances: [],
    history: [],
    running: false,
  };
  vi.spyOn(securityAuditApi, 'overview').mockResolvedValue(overview);
  const host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  await act(async () =>
    root!.render(
      <I18nProvider>
        <SecurityAuditPanel />
      </I18nProvider>,
    ),
  );
  return host;
}
const text = (host: HTMLElement, id: string) =>
  [...host.querySelectorAll(`[data-testid="${id}"]`)].map((e) => e.textContent?.trim()).join('\n');

describe('SecurityAuditPanel: the server’s words in the admin’s language', () => {
  afterEach(() => {
    act(() => root?.unmount());
    root = null;
    document.body.replaceChildren();
    localStorage.clear();
    vi.restoreAllMocks();
  });

  it('shows the Japanese texts to a Japanese admin', async () => {
    const host = await renderPanel('ja', report(true));
    expect(text(host, 'sa-finding-title')).toBe(ja.title);
    expect(text(host, 'sa-finding-fix')).toBe(ja.fix);
    expect(text(host, 'sa-proposals')).toBe('アクセス制御: 管理者を毎月見直す。');
    expect(host.textContent).toContain(`[api.cors] ${ja.title} — ${ja.fix}`);
    expect(host.textContent).toContain('指摘事項');
  });

  it('shows an English admin the English fields, Japanese or not', async () => {
    const host = await renderPanel('en', report(true));
    expect(text(host, 'sa-finding-title')).toBe(finding.title);
    expect(text(host, 'sa-finding-fix')).toBe(finding.fix);
    expect(text(host, 'sa-proposals')).toBe('Access control: review admins every month.');
    expect(host.textContent).not.toMatch(/[\u3040-\u30ff]/);
  });

  it('falls back to English for a report stored before the audit spoke Japanese', async () => {
    const host = await renderPanel('ja', report(false));
    expect(text(host, 'sa-finding-title')).toBe(finding.title);
    expect(text(host, 'sa-finding-fix')).toBe(finding.fix);
    expect(text(host, 'sa-proposals')).toBe('Access control: review admins every month.');
    expect(host.textContent).toContain(`[api.cors] ${finding.title} — ${finding.fix}`);
    // the page's own labels stay Japanese
    expect(host.textContent).toContain('指摘事項');
  });
});
