import { useCallback } from 'react';
import { translate, useI18n } from '../../app/i18n';

/** The security audit tab's strings (English is the reference; every key exists there). */
const en = {
  'sa.tab': 'Security audit',
  'sa.latest': 'Latest report',
  'sa.none': 'No audit has run yet. Run one now, or from the server: npm run rstream -- audit',
  'sa.run': 'Run audit now',
  'sa.running': 'Audit running…',
  'sa.runStarted': 'The audit is running; this page refreshes when it is done.',
  'sa.finished': 'Finished {at} · instance {instance} · period {from} – {to}',
  'sa.result.0': 'Clean (exit 0)',
  'sa.result.1': 'Warnings (exit 1)',
  'sa.result.2': 'Critical findings (exit 2)',
  'sa.count.critical': 'Critical',
  'sa.count.warning': 'Warning',
  'sa.count.info': 'Info',
  'sa.count.accepted': 'Accepted',
  'sa.trend': 'Since the previous report ({at})',
  'sa.trend.none': 'No previous report to compare with.',
  'sa.trend.added': '{n} new',
  'sa.trend.resolved': '{n} resolved',
  'sa.trend.same': 'No change in findings.',
  'sa.findings': 'Findings',
  'sa.noFindings': 'No findings.',
  'sa.col.severity': 'Severity',
  'sa.col.finding': 'Finding',
  'sa.col.evidence': 'Evidence',
  'sa.col.fix': 'Fix',
  'sa.level': 'level {n}',
  'sa.runbook': 'Runbook',
  'sa.accept': 'Accept risk',
  'sa.acceptTitle': 'Accept the risk of {id}',
  'sa.reason': 'Reason (at least 10 characters)',
  'sa.expires': 'Accepted until',
  'sa.save': 'Accept',
  'sa.cancel': 'Cancel',
  'sa.accepted': 'Accepted risks',
  'sa.acceptedUntil': 'until {at} · by {by}',
  'sa.expired': 'expired — the finding counts again',
  'sa.plan': 'Action plan',
  'sa.plan.now': 'Now (critical)',
  'sa.plan.24h': 'Within 24 hours (warning)',
  'sa.plan.watch': 'Watch (info)',
  'sa.proposals': 'Improvement proposals',
  'sa.history': 'History',
  'sa.sev.critical': 'critical',
  'sa.sev.warning': 'warning',
  'sa.sev.info': 'info',
};
export type SecurityAuditKey = keyof typeof en;

const ja: Record<SecurityAuditKey, string> = {
  'sa.tab': 'セキュリティ監査',
  'sa.latest': '最新の監査レポート',
  'sa.none':
    'まだ監査は実行されていません。今すぐ実行するか、サーバーで npm run rstream -- audit を実行してください。',
  'sa.run': '今すぐ監査を実行',
  'sa.running': '監査を実行中…',
  'sa.runStarted': '監査を実行しています。終わるとこのページが更新されます。',
  'sa.finished': '{at} 完了 · インスタンス {instance} · 対象期間 {from} – {to}',
  'sa.result.0': '問題なし（終了コード 0）',
  'sa.result.1': '警告あり（終了コード 1）',
  'sa.result.2': '重大な指摘あり（終了コード 2）',
  'sa.count.critical': '重大',
  'sa.count.warning': '警告',
  'sa.count.info': '情報',
  'sa.count.accepted': 'リスク受容',
  'sa.trend': '前回のレポート（{at}）からの変化',
  'sa.trend.none': '比較できる前回のレポートがありません。',
  'sa.trend.added': '新規 {n} 件',
  'sa.trend.resolved': '解消 {n} 件',
  'sa.trend.same': '指摘に変化はありません。',
  'sa.findings': '指摘事項',
  'sa.noFindings': '指摘事項はありません。',
  'sa.col.severity': '重要度',
  'sa.col.finding': '指摘',
  'sa.col.evidence': '根拠',
  'sa.col.fix': '対処',
  'sa.level': 'レベル {n}',
  'sa.runbook': 'ランブック',
  'sa.accept': 'リスクを受容',
  'sa.acceptTitle': '{id} のリスクを受容する',
  'sa.reason': '理由（10 文字以上）',
  'sa.expires': '受容の期限',
  'sa.save': '受容する',
  'sa.cancel': 'キャンセル',
  'sa.accepted': '受容中のリスク',
  'sa.acceptedUntil': '{at} まで · {by}',
  'sa.expired': '期限切れ — 指摘は再び有効です',
  'sa.plan': 'アクションプラン',
  'sa.plan.now': '直ちに（重大）',
  'sa.plan.24h': '24 時間以内（警告）',
  'sa.plan.watch': '経過観察（情報）',
  'sa.proposals': '改善提案',
  'sa.history': '履歴',
  'sa.sev.critical': '重大',
  'sa.sev.warning': '警告',
  'sa.sev.info': '情報',
};

const dicts = { en, ja };

export type SAT = (key: SecurityAuditKey, vars?: Record<string, string | number>) => string;

/** t() for the security audit tab, in the app's current language. */
export function useSecurityAuditT(): SAT {
  const { lang } = useI18n();
  return useCallback((key, vars) => translate(lang, key, vars, dicts), [lang]);
}

export const SECURITY_AUDIT_DICTS = dicts;
