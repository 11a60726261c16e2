import type { Material, ServerMessage } from '@rstream/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RealtimeClient } from '../../realtime/client';
import { materialsApi } from './materials-api';

/** The list after one pushed change (`material:updated` / `material:removed`); others leave it. */
export function applyMaterialMessage(list: readonly Material[], msg: ServerMessage): readonly Material[] {
  if (msg.type === 'material:removed') return list.filter((m) => m.id !== msg.materialId);
  if (msg.type !== 'material:updated') return list;
  const i = list.findIndex((m) => m.id === msg.material.id);
  if (i < 0) return [...list, msg.material];
  return list.map((m, j) => (j === i ? msg.material : m));
}

/**
 * The session's file materials for this screen: listed once the socket is in (and again after
 * every reconnect, which may have missed changes), then kept up to date by the server's pushes.
 * `reload` lists again (after an upload or a deletion this screen made).
 */
export function useMaterials(
  sessionId: string | undefined,
  bearer: string | undefined,
  client: RealtimeClient | null,
) {
  const [files, setFiles] = useState<readonly Material[]>([]);
  // pushes that arrive while a listing is on its way are applied again on top of its answer
  const inFlight = useRef<ServerMessage[] | null>(null);
  const reload = useCallback(async () => {
    if (!sessionId) return;
    const during: ServerMessage[] = [];
    inFlight.current = during;
    try {
      const listed = (await materialsApi.list(sessionId, bearer)).materials;
      if (inFlight.current === during) setFiles(during.reduce(applyMaterialMessage, listed));
    } catch {
      // keep what is shown; the next welcome lists again
    } finally {
      if (inFlight.current === during) inFlight.current = null;
    }
  }, [sessionId, bearer]);
  useEffect(() => {
    void reload();
    if (!client) return;
    return client.onMessage((msg) => {
      if (msg.type === 'welcome') return void reload();
      if (msg.type !== 'material:updated' && msg.type !== 'material:removed') return;
      inFlight.current?.push(msg);
      setFiles((list) => applyMaterialMessage(list, msg));
    });
  }, [reload, client]);
  return { files, reload };
}
