import { useState } from 'react';
import { navigate } from '../../app/router';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { useArchiveT } from './strings';

export interface ArchiveKeyState {
  asking: boolean;
  open: () => void;
  close: () => void;
}

/**
 * A (and the footer's Archive button) on the speaker screen: straight to /archive, except while
 * the session is live — leaving would drop the live graph (and any recording), so it asks first.
 */
export function useArchiveKey(live: boolean): ArchiveKeyState {
  const [asking, setAsking] = useState(false);
  return {
    asking,
    open: () => (live ? setAsking(true) : navigate('/archive')),
    close: () => setAsking(false),
  };
}

export function ArchiveOpenDialog({ state }: { state: ArchiveKeyState }) {
  const t = useArchiveT();
  return (
    <Dialog
      open={state.asking}
      onClose={state.close}
      title={t('arch.openTitle')}
      testId="archive-open-dialog"
      footer={
        <>
          <Button
            variant="secondary"
            onClick={() => {
              state.close();
              navigate('/archive');
            }}
            data-testid="archive-open-here"
          >
            {t('arch.openHere')}
          </Button>
          <Button
            autoFocus
            onClick={() => {
              state.close();
              window.open('/archive', '_blank', 'noopener');
            }}
            data-testid="archive-open-tab"
          >
            {t('arch.openTab')}
          </Button>
        </>
      }
    >
      <p>{t('arch.openBody')}</p>
    </Dialog>
  );
}
