/**
 * The video mode's wire shapes (packages/protocol/src/videos.ts; docs/api.md "Video-watching
 * mode"), as types only: the listener's bundle carries no zod.
 */
import type {
  CohortsResponse,
  Cohort,
  Video,
  VideoDip,
  VideoSettings,
  VideoStateMessage,
  VideoViewerEntry,
  VideoViewersMessage,
  ViewerState,
} from '@rstream/protocol';

export type {
  Cohort,
  CohortsResponse,
  Video,
  VideoSettings,
  VideoStateMessage,
  VideoViewersMessage,
  ViewerState,
};
export type Dip = VideoDip;
export type VideoViewer = VideoViewerEntry;

export const isVideoState = (m: { type: string }): m is VideoStateMessage => m.type === 'video:state';
export const isVideoViewers = (m: { type: string }): m is VideoViewersMessage => m.type === 'video:viewers';
