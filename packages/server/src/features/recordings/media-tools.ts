import { spawn } from 'node:child_process';

/** ffmpeg/ffprobe when present (Debian's ffmpeg); a bare `npm start` may have neither. */
export interface MediaTools {
  available: boolean;
  /** Duration in ms, or null when ffprobe cannot read one. */
  probeDurationMs(file: string): Promise<number | null>;
  /** `-c copy` remux; MP4 gets its index up front (`+faststart`), WebM gets Cues and a duration. */
  remux(input: string, output: string, mediaType: 'video/mp4' | 'video/webm'): Promise<void>;
  /** One JPEG with `count` thumbnails side by side, one every `intervalMs` of media time. */
  thumbnailStrip(input: string, output: string, intervalMs: number, count: number): Promise<void>;
}

function run(cmd: string, args: string[], timeoutMs = 10 * 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => (clearTimeout(timer), reject(e)));
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} exited with ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}

export async function detectMediaTools(opts: {
  mode: 'auto' | 'off';
  ffmpeg: string;
  ffprobe: string;
}): Promise<MediaTools> {
  let available = false;
  if (opts.mode === 'auto') {
    try {
      await run(opts.ffprobe, ['-version'], 10_000);
      await run(opts.ffmpeg, ['-version'], 10_000);
      available = true;
    } catch {
      available = false;
    }
  }
  return {
    available,
    async probeDurationMs(file) {
      if (!available) return null;
      // the container's duration, else the last packet's time (fragmented files without one)
      const out = await run(opts.ffprobe, [
        '-v',
        'error',
        '-show_entries',
        'format=duration',
        '-of',
        'default=noprint_wrappers=1:nokey=1',
        file,
      ]);
      const sec = Number.parseFloat(out.trim());
      return Number.isFinite(sec) && sec > 0 ? Math.round(sec * 1000) : null;
    },
    async remux(input, output, mediaType) {
      const args = ['-hide_banner', '-loglevel', 'error', '-y', '-i', input, '-map', '0', '-c', 'copy'];
      if (mediaType === 'video/mp4') args.push('-movflags', '+faststart', '-f', 'mp4');
      else args.push('-f', 'webm');
      await run(opts.ffmpeg, [...args, output]);
    },
    async thumbnailStrip(input, output, intervalMs, count) {
      const fps = `fps=1000/${intervalMs}`;
      await run(opts.ffmpeg, [
        '-hide_banner',
        '-loglevel',
        'error',
        '-y',
        // keyframes only (MediaRecorder writes one a second): 7× faster than decoding every frame
        '-skip_frame',
        'nokey',
        '-i',
        input,
        '-an',
        '-vf',
        `${fps},scale=160:-2,tile=${count}x1`,
        '-frames:v',
        '1',
        '-f',
        'image2',
        output,
      ]);
    },
  };
}
