import { useState } from 'react';
import { Button } from '../../ui/Button';
import { InviteDialog } from './InviteDialog';
import { useInviteT } from './strings';

/** On the host's screen: hand the stage to someone else at any time. */
export function InviteButton({ sessionId }: { sessionId: string }) {
  const t = useInviteT();
  const [open, setOpen] = useState(false);
  // a new dialog (fresh form) each time it opens
  const [round, setRound] = useState(0);
  return (
    <>
      <Button
        variant="secondary"
        onClick={() => {
          setRound((r) => r + 1);
          setOpen(true);
        }}
        data-testid="invite-open"
      >
        {t('invite.open')}
      </Button>
      <InviteDialog key={round} sessionId={sessionId} open={open} onClose={() => setOpen(false)} />
    </>
  );
}
