import { dictionaryHook } from '../../app/i18n';

/**
 * The create page's strings and the settings form's (also in the speaker's settings dialog,
 * features/speaker/SettingsDialog): its steps, the modes, who presents, each setting, and why a
 * value is refused (client checks and the server's details). English is the reference.
 */
const en = {
  'create.title': 'New session',
  'create.step': 'Step {n} of 3',
  'create.mode.title': 'What kind of session?',
  'create.comingLater': 'Coming later',
  'mode.presentation': 'Presentation',
  'mode.presentation.desc': 'One presenter; the audience signals how well they follow.',
  'mode.video': 'Video watching',
  'mode.video.desc': 'Watch a video together; signals follow the video’s timeline.',
  'mode.discussion': 'Discussion',
  'mode.discussion.desc': 'Several speakers; signals are attributed to each turn.',
  'create.presenter.title': 'Who presents?',
  'presenter.me': 'Me',
  'presenter.me.desc': 'You present and watch the graph on this device.',
  'presenter.someone': 'Someone else',
  'presenter.someone.desc': 'Invite a presenter by link or e-mail.',
  'create.invitationsSoon': 'Invitations coming soon',
  'create.settings.title': 'Settings',
  'create.submit': 'Create session',
  'create.creating': 'Creating…',
  'settings.title': 'Title',
  'settings.titlePlaceholder': 'e.g. Quarterly results',
  'settings.anonymous': 'Anonymous mode',
  'settings.anonymous.desc': 'Listener names are hidden from everyone, you included.',
  'settings.graph': 'What listeners see of the graph',
  'settings.graph.none': 'Nothing',
  'settings.graph.own': 'Their own line',
  'settings.graph.all': 'The whole audience',
  'settings.duration': 'Planned duration',
  'settings.duration.minutes': 'Minutes',
  'settings.duration.none': 'No planned end',
  'settings.warning': 'Warn me when understanding drops',
  'settings.warning.threshold': 'Average below',
  'settings.warning.duration': 'For at least (seconds)',
  'settings.signal': 'Signal style',
  'settings.signal.sticky': 'Sticky',
  'settings.signal.sticky.desc': 'The level stays where the listener leaves it.',
  'settings.signal.momentary': 'Momentary',
  'settings.signal.momentary.desc':
    'Listeners hold ← or → (or a button) to move the level; letting go returns to neutral 3.',
  'settings.questions': 'Questions from listeners',
  'settings.moderation': 'Approve questions before listeners see them',
  'settings.recording': 'Record the session',
  'settings.recording.later':
    'Reminds you to record (R) when the session starts: the screen and your microphone, with the graph kept in sync.',
  // why a value is refused
  'cf.range.int': 'Enter a whole number from {min} to {max}.',
  'cf.range.dec': 'Enter a number from {min} to {max}.',
  'cf.required': 'Give the session a title.',
  'cf.fixFields': 'Correct the marked fields first.',
  'cf.titleMissing': 'Create is off until the session has a title.',
};

export type CreateFormKey = keyof typeof en;

const ja: Record<CreateFormKey, string> = {
  'create.title': '新しいセッション',
  'create.step': 'ステップ {n} / 3',
  'create.mode.title': 'どんなセッションですか？',
  'create.comingLater': '近日対応',
  'mode.presentation': 'プレゼンテーション',
  'mode.presentation.desc': '発表者は1人。聴き手が理解度を送ります。',
  'mode.video': '動画視聴',
  'mode.video.desc': 'みんなで動画を見て、動画の時間軸で理解度を記録します。',
  'mode.discussion': 'ディスカッション',
  'mode.discussion.desc': '複数の話し手。理解度は各発言に紐づきます。',
  'create.presenter.title': '誰が発表しますか？',
  'presenter.me': '自分',
  'presenter.me.desc': 'あなたが発表し、この端末でグラフを見ます。',
  'presenter.someone': '他の人',
  'presenter.someone.desc': 'リンクやメールで発表者を招待します。',
  'create.invitationsSoon': '招待機能は近日対応',
  'create.settings.title': '設定',
  'create.submit': 'セッションを作成',
  'create.creating': '作成中…',
  'settings.title': 'タイトル',
  'settings.titlePlaceholder': '例：四半期決算報告',
  'settings.anonymous': '匿名モード',
  'settings.anonymous.desc': '聴き手の名前を全員（あなたも含む）に表示しません。',
  'settings.graph': '聴き手に見せるグラフ',
  'settings.graph.none': '表示しない',
  'settings.graph.own': '自分の線のみ',
  'settings.graph.all': '全体の平均',
  'settings.duration': '予定時間',
  'settings.duration.minutes': '分',
  'settings.duration.none': '終了時刻を決めない',
  'settings.warning': '理解度が下がったら警告する',
  'settings.warning.threshold': '平均がこの値未満',
  'settings.warning.duration': '継続時間（秒）',
  'settings.signal': 'シグナルの方式',
  'settings.signal.sticky': '固定式',
  'settings.signal.sticky.desc': '聴き手が選んだレベルがそのまま保たれます。',
  'settings.signal.momentary': '瞬間式',
  'settings.signal.momentary.desc':
    '← / →（またはボタン）を押している間だけレベルが動き、離すと中立の3に戻ります。',
  'settings.questions': '聴き手からの質問',
  'settings.moderation': '質問は承認してから聴き手に表示する',
  'settings.recording': 'セッションを録画',
  'settings.recording.later':
    'セッション開始時に録画（R）を促します。画面とマイクを録画し、グラフと同期します。',
  // why a value is refused
  'cf.range.int': '{min}〜{max}の整数を入力してください。',
  'cf.range.dec': '{min}〜{max}の数値を入力してください。',
  'cf.required': 'セッションのタイトルを入力してください。',
  'cf.fixFields': '印の付いた項目を先に直してください。',
  'cf.titleMissing': 'タイトルを入力すると作成できます。',
};

const dicts = { en, ja };

export const useCreateFormT = dictionaryHook(dicts);
export type CreateFormT = ReturnType<typeof useCreateFormT>;

export const CREATE_FORM_DICTS = dicts;

/** The form's fields as the server names them in `details[].path`. */
export type FieldPath =
  'title' | 'settings.plannedDurationMin' | 'settings.warning.threshold' | 'settings.warning.durationSec';

export type FieldErrors = Partial<Record<FieldPath, string>>;

/** Ranges the form checks before sending (the same as the protocol's schema). */
export const FIELD_RANGES: Record<
  Exclude<FieldPath, 'title'>,
  { min: number; max: number; integer: boolean }
> = {
  'settings.plannedDurationMin': { min: 1, max: 24 * 60, integer: true },
  'settings.warning.threshold': { min: 1, max: 5, integer: false },
  'settings.warning.durationSec': { min: 1, max: 600, integer: true },
};

export function rangeMessage(t: CreateFormT, path: Exclude<FieldPath, 'title'>): string {
  const r = FIELD_RANGES[path];
  return t(r.integer ? 'cf.range.int' : 'cf.range.dec', { min: r.min, max: r.max });
}

/**
 * The server's VALIDATION_FAILED details as messages beside their fields (in the page's
 * language); details on other paths are returned apart, for the form's general alert.
 */
export function fieldErrorsFromDetails(
  details: unknown,
  t: CreateFormT,
): { fields: FieldErrors; other: string[] } {
  const fields: FieldErrors = {};
  const other: string[] = [];
  if (!Array.isArray(details)) return { fields, other };
  for (const d of details as { path?: unknown; message?: unknown }[]) {
    const path = typeof d.path === 'string' ? d.path : Array.isArray(d.path) ? d.path.join('.') : '';
    const message = typeof d.message === 'string' ? d.message : '';
    if (path === 'title') fields.title = t('cf.required');
    else if (path in FIELD_RANGES)
      fields[path as Exclude<FieldPath, 'title'>] = rangeMessage(t, path as Exclude<FieldPath, 'title'>);
    else other.push([path, message].filter(Boolean).join(': '));
  }
  return { fields, other };
}
