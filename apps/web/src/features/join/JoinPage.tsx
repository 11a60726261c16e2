import { useEffect, useState, type FormEvent } from 'react';
import type { PublicSession } from '@rstream/protocol';
import { ApiError } from '../../api/client';
import { participantApi } from '../../api/endpoints';
import { errorMessage } from '../../api/errors';
import { useI18n } from '../../app/i18n';
import { navigate, type Params } from '../../app/router';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Checkbox, TextField } from '../../ui/form';
import { useDocumentTitle } from '../../ui/hooks';
import { StatusBadge } from '../../ui/StatusBadge';
import { isValidCode, normalizeCodeInput } from './code';
import { useJoinT } from './strings';
import { loadDisplayName, loadParticipant, saveDisplayName, saveParticipant } from './participant-storage';

type Load = { kind: 'loading' } | { kind: 'ok'; session: PublicSession } | { kind: 'error'; message: string };

export function JoinPage({ params }: { params: Params }) {
  const { t } = useI18n();
  const jt = useJoinT();
  const code = normalizeCodeInput(params.code ?? '');
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [name, setName] = useState(loadDisplayName);
  const [anonymous, setAnonymous] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useDocumentTitle(load.kind === 'ok' ? load.session.title : t('join.title'));

  useEffect(() => {
    let cancelled = false;
    if (!isValidCode(code)) {
      setLoad({ kind: 'error', message: t('join.notFound', { code }) });
      return;
    }
    participantApi.byCode(code).then(
      (session) => !cancelled && setLoad({ kind: 'ok', session }),
      (err: unknown) => {
        if (cancelled) return;
        const notFound = err instanceof ApiError && err.status === 404;
        setLoad({ kind: 'error', message: notFound ? t('join.notFound', { code }) : errorMessage(err, t) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [code, t]);

  if (load.kind === 'loading') return <p className="p-8 text-center text-muted">{t('common.loading')}</p>;
  if (load.kind === 'error') {
    return (
      <div className="mx-auto max-w-md px-4 py-12">
        <Alert testId="join-error">{load.message}</Alert>
        <RetryCode initial={code} />
      </div>
    );
  }

  const { session } = load;
  const stored = loadParticipant(session.id);
  const ended = session.status === 'ended';
  const anonymousJoin = anonymous || session.settings.anonymous;
  const needsName = !name.trim() && !anonymousJoin;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const anon = anonymous || session.settings.anonymous;
    // Anonymous listeners need not type a name: others see "Listener #n" anyway.
    const displayName = name.trim() || (anon ? jt('join.anonymousName') : '');
    if (!displayName) return;
    setBusy(true);
    setError(null);
    try {
      const res = await participantApi.join(code, displayName, anon);
      if (name.trim()) saveDisplayName(displayName);
      saveParticipant(res.sessionId, {
        participantToken: res.participantToken,
        participantId: res.participantId,
        displayName,
        anonymous: anon,
        code,
      });
      navigate(`/s/${res.sessionId}`);
    } catch (err) {
      setError(errorMessage(err, t));
      setBusy(false);
    }
  };

  return (
    <div className="mx-auto max-w-md px-4 py-8 sm:py-12">
      <div className="rounded-2xl border border-line bg-white p-6 shadow-sm sm:p-8">
        <p className="mb-1 font-mono text-sm tracking-widest text-muted">{session.code}</p>
        <h1 className="mb-2 text-2xl font-bold" data-testid="join-title">
          {session.title}
        </h1>
        <div className="mb-6 flex flex-wrap items-center gap-3 text-muted">
          <span>{t('join.host', { name: session.hostName })}</span>
          <StatusBadge status={session.status} testId="session-status" />
        </div>

        {ended ? (
          <Alert kind="info">{t('join.ended')}</Alert>
        ) : (
          <>
            {stored && (
              <div className="mb-6">
                <Button
                  size="lg"
                  className="w-full"
                  onClick={() => navigate(`/s/${session.id}`)}
                  data-testid="join-continue"
                >
                  {stored.anonymous
                    ? t('join.continueAnonymous')
                    : t('join.continueAs', { name: stored.displayName })}
                </Button>
                <p className="mt-4 text-sm text-muted">{t('join.orNew')}</p>
              </div>
            )}
            <form onSubmit={submit} className="flex flex-col gap-4" data-testid="join-form">
              <TextField
                label={t('join.displayName')}
                required={!anonymousJoin}
                hint={anonymousJoin ? jt('join.nameOptional') : undefined}
                maxLength={40}
                autoComplete="nickname"
                value={name}
                onChange={(e) => setName(e.target.value)}
                data-testid="join-name"
              />
              {session.settings.anonymous ? (
                <Alert kind="info">{t('join.sessionAnonymous')}</Alert>
              ) : (
                <Checkbox
                  label={t('join.anonymous')}
                  hint={t('join.anonymous.desc')}
                  checked={anonymous}
                  onChange={(e) => setAnonymous(e.target.checked)}
                  data-testid="join-anonymous"
                />
              )}
              {error && <Alert>{error}</Alert>}
              <Button
                type="submit"
                size="lg"
                variant={stored ? 'secondary' : 'primary'}
                disabled={busy || needsName}
                aria-describedby={needsName ? 'join-why-disabled' : undefined}
                data-testid="join-submit"
              >
                {busy ? t('join.joining') : t('join.submit')}
              </Button>
              {needsName && (
                <p id="join-why-disabled" className="text-sm text-muted" data-testid="join-why-disabled">
                  {jt('join.needName')}
                </p>
              )}
            </form>
          </>
        )}
      </div>
    </div>
  );
}

/** After an unknown code: the code stays in a field to correct and try again. */
function RetryCode({ initial }: { initial: string }) {
  const { t } = useI18n();
  const jt = useJoinT();
  const [value, setValue] = useState(initial);
  const next = normalizeCodeInput(value);
  const valid = isValidCode(next);
  return (
    <form
      className="mt-6 flex flex-col gap-3"
      data-testid="join-retry"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) navigate(`/j/${next}`, { replace: true });
      }}
    >
      <TextField
        label={jt('join.codeLabel')}
        value={value}
        autoCapitalize="characters"
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => setValue(e.target.value)}
        hint={valid ? undefined : jt('join.codeHint')}
        data-testid="join-retry-code"
      />
      <Button type="submit" disabled={!valid} data-testid="join-retry-submit">
        {t('join.submit')}
      </Button>
    </form>
  );
}
