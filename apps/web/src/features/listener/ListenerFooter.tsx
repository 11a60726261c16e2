import { useI18n } from '../../app/i18n';
import type { RealtimeSnapshot } from '../../realtime/types';
import { Button } from '../../ui/Button';
import { ConnectionStatus } from '../../ui/ConnectionStatus';
import { HelpDialog } from '../../ui/HelpDialog';
import { EraseMe } from './EraseMe';

interface Props {
  sessionId: string;
  participantToken: string;
  connection: RealtimeSnapshot;
  momentary: boolean;
  helpOpen: boolean;
  setHelpOpen: (open: boolean) => void;
  onErased: () => void;
}

/** The listener's footer: connection status, "remove me", help (and its dialog). */
export function ListenerFooter({
  sessionId,
  participantToken,
  connection,
  momentary,
  helpOpen,
  setHelpOpen,
  onErased,
}: Props) {
  const { t } = useI18n();
  return (
    <>
      <footer className="sticky bottom-0 border-t border-line bg-white/95 px-3 py-2 backdrop-blur sm:px-6">
        <div className="mx-auto flex max-w-3xl items-center justify-between gap-2">
          <ConnectionStatus snapshot={connection} />
          <div className="flex items-center gap-1">
            <EraseMe sessionId={sessionId} participantToken={participantToken} onErased={onErased} />
            <Button variant="ghost" size="sm" onClick={() => setHelpOpen(true)} data-testid="open-help">
              ? {t('speaker.help')}
            </Button>
          </div>
        </div>
      </footer>
      <HelpDialog
        open={helpOpen}
        onClose={() => setHelpOpen(false)}
        note={momentary ? t('help.momentary') : undefined}
        shortcuts={[
          { keys: ['←'], label: t('help.left') },
          { keys: ['→'], label: t('help.right') },
          { keys: ['1', '…', '5'], label: t('help.digits') },
          { keys: ['Q'], label: t('help.q') },
          { keys: ['F1'], label: t('help.f1') },
          { keys: ['F11'], label: t('help.f11') },
          { keys: ['Esc'], label: t('help.esc') },
        ]}
      />
    </>
  );
}
