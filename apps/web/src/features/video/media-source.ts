/** HLS playlists need hls.js (except where the browser plays them itself, Safari); others play as they are. */
export const isHls = (url: string) => /\.m3u8(\?|#|$)/i.test(url);

/**
 * Gives `video` its source. hls.js is loaded only here, only for an `.m3u8` the browser cannot
 * play natively — never on the listener's first load. Returns a detach function.
 */
export async function attachSource(video: HTMLVideoElement, url: string): Promise<() => void> {
  if (!isHls(url) || video.canPlayType('application/vnd.apple.mpegurl')) {
    video.src = url;
    return () => {
      video.removeAttribute('src');
      video.load();
    };
  }
  const { default: Hls } = await import('hls.js');
  if (!Hls.isSupported()) {
    video.src = url; // let the element report its own error
    return () => video.removeAttribute('src');
  }
  const hls = new Hls({ enableWorker: true, lowLatencyMode: false });
  hls.loadSource(url);
  hls.attachMedia(video);
  return () => hls.destroy();
}
