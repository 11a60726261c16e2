import { useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/errors';
import { useI18n } from '../../app/i18n';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { inputClass } from '../../ui/form';
import { securityAuditApi } from './security-audit-api';
import type { SAT } from './security-audit-strings';

const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);

/** Accept one finding's risk: a reason and an expiry (recorded in the security trail). */
export function AcceptRiskForm({ findingId, t, onDone }: { findingId: string; t: SAT; onDone: () => void }) {
  const { t: tApp } = useI18n();
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState(inDays(30));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await securityAuditApi.accept({
        findingId,
        reason: reason.trim(),
        expiresAt: new Date(`${until}T23:59:59Z`).toISOString(),
      });
      onDone();
    } catch (err) {
      setError(errorMessage(err, tApp));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      onSubmit={(e) => void submit(e)}
      className="mt-2 space-y-2 rounded bg-slate-50 p-3"
      aria-label={t('sa.acceptTitle', { id: findingId })}
    >
      <p className="font-semibold">{t('sa.acceptTitle', { id: findingId })}</p>
      {error && <Alert>{error}</Alert>}
      <label className="block text-sm">
        {t('sa.reason')}
        <textarea
          className={`${inputClass} mt-1`}
          value={reason}
          minLength={10}
          maxLength={1000}
          required
          onChange={(e) => setReason(e.target.value)}
        />
      </label>
      <label className="block text-sm">
        {t('sa.expires')}
        <input
          type="date"
          className={`${inputClass} mt-1 max-w-xs`}
          value={until}
          min={inDays(1)}
          max={inDays(365)}
          required
          onChange={(e) => setUntil(e.target.value)}
        />
      </label>
      <div className="flex gap-2">
        <Button type="submit" size="sm" disabled={busy || reason.trim().length < 10}>
          {t('sa.save')}
        </Button>
        <Button variant="ghost" size="sm" onClick={onDone}>
          {t('sa.cancel')}
        </Button>
      </div>
    </form>
  );
}
