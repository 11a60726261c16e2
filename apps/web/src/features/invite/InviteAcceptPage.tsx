import { useEffect, useState, type FormEvent } from 'react';
import { displayNameSchema, type InvitationPreview } from '@rstream/protocol';
import { ApiError } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { useI18n } from '../../app/i18n';
import { navigate, type Params } from '../../app/router';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { TextField } from '../../ui/form';
import { useDocumentTitle } from '../../ui/hooks';
import { invitationsApi, savePresenterToken } from './invitations-api';
import { useInviteT, type InviteKey } from './strings';

type Load =
  | { kind: 'loading' }
  | { kind: 'ok'; preview: InvitationPreview['invitation'] }
  | { kind: 'error'; message: string };

/** /invite/:token — the invited person picks a name and gets the presenter screen. */
export function InviteAcceptPage({ params }: { params: Params }) {
  const { t: tApp } = useI18n();
  const t = useInviteT();
  const token = params.token ?? '';
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useDocumentTitle(t('invite.accept.title'));

  const explain = (err: unknown) => {
    if (err instanceof ApiError && err.code.startsWith('INVITATION_')) {
      return t(`invite.error.${err.code}` as InviteKey);
    }
    return errorMessage(err, tApp);
  };

  useEffect(() => {
    let cancelled = false;
    invitationsApi.preview(token).then(
      (r) => !cancelled && setLoad({ kind: 'ok', preview: r.invitation }),
      (err: unknown) => !cancelled && setLoad({ kind: 'error', message: explain(err) }),
    );
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = displayNameSchema.safeParse(name);
    if (!parsed.success) {
      setError(t('invite.accept.nameNeeded'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await invitationsApi.accept(token, parsed.data);
      savePresenterToken(r.sessionId, r.participantToken);
      navigate(`/present/${r.sessionId}`, { replace: true });
    } catch (err) {
      setError(explain(err));
      setBusy(false);
    }
  };

  return (
    <div className="mx-auto max-w-md px-4 py-12">
      <div className="rounded-2xl border border-line bg-white p-6 shadow-sm sm:p-8">
        <h1 className="mb-4 text-2xl font-bold">{t('invite.accept.title')}</h1>
        {load.kind === 'loading' && <p className="text-muted">{tApp('common.loading')}</p>}
        {load.kind === 'error' && <Alert testId="invite-error">{load.message}</Alert>}
        {load.kind === 'ok' && (
          <form onSubmit={submit} className="flex flex-col gap-4" data-testid="invite-accept-form">
            <p>
              {t(
                load.preview.role === 'presenter'
                  ? 'invite.accept.asPresenter'
                  : 'invite.accept.asFacilitator',
                {
                  host: load.preview.session.hostName,
                  title: load.preview.session.title,
                },
              )}
            </p>
            <TextField
              label={t('invite.accept.name')}
              name="displayName"
              autoComplete="name"
              maxLength={40}
              required
              value={name}
              onChange={(e) => setName(e.target.value)}
              error={error}
            />
            <Button type="submit" size="lg" disabled={busy} data-testid="invite-accept">
              {t('invite.accept.submit')}
            </Button>
          </form>
        )}
      </div>
    </div>
  );
}
