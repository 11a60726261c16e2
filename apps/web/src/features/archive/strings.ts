import { dictionaryHook } from '../../app/i18n';

/** The archive page's own strings (English is the reference; every key exists there). */
const en = {
  'arch.title': 'Archive',
  'arch.subtitle':
    'Your ended sessions. Each is deleted with its recordings and report when its time is up, unless you keep it.',
  'arch.loading': 'Loading the archive…',
  'arch.empty':
    'No ended sessions yet. When you end a session it appears here, with its graph, questions and recording.',
  'arch.col.session': 'Session',
  'arch.col.date': 'Date',
  'arch.col.duration': 'Duration',
  'arch.col.participants': 'Participants',
  'arch.col.average': 'Average',
  'arch.col.recording': 'Recording',
  'arch.col.report': 'Report',
  'arch.col.deleted': 'Deleted',
  'arch.col.actions': 'Actions',
  'arch.rec.none': 'None',
  'arch.rec.parts': '{n} parts',
  'arch.rec.ready': 'Ready',
  'arch.rec.processing': 'Processing',
  'arch.rec.recording': 'Uploading',
  'arch.rec.failed': 'Failed',
  'arch.report.ready': 'Ready',
  'arch.report.pending': 'Being made',
  'arch.report.failed': 'Failed',
  'arch.report.none': 'None',
  'arch.expiresIn': 'in {n} days',
  'arch.expiresToday': 'today',
  'arch.kept': 'Kept',
  'arch.keptHint': 'Kept until you delete it',
  'arch.keep': 'Keep',
  'arch.unkeep': 'Stop keeping',
  'arch.delete': 'Delete',
  'arch.play': 'Replay',
  'arch.deleteTitle': 'Delete “{title}”?',
  'arch.deleteBody':
    'The session, its graph, questions, recordings and report are deleted now, for good. This cannot be undone.',
  'arch.deleted': '“{title}” was deleted.',
  'arch.keptNotice': '“{title}” is kept until you delete it.',
  'arch.unkeptNotice': '“{title}” will be deleted on {date}.',
  'arch.openTitle': 'Open the archive?',
  'arch.openBody':
    'The session is live. Open the archive in a new tab to keep this screen (and any recording) running, or leave it here.',
  'arch.openTab': 'Open in a new tab',
  'arch.openHere': 'Leave and open here',
  'arch.mode.presentation': 'Presentation',
  'arch.mode.video': 'Video',
  'arch.mode.discussion': 'Discussion',
};

export type ArchiveKey = keyof typeof en;

const ja: Record<ArchiveKey, string> = {
  'arch.title': 'アーカイブ',
  'arch.subtitle':
    '終了したセッションの一覧です。保存期間が過ぎると録画・レポートとともに削除されます（「保持」したものを除く）。',
  'arch.loading': 'アーカイブを読み込んでいます…',
  'arch.empty':
    '終了したセッションはまだありません。セッションを終了すると、グラフ・質問・録画とともにここに表示されます。',
  'arch.col.session': 'セッション',
  'arch.col.date': '日時',
  'arch.col.duration': '時間',
  'arch.col.participants': '参加者',
  'arch.col.average': '平均',
  'arch.col.recording': '録画',
  'arch.col.report': 'レポート',
  'arch.col.deleted': '削除予定',
  'arch.col.actions': '操作',
  'arch.rec.none': 'なし',
  'arch.rec.parts': '{n} 本',
  'arch.rec.ready': '再生可',
  'arch.rec.processing': '処理中',
  'arch.rec.recording': 'アップロード中',
  'arch.rec.failed': '失敗',
  'arch.report.ready': '作成済み',
  'arch.report.pending': '作成中',
  'arch.report.failed': '失敗',
  'arch.report.none': 'なし',
  'arch.expiresIn': 'あと {n} 日',
  'arch.expiresToday': '本日',
  'arch.kept': '保持中',
  'arch.keptHint': '削除するまで保持します',
  'arch.keep': '保持する',
  'arch.unkeep': '保持を解除',
  'arch.delete': '削除',
  'arch.play': '再生',
  'arch.deleteTitle': '「{title}」を削除しますか？',
  'arch.deleteBody': 'セッションとそのグラフ・質問・録画・レポートをすぐに完全に削除します。元に戻せません。',
  'arch.deleted': '「{title}」を削除しました。',
  'arch.keptNotice': '「{title}」は削除するまで保持されます。',
  'arch.unkeptNotice': '「{title}」は {date} に削除されます。',
  'arch.openTitle': 'アーカイブを開きますか？',
  'arch.openBody':
    'セッションは進行中です。この画面（と録画）を続けたまま新しいタブでアーカイブを開くか、この画面を離れて開くかを選んでください。',
  'arch.openTab': '新しいタブで開く',
  'arch.openHere': 'この画面を離れて開く',
  'arch.mode.presentation': 'プレゼン',
  'arch.mode.video': '動画',
  'arch.mode.discussion': 'ディスカッション',
};

const dicts = { en, ja };

/** t() for this feature, in the app's current language. */
export const useArchiveT = dictionaryHook(dicts);
export type ArchT = ReturnType<typeof useArchiveT>;

export const ARCHIVE_DICTS = dicts;
