import { useState, type FormEvent } from 'react';
import type { CreateInvitationResponse, InvitationRole } from '@rstream/protocol';
import { errorMessage } from '../../api/errors';
import { useI18n } from '../../app/i18n';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { inputClass, TextField } from '../../ui/form';
import { invitationsApi } from './invitations-api';
import { useInviteT } from './strings';

/**
 * "Ask someone else to present": makes a single-use link (optionally mailed) and shows it with
 * a copy button. Without a mail server the mail goes to the server's outbox: the host passes the
 * link on themselves.
 */
export function InviteDialog({
  sessionId,
  open,
  onClose,
  defaultRole = 'presenter',
}: {
  sessionId: string;
  open: boolean;
  onClose: () => void;
  defaultRole?: InvitationRole;
}) {
  const { t: tApp } = useI18n();
  const t = useInviteT();
  const [role, setRole] = useState<InvitationRole>(defaultRole);
  const [email, setEmail] = useState('');
  const [hours, setHours] = useState(72);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<CreateInvitationResponse | null>(null);
  const [copied, setCopied] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setResult(
        await invitationsApi.create(sessionId, {
          role,
          email: email.trim() || undefined,
          expiresInHours: hours,
        }),
      );
    } catch (err) {
      setError(errorMessage(err, tApp));
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    if (!result) return;
    try {
      await navigator.clipboard.writeText(result.url);
      setCopied(true);
    } catch {
      // no clipboard permission: the field is selected so Ctrl+C works
      (document.getElementById('invite-url') as HTMLInputElement | null)?.select();
    }
  };

  const delivery = result?.delivery;
  return (
    <Dialog
      open={open}
      title={t('invite.title')}
      onClose={onClose}
      testId="invite-dialog"
      footer={
        <Button variant={result ? 'primary' : 'secondary'} onClick={onClose} data-testid="invite-done">
          {result ? t('invite.done') : tApp('common.cancel')}
        </Button>
      }
    >
      {!result ? (
        <form onSubmit={submit} className="flex flex-col gap-4" data-testid="invite-form">
          <p className="text-muted">{t('invite.intro')}</p>
          <fieldset className="flex flex-wrap gap-4">
            <legend className="mb-1 font-semibold">{t('invite.role')}</legend>
            {(['presenter', 'facilitator'] as const).map((r) => (
              <label key={r} className="flex items-center gap-2">
                <input
                  type="radio"
                  name="invite-role"
                  value={r}
                  checked={role === r}
                  onChange={() => setRole(r)}
                  className="h-5 w-5 accent-brand"
                />
                {t(r === 'presenter' ? 'invite.role.presenter' : 'invite.role.facilitator')}
              </label>
            ))}
          </fieldset>
          <TextField
            label={t('invite.email')}
            hint={t('invite.emailHint')}
            type="email"
            name="email"
            autoComplete="off"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
          <label className="flex flex-col gap-1">
            <span className="font-semibold">{t('invite.expires')}</span>
            <select className={inputClass} value={hours} onChange={(e) => setHours(Number(e.target.value))}>
              {[1, 24, 72, 168].map((h) => (
                <option key={h} value={h}>
                  {t('invite.hours', { n: h })}
                </option>
              ))}
            </select>
          </label>
          {error && <Alert>{error}</Alert>}
          <Button type="submit" disabled={busy} data-testid="invite-create">
            {busy ? tApp('common.saving') : t('invite.create')}
          </Button>
        </form>
      ) : (
        <div className="flex flex-col gap-3" data-testid="invite-result">
          <label htmlFor="invite-url" className="font-semibold">
            {t('invite.link')}
          </label>
          <div className="flex gap-2">
            <input
              id="invite-url"
              readOnly
              value={result.url}
              className={inputClass}
              onFocus={(e) => e.currentTarget.select()}
              data-testid="invite-url"
            />
            <Button onClick={() => void copy()} data-testid="invite-copy">
              {copied ? t('invite.copied') : t('invite.copy')}
            </Button>
          </div>
          <p className="text-sm text-muted">
            {t('invite.once', { date: new Date(result.invitation.expiresAt).toLocaleString() })}
          </p>
          {delivery?.method === 'smtp' && delivery.status === 'sent' && (
            <Alert kind="success">{t('invite.mailSent', { email: result.invitation.email ?? '' })}</Alert>
          )}
          {delivery?.method === 'outbox' && <Alert kind="info">{t('invite.outbox')}</Alert>}
          {delivery?.status === 'failed' && <Alert>{t('invite.mailFailed')}</Alert>}
          <div aria-live="polite" className="sr-only">
            {copied ? t('invite.copied') : ''}
          </div>
        </div>
      )}
    </Dialog>
  );
}
