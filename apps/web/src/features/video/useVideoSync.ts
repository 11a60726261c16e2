import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { RealtimeClient } from '../../realtime/client';
import { attachSource } from './media-source';
import type { Video } from './types';
import { videosApi } from './video-api';
import { VideoSync, type VideoSyncSnapshot } from './video-sync';

const IDLE: VideoSyncSnapshot = {
  group: null,
  viewerState: 'loading',
  driftMs: null,
  lastAction: 'wait',
  positionMs: 0,
  durationMs: null,
  error: false,
};
const noop = () => () => {};

/**
 * The sync controller for this page's video element: `ref` goes on the `<video>`; the source
 * (`mediaUrl`, hls.js for .m3u8) is attached when both are there.
 */
export function useVideoSync(client: RealtimeClient | null, mediaUrl: string | null, reports: boolean) {
  const [sync, setSync] = useState<VideoSync | null>(null);
  const [el, setEl] = useState<HTMLVideoElement | null>(null);
  useEffect(() => {
    if (!client) return;
    const s = new VideoSync(client, reports);
    s.start();
    setSync(s);
    return () => {
      s.stop();
      setSync(null);
    };
  }, [client, reports]);
  useEffect(() => {
    if (!sync || !el || !mediaUrl) return;
    let detach: (() => void) | null = null;
    let cancelled = false;
    void attachSource(el, mediaUrl).then((d) => {
      if (cancelled) return d();
      detach = d;
      sync.attach(el);
    });
    return () => {
      cancelled = true;
      sync.attach(null);
      detach?.();
    };
  }, [sync, el, mediaUrl]);
  const snapshot = useSyncExternalStore(sync ? sync.subscribe : noop, sync ? sync.getSnapshot : () => IDLE);
  const ref = useCallback((v: HTMLVideoElement | null) => setEl(v), []);
  return { sync, snapshot, ref, element: el };
}

/**
 * The session's video (metadata and a playable, signed URL), from `GET /sessions/:id/video`;
 * fetched again while it is not ready and when `videoId` changes.
 */
export function useSessionVideo(sessionId: string, videoId: string | null | undefined, bearer?: string) {
  const [video, setVideo] = useState<Video | null>(null);
  const tries = useRef(0);
  useEffect(() => {
    if (!videoId) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const load = () =>
      videosApi.ofSession(sessionId, bearer).then(
        (r) => {
          if (cancelled) return;
          setVideo(r.video);
          tries.current = 0;
          const v = r.video;
          // (A signed URL is fetched once: swapping it mid-showing would interrupt playback.)
          if (v && v.status !== 'ready' && v.status !== 'failed') timer = setTimeout(load, 3000);
        },
        () => {
          if (cancelled) return;
          if (tries.current++ < 5) timer = setTimeout(load, 3000);
        },
      );
    void load();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [sessionId, videoId, bearer]);
  return { video: videoId && video?.id === videoId ? video : null };
}
