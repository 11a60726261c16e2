import { useEffect, useRef } from 'react';
import type { SessionStatus } from '@rstream/protocol';
import type { RealtimeClient } from '../../realtime/client';
import type { ListenerStore } from './listener-store';
import type { MeterState } from './meter-reducer';

/**
 * The meter's level goes to the server: what the user changed (restores are not echoed back),
 * and, when the speaker starts, the level already shown. The client keeps a press made before
 * the socket is open (or during an outage) and sends it once welcomed — never lost.
 */
export function useLevelSync(
  meter: MeterState,
  client: RealtimeClient | null,
  status: SessionStatus,
  store: ListenerStore,
): void {
  const sentSeq = useRef(meter.userSeq);
  useEffect(() => {
    if (meter.userSeq === sentSeq.current || !client || meter.level === null) return;
    sentSeq.current = meter.userSeq;
    client.setLevel(meter.level);
  }, [meter.userSeq, meter.level, client]);

  // My own line on the graph follows my level, whatever moved it.
  useEffect(() => {
    store.recordMyLevel(meter.level);
  }, [meter.level, store, status]);

  // When the speaker starts, the level already shown (e.g. the momentary neutral 3) counts.
  const wasLive = useRef(status === 'live');
  useEffect(() => {
    const live = status === 'live';
    if (live && !wasLive.current && meter.level !== null) client?.setLevel(meter.level);
    wasLive.current = live;
  }, [status, meter.level, client]);
}
