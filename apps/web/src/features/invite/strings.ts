import { dictionaryHook } from '../../app/i18n';

/** The invitation strings: the host's invite dialog, the invited person's page (English is the reference). */
const en = {
  'invite.open': 'Invite a presenter…',
  'invite.title': 'Ask someone else to present',
  'invite.intro':
    'Create a link for the person on stage. It works once; whoever opens it gets the speaker screen.',
  'invite.role': 'They will',
  'invite.role.presenter': 'present',
  'invite.role.facilitator': 'facilitate',
  'invite.email': 'Their e-mail (optional)',
  'invite.emailHint': 'We send them the link. Leave empty to pass it on yourself.',
  'invite.expires': 'The link expires after',
  'invite.hours': '{n} h',
  'invite.create': 'Create the link',
  'invite.link': 'Invitation link',
  'invite.copy': 'Copy',
  'invite.copied': 'Copied',
  'invite.once': 'Works once, until {date}.',
  'invite.mailSent': 'Sent to {email}.',
  'invite.outbox':
    'No mail server is set up: the mail was saved on the server. Copy the link and send it yourself.',
  'invite.mailFailed': 'The mail could not be sent. Copy the link and send it yourself.',
  'invite.done': 'Done — to my session',
  'invite.accept.title': 'You are invited',
  'invite.accept.asPresenter': '{host} asks you to present “{title}”.',
  'invite.accept.asFacilitator': '{host} asks you to facilitate “{title}”.',
  'invite.accept.name': 'Your name (shown to the audience)',
  'invite.accept.nameNeeded': 'Enter your name (up to 40 characters).',
  'invite.accept.submit': 'Take the stage',
  'invite.error.INVITATION_NOT_FOUND': 'This invitation link is not valid. Check that you copied all of it.',
  'invite.error.INVITATION_EXPIRED': 'This invitation has expired. Ask the host for a new link.',
  'invite.error.INVITATION_USED': 'This invitation has already been used. Ask the host for a new link.',
  'invite.error.INVITATION_REVOKED': 'The host withdrew this invitation.',
  'invite.present.noToken':
    'This browser has no presenter access to this session. Open your invitation link again.',
};

export type InviteKey = keyof typeof en;

const ja: Record<InviteKey, string> = {
  'invite.open': '発表者を招待…',
  'invite.title': 'ほかの人に発表を頼む',
  'invite.intro': '登壇する人のためのリンクを作ります。1回だけ使え、開いた人にスピーカー画面が表示されます。',
  'invite.role': 'お願いすること',
  'invite.role.presenter': '発表',
  'invite.role.facilitator': '進行',
  'invite.email': '相手のメールアドレス（任意）',
  'invite.emailHint': 'リンクをメールで送ります。空欄なら自分で渡してください。',
  'invite.expires': 'リンクの有効期間',
  'invite.hours': '{n} 時間',
  'invite.create': 'リンクを作る',
  'invite.link': '招待リンク',
  'invite.copy': 'コピー',
  'invite.copied': 'コピーしました',
  'invite.once': '{date} まで、1回だけ使えます。',
  'invite.mailSent': '{email} に送りました。',
  'invite.outbox':
    'メールサーバーが未設定のため、メールはサーバーに保存されました。リンクをコピーしてご自身で送ってください。',
  'invite.mailFailed': 'メールを送れませんでした。リンクをコピーしてご自身で送ってください。',
  'invite.done': '完了 — セッションへ',
  'invite.accept.title': '招待が届いています',
  'invite.accept.asPresenter': '{host} さんから「{title}」の発表を頼まれています。',
  'invite.accept.asFacilitator': '{host} さんから「{title}」の進行を頼まれています。',
  'invite.accept.name': 'あなたの名前（聴き手に表示されます）',
  'invite.accept.nameNeeded': '名前を入力してください（40文字まで）。',
  'invite.accept.submit': '登壇する',
  'invite.error.INVITATION_NOT_FOUND': 'この招待リンクは無効です。リンク全体をコピーしたか確認してください。',
  'invite.error.INVITATION_EXPIRED': 'この招待は期限切れです。ホストに新しいリンクを依頼してください。',
  'invite.error.INVITATION_USED': 'この招待はすでに使われています。ホストに新しいリンクを依頼してください。',
  'invite.error.INVITATION_REVOKED': 'ホストがこの招待を取り消しました。',
  'invite.present.noToken':
    'このブラウザにはこのセッションの発表者権限がありません。招待リンクをもう一度開いてください。',
};

const dicts = { en, ja };

/** t() for this feature, in the app's current language. */
export const useInviteT = dictionaryHook(dicts);
export type InviteT = ReturnType<typeof useInviteT>;

export const INVITE_DICTS = dicts;
