import { useState } from 'react';
import { participantApi } from '../../api/endpoints';
import { errorMessage } from '../../api/errors';
import { useI18n } from '../../app/i18n';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { useListenerT } from './strings';

/**
 * "Remove me from this session": a confirm dialog, then `DELETE /api/sessions/:id/participants/me`
 * (name, signals, questions and votes go; the server closes this screen's socket with 4410).
 */
export function EraseMe({
  sessionId,
  participantToken,
  onErased,
}: {
  sessionId: string;
  participantToken: string;
  onErased: () => void;
}) {
  const { t } = useI18n();
  const lt = useListenerT();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const erase = async () => {
    setBusy(true);
    setError(null);
    try {
      await participantApi.eraseMe(sessionId, participantToken);
      setOpen(false);
      onErased();
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button variant="ghost" size="sm" onClick={() => setOpen(true)} data-testid="erase-me">
        {lt('listener.erase.open')}
      </Button>
      <Dialog
        open={open}
        title={lt('listener.erase.title')}
        onClose={() => !busy && setOpen(false)}
        testId="erase-me-dialog"
        footer={
          <>
            <Button variant="secondary" onClick={() => setOpen(false)} disabled={busy}>
              {lt('listener.erase.cancel')}
            </Button>
            <Button
              variant="danger"
              onClick={() => void erase()}
              disabled={busy}
              data-testid="erase-me-confirm"
            >
              {busy ? lt('listener.erase.working') : lt('listener.erase.confirm')}
            </Button>
          </>
        }
      >
        <p>{lt('listener.erase.body')}</p>
        {error && (
          <div className="mt-3">
            <Alert>{error}</Alert>
          </div>
        )}
      </Dialog>
    </>
  );
}
