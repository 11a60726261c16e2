import { useEffect, useState, useSyncExternalStore } from 'react';
import { api } from '../../api/client';
import type { RealtimeClient } from '../../realtime/client';
import { RecorderController } from './recorder-controller';
import type { RecorderSnapshot } from './recorder-state';

/**
 * One recorder per speaker screen: resumes what a reloaded tab left in the spool, follows the
 * server's `recording:status` messages, and warns before the tab closes with bytes not yet saved.
 */
export function useRecorder(
  sessionId: string,
  presenterToken: string | undefined,
  client: RealtimeClient | null,
): { controller: RecorderController; snapshot: RecorderSnapshot } {
  const [controller] = useState(
    () =>
      new RecorderController({
        sessionId,
        bearer: presenterToken,
        uploadToken: presenterToken ? async () => presenterToken : (force) => api.freshAccessToken(force),
      }),
  );
  useEffect(() => {
    void controller.init();
    return () => controller.dispose();
  }, [controller]);

  useEffect(() => {
    if (!client) return;
    return client.onMessage((msg) => {
      if (msg.type === 'recording:status') controller.onServerRecording(msg.recording);
      // After a reconnect the list may have moved on while we were away.
      if (msg.type === 'welcome') void controller.refreshServerList();
    });
  }, [client, controller]);

  const snapshot = useSyncExternalStore(controller.subscribe, controller.getSnapshot);

  const unsaved =
    snapshot.phase !== 'idle' || snapshot.uploads.some((u) => u.phase !== 'complete' && u.phase !== 'failed');
  useEffect(() => {
    if (!unsaved) return;
    const warn = (e: BeforeUnloadEvent) => {
      // The spool keeps the bytes and the next visit resumes, but recording itself stops.
      e.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [unsaved]);

  return { controller, snapshot };
}
