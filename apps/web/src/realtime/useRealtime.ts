import { useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import type { ServerMessage } from '@rstream/protocol';
import { RealtimeClient } from './client';
import type { RealtimeSnapshot, TokenSource } from './types';

const IDLE: RealtimeSnapshot = {
  state: 'closed',
  latencyMs: null,
  fatalCode: null,
  ended: false,
  pendingLevel: null,
  protocolMismatch: null,
};
const noop = () => () => {};

export interface UseRealtimeOptions {
  onMessage?: (msg: ServerMessage) => void;
  retryAuthOnce?: boolean;
}

/**
 * One RealtimeClient for the page while sessionId and token are set. `onMessage` may change on
 * every render without reconnecting. Keep a function token stable (module-level or useCallback).
 */
export function useRealtime(
  sessionId: string | null,
  token: TokenSource | null,
  options: UseRealtimeOptions = {},
): { client: RealtimeClient | null; snapshot: RealtimeSnapshot } {
  const onMessageRef = useRef(options.onMessage);
  useEffect(() => {
    onMessageRef.current = options.onMessage;
  });
  const retryAuthOnce = options.retryAuthOnce ?? false;

  const client = useMemo(
    () => (sessionId && token ? new RealtimeClient({ sessionId, token, retryAuthOnce }) : null),
    [sessionId, token, retryAuthOnce],
  );

  useEffect(() => {
    if (!client) return;
    const off = client.onMessage((msg) => onMessageRef.current?.(msg));
    client.connect();
    return () => {
      off();
      client.close();
    };
  }, [client]);

  const snapshot = useSyncExternalStore(
    client ? client.subscribe : noop,
    client ? client.getSnapshot : () => IDLE,
    () => IDLE,
  );
  return { client, snapshot };
}
