/** Screen + microphone capture and the MediaRecorder format choice. */

export interface RecorderFormat {
  /** What MediaRecorder is given, e.g. `video/mp4;codecs=avc1,opus`. */
  mimeType: string;
  /** The container the server is told about. */
  mediaType: 'video/mp4' | 'video/webm';
}

/**
 * Fragmented MP4 first: with a keyframe every second each ~1 s chunk closes a fragment, so a
 * file cut after any chunk still plays and seeks. WebM (no cues, duration Infinity) is the
 * fallback the server remuxes where it can.
 */
export const FORMAT_PREFERENCE: readonly RecorderFormat[] = [
  { mimeType: 'video/mp4;codecs=avc1,opus', mediaType: 'video/mp4' },
  { mimeType: 'video/webm;codecs=vp9,opus', mediaType: 'video/webm' },
  { mimeType: 'video/webm;codecs=vp8,opus', mediaType: 'video/webm' },
  { mimeType: 'video/webm', mediaType: 'video/webm' },
];

export function pickRecorderFormat(
  isSupported: (mime: string) => boolean = (m) =>
    typeof MediaRecorder !== 'undefined' && MediaRecorder.isTypeSupported(m),
): RecorderFormat | null {
  return FORMAT_PREFERENCE.find((f) => isSupported(f.mimeType)) ?? null;
}

export const TIMESLICE_MS = 1000;
export const KEYFRAME_INTERVAL_MS = 1000;
const VIDEO_BITS_PER_SECOND = 2_500_000;
const AUDIO_BITS_PER_SECOND = 128_000;

/** MediaRecorderOptions plus Chromium's keyframe interval (not in the DOM typings yet). */
export type RecorderOptions = MediaRecorderOptions & { videoKeyFrameIntervalDuration?: number };

export function recorderOptions(format: RecorderFormat): RecorderOptions {
  return {
    mimeType: format.mimeType,
    videoBitsPerSecond: VIDEO_BITS_PER_SECOND,
    audioBitsPerSecond: AUDIO_BITS_PER_SECOND,
    videoKeyFrameIntervalDuration: KEYFRAME_INTERVAL_MS,
  };
}

export type CaptureErrorKind = 'permission' | 'noScreen' | 'unsupported';

export class CaptureError extends Error {
  constructor(
    readonly kind: CaptureErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'CaptureError';
  }
}

export interface Capture {
  /** One video track (the screen) and at most one audio track (screen audio + microphone mixed). */
  stream: MediaStream;
  hasMicrophone: boolean;
  hasScreenAudio: boolean;
  /** Fires once when the person stops sharing from the browser's own UI. */
  onScreenEnded(fn: () => void): void;
  /** Stops every track and closes the audio graph. */
  close(): void;
}

function classify(err: unknown): CaptureError {
  const name = err instanceof DOMException ? err.name : '';
  const message = err instanceof Error ? err.message : String(err);
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    // Chromium reports "the person closed the picker" as NotAllowedError with this message.
    return new CaptureError(/dismiss|cancel/i.test(message) ? 'noScreen' : 'permission', message);
  }
  if (name === 'NotFoundError' || name === 'AbortError' || name === 'InvalidStateError')
    return new CaptureError('noScreen', message);
  return new CaptureError('unsupported', message);
}

/**
 * Asks for the screen (call this straight from the click or key press: the browser wants a user
 * gesture) and then the microphone, and mixes both audio tracks into one — MediaRecorder records
 * only the first audio track of a stream. A denied microphone still records the screen.
 */
export async function captureScreenAndMic(): Promise<Capture> {
  const md = typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined;
  if (!md?.getDisplayMedia || typeof MediaRecorder === 'undefined')
    throw new CaptureError('unsupported', 'getDisplayMedia or MediaRecorder missing');
  let display: MediaStream;
  try {
    display = await md.getDisplayMedia({
      // 1080p is plenty for slides and keeps a 4K screen's file at a quarter of the size.
      video: { frameRate: { ideal: 30, max: 30 }, width: { ideal: 1920 }, height: { ideal: 1080 } },
      audio: true,
    });
  } catch (err) {
    throw classify(err);
  }
  let mic: MediaStream | null = null;
  try {
    mic = await md.getUserMedia({
      audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
      video: false,
    });
  } catch {
    mic = null;
  }
  const video = display.getVideoTracks()[0];
  if (!video) {
    display.getTracks().forEach((t) => t.stop());
    mic?.getTracks().forEach((t) => t.stop());
    throw new CaptureError('noScreen', 'no video track');
  }
  const screenAudio = display.getAudioTracks();
  const micAudio = mic?.getAudioTracks() ?? [];
  const tracks: MediaStreamTrack[] = [video];
  let audioContext: AudioContext | null = null;
  if (screenAudio.length + micAudio.length > 0) {
    audioContext = new AudioContext();
    // Started from a user gesture; resume() in case the autoplay policy created it suspended.
    void audioContext.resume().catch(() => {});
    const destination = audioContext.createMediaStreamDestination();
    for (const track of [...screenAudio, ...micAudio]) {
      audioContext.createMediaStreamSource(new MediaStream([track])).connect(destination);
    }
    const mixed = destination.stream.getAudioTracks()[0];
    if (mixed) tracks.push(mixed);
  }
  const stream = new MediaStream(tracks);
  return {
    stream,
    hasMicrophone: micAudio.length > 0,
    hasScreenAudio: screenAudio.length > 0,
    onScreenEnded(fn) {
      video.addEventListener('ended', fn, { once: true });
    },
    close() {
      for (const t of [...display.getTracks(), ...(mic?.getTracks() ?? []), ...stream.getTracks()]) t.stop();
      void audioContext?.close().catch(() => {});
    },
  };
}
