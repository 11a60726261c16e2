import { useState, type FormEvent } from 'react';
import {
  AVAILABLE_MODES,
  DEFAULT_SESSION_SETTINGS,
  SESSION_MODES,
  type SessionMode,
  type SessionSettings,
} from '@rstream/protocol';
import { ApiError } from '../../api/client';
import { sessionsApi } from '../../api/endpoints';
import { errorMessage } from '../../api/errors';
import { useI18n } from '../../app/i18n';
import { navigate } from '../../app/router';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { TextField } from '../../ui/form';
import { useDocumentTitle } from '../../ui/hooks';
import { icons } from '../../ui/icons';
import { ChoiceCard, ChoiceCards } from './ChoiceCard';
import { SettingsFields } from './SettingsFields';
import { InviteDialog } from '../invite/InviteDialog';
import { DEFAULT_DISCUSSION, DiscussionChoices } from '../discussion/DiscussionChoices';
import { useDiscussionT } from '../discussion/strings';
import { fieldErrorsFromDetails, useCreateFormT, type FieldErrors, type FieldPath } from './strings';
import { DEFAULT_VIDEO, VideoChoices } from '../video/VideoChoices';
import { useVideoT } from '../video/strings';

type Step = 1 | 2 | 3;

export function CreatePage() {
  const { t } = useI18n();
  const dt = useDiscussionT();
  const vt = useVideoT();
  const [step, setStep] = useState<Step>(1);
  const [mode, setMode] = useState<SessionMode>('presentation');
  const [presenter, setPresenter] = useState<'me' | 'someone_else'>('me');
  const [title, setTitle] = useState('');
  const [settings, setSettings] = useState<SessionSettings>(DEFAULT_SESSION_SETTINGS);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [inviteFor, setInviteFor] = useState<string | null>(null);
  const [discussion, setDiscussion] = useState(DEFAULT_DISCUSSION);
  const ft = useCreateFormT();
  // Fields whose typed value is refused (client checks), and the server's messages by field.
  const [invalid, setInvalid] = useState<ReadonlySet<FieldPath>>(new Set());
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const onInvalidChange = (path: FieldPath, bad: boolean) =>
    setInvalid((prev) => {
      if (prev.has(path) === bad) return prev;
      const next = new Set(prev);
      if (bad) next.add(path);
      else next.delete(path);
      return next;
    });
  const whyDisabled = !title.trim() ? ft('cf.titleMissing') : invalid.size > 0 ? ft('cf.fixFields') : null;
  const [video, setVideo] = useState(DEFAULT_VIDEO);
  const isDiscussion = mode === 'discussion';
  const isVideo = mode === 'video';
  const invites = isDiscussion
    ? discussion.facilitator === 'someone_else'
    : isVideo
      ? video.facilitator === 'someone_else' || video.provider === 'someone_else'
      : presenter === 'someone_else';
  useDocumentTitle(ft('create.title'));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!title.trim() || invalid.size > 0) return;
    setBusy(true);
    setError(null);
    setFieldErrors({});
    try {
      const session = await sessionsApi.create({
        title: title.trim(),
        mode,
        settings: {
          ...settings,
          presenter: isVideo ? (video.facilitator === 'me' ? 'me' : 'someone_else') : presenter,
          ...(isDiscussion ? { discussion } : {}),
          ...(isVideo ? { video } : {}),
        },
      });
      // someone else presents (or facilitates): hand over the invitation link first (features/invite)
      if (invites) setInviteFor(session.id);
      else navigate(`/host/${session.id}`);
    } catch (err) {
      // VALIDATION_FAILED: each refused value is named beside its field; the rest in the alert.
      if (err instanceof ApiError && err.code === 'VALIDATION_FAILED') {
        const { fields, other } = fieldErrorsFromDetails(err.details, ft);
        setFieldErrors(fields);
        const general = `${t('errors.VALIDATION_FAILED')}${other.length ? ` (${other.join('; ')})` : ''}`;
        setError(Object.keys(fields).length && !other.length ? ft('cf.fixFields') : general);
      } else setError(errorMessage(err, t));
      setBusy(false);
    }
  };

  const stepTitle =
    step === 1
      ? ft('create.mode.title')
      : step === 2
        ? isDiscussion
          ? dt('d.create.title')
          : isVideo
            ? vt('v.create.title')
            : ft('create.presenter.title')
        : ft('create.settings.title');

  return (
    <div className="mx-auto max-w-4xl px-4 py-8">
      <h1 className="text-3xl font-bold">{ft('create.title')}</h1>
      <ol className="my-4 flex gap-2" aria-label={ft('create.step', { n: step })}>
        {[1, 2, 3].map((n) => (
          <li
            key={n}
            aria-current={n === step ? 'step' : undefined}
            className={`h-2 flex-1 rounded-full ${n <= step ? 'bg-brand' : 'bg-slate-300'}`}
          />
        ))}
      </ol>
      <p className="text-sm font-semibold text-muted">{ft('create.step', { n: step })}</p>
      <h2 className="mb-4 text-2xl font-bold" data-testid="create-step-title">
        {stepTitle}
      </h2>

      {step === 1 && (
        <fieldset>
          <legend className="sr-only">{ft('create.mode.title')}</legend>
          <div className="grid gap-4 md:grid-cols-3">
            {SESSION_MODES.map((m) => {
              const available = AVAILABLE_MODES.includes(m);
              return (
                <ChoiceCard
                  key={m}
                  name="mode"
                  value={m}
                  icon={icons[m]}
                  checked={mode === m}
                  disabled={!available}
                  onSelect={() => setMode(m)}
                  title={ft(`mode.${m}`)}
                  description={ft(`mode.${m}.desc`)}
                  badge={available ? undefined : ft('create.comingLater')}
                  testId={`mode-${m}`}
                />
              );
            })}
          </div>
        </fieldset>
      )}

      {step === 2 && isDiscussion && <DiscussionChoices value={discussion} onChange={setDiscussion} />}
      {step === 2 && isVideo && <VideoChoices value={video} onChange={setVideo} />}
      {step === 2 && !isDiscussion && !isVideo && (
        <fieldset>
          <legend className="sr-only">{ft('create.presenter.title')}</legend>
          <ChoiceCards
            name="presenter"
            selected={presenter}
            onSelect={setPresenter}
            choices={[
              {
                value: 'me',
                icon: icons.person,
                title: ft('presenter.me'),
                description: ft('presenter.me.desc'),
                testId: 'presenter-me',
              },
              {
                value: 'someone_else',
                icon: icons.mail,
                title: ft('presenter.someone'),
                description: ft('presenter.someone.desc'),
                testId: 'presenter-someone',
              },
            ]}
          />
        </fieldset>
      )}

      {step === 3 && (
        <form id="create-form" onSubmit={submit} className="flex flex-col gap-4">
          <div className="rounded-xl border border-line bg-white p-4">
            <TextField
              label={ft('settings.title')}
              placeholder={ft('settings.titlePlaceholder')}
              required
              maxLength={200}
              value={title}
              onChange={(e) => {
                setTitle(e.target.value);
                setFieldErrors(({ title: _gone, ...rest }) => rest);
              }}
              error={fieldErrors.title}
              data-testid="create-title"
              autoFocus
            />
          </div>
          <SettingsFields
            value={settings}
            onChange={setSettings}
            disabled={busy}
            errors={fieldErrors}
            onInvalidChange={onInvalidChange}
          />
          {error && <Alert>{error}</Alert>}
        </form>
      )}

      <div className="mt-6 flex justify-between gap-3">
        {step > 1 ? (
          <Button variant="secondary" onClick={() => setStep((s) => (s - 1) as Step)} disabled={busy}>
            ← {t('common.back')}
          </Button>
        ) : (
          <span />
        )}
        {step < 3 ? (
          <Button onClick={() => setStep((s) => (s + 1) as Step)} data-testid="create-next">
            {t('common.next')} →
          </Button>
        ) : (
          <div className="flex flex-col items-end gap-1">
            <Button
              type="submit"
              form="create-form"
              size="lg"
              disabled={busy || whyDisabled !== null}
              aria-describedby={whyDisabled ? 'create-why-disabled' : undefined}
              data-testid="create-submit"
            >
              {busy ? ft('create.creating') : ft('create.submit')}
            </Button>
            {whyDisabled && (
              <p id="create-why-disabled" className="text-sm text-muted" data-testid="create-why-disabled">
                {whyDisabled}
              </p>
            )}
          </div>
        )}
      </div>
      {inviteFor && (
        <InviteDialog
          sessionId={inviteFor}
          open
          onClose={() => navigate(`/host/${inviteFor}`)}
          defaultRole={isDiscussion || isVideo ? 'facilitator' : 'presenter'}
        />
      )}
    </div>
  );
}
