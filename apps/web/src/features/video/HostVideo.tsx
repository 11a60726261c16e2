import { useState, type ReactNode } from 'react';
import type { Participant, Session } from '@rstream/protocol';
import { sessionsApi } from '../../api/endpoints';
import type { RealtimeClient } from '../../realtime/client';
import type { LevelMap } from '../../realtime/participant-levels';
import { FacilitatorVideo } from './FacilitatorVideo';
import type { VideoSettings } from './types';
import { useSessionVideo } from './useVideoSync';
import { VideoGraphPanel } from './VideoGraph';
import { VideoLibrary } from './VideoLibrary';
import { videosApi } from './video-api';

export const videoSettingsOf = (s: Pick<Session, 'settings'>): VideoSettings | undefined => s.settings.video;

/** The speaker screen's video (host or invited facilitator), with the library while none is set. */
export function HostVideo({
  session,
  client,
  participants,
  presenterToken,
  onSession,
}: {
  session: Session;
  client: RealtimeClient | null;
  participants: readonly Participant[];
  presenterToken?: string;
  onSession: (s: Session) => void;
}) {
  const settings = videoSettingsOf(session);
  const { video } = useSessionVideo(session.id, settings?.videoId, presenterToken);
  const [provider] = useState(() =>
    presenterToken ? { sessionId: session.id, bearer: presenterToken } : undefined,
  );
  const pick = (videoId: string) =>
    void videosApi
      .setForSession(session.id, videoId, presenterToken)
      .then(() => sessionsApi.get(session.id, presenterToken))
      .then(onSession, () => {});
  // The host picks from the library; an invited provider adds a link or a file for this session.
  const mayPick = session.status !== 'ended' && (!presenterToken || settings?.provider === 'someone_else');
  const picker = mayPick ? (
    <VideoLibrary selected={settings?.videoId ?? null} onPick={(v) => pick(v.id)} provider={provider} />
  ) : undefined;
  return (
    <FacilitatorVideo
      settings={settings}
      video={video}
      client={client}
      participants={participants}
      picker={picker}
      onDuration={
        // a URL's length is known only to browsers: tell the server once (owner only)
        !presenterToken && video && video.durationMs === null
          ? (ms) => void videosApi.update(video.id, { durationMs: ms }).catch(() => {})
          : undefined
      }
    />
  );
}

/** The graph section's body in a video session: video time (with cohorts) or session time. */
export function HostVideoGraph({
  session,
  client,
  levels,
  participants,
  presenterToken,
  children,
}: {
  session: Session;
  client: RealtimeClient | null;
  levels: () => LevelMap;
  participants: readonly Participant[];
  presenterToken?: string;
  children: ReactNode;
}) {
  const settings = videoSettingsOf(session);
  const { video } = useSessionVideo(session.id, settings?.videoId, presenterToken);
  return (
    <VideoGraphPanel
      sessionId={session.id}
      videoId={settings?.videoId}
      durationMs={video?.durationMs ?? null}
      client={client}
      levels={levels}
      participants={participants}
      bearer={presenterToken}
      sessionGraph={children}
      ended={session.status === 'ended'}
    />
  );
}
