import { useState } from 'react';
import type { Session, SessionSettings } from '@rstream/protocol';
import { sessionsApi } from '../../api/endpoints';
import { errorMessage } from '../../api/errors';
import { useI18n } from '../../app/i18n';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { TextField } from '../../ui/form';
import { SettingsFields } from '../create/SettingsFields';
import { useCreateFormT } from '../create/strings';

interface Props {
  session: Session;
  open: boolean;
  onClose: () => void;
  onSaved: (session: Session) => void;
}

export function SettingsDialog(props: Props) {
  // Mounting the form only while open resets it to the session's current values each time.
  return props.open ? <SettingsForm {...props} /> : null;
}

function SettingsForm({ session, open, onClose, onSaved }: Props) {
  const { t } = useI18n();
  const ft = useCreateFormT();
  const [title, setTitle] = useState(session.title);
  const [settings, setSettings] = useState<SessionSettings>(session.settings);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const updated = await sessionsApi.update(session.id, {
        title: title.trim() || session.title,
        settings,
      });
      onSaved(updated);
      onClose();
    } catch (err) {
      setError(errorMessage(err, t));
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={t('speaker.settings')}
      testId="settings-dialog"
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={() => void save()} disabled={busy} data-testid="settings-save">
            {busy ? t('common.saving') : t('common.save')}
          </Button>
        </>
      }
    >
      <div className="flex flex-col gap-4">
        <TextField
          label={ft('settings.title')}
          value={title}
          maxLength={200}
          onChange={(e) => setTitle(e.target.value)}
        />
        <SettingsFields value={settings} onChange={setSettings} disabled={busy} />
        {error && <Alert>{error}</Alert>}
      </div>
    </Dialog>
  );
}
