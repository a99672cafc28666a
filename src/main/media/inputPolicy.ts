// What ffmpeg and ffprobe may read. ffmpeg picks a demuxer by content, not by name, so a text
// file named clip.mp4 that starts with "ffconcat version 1.0" is read as a concat *script* and
// pulls in whatever files it lists (a sibling private.mp4, say); an HLS playlist would fetch URLs.
// Every input therefore gets a demuxer whitelist of real media containers and a protocol
// whitelist of `file` (or `pipe` for stdin). `hardenInputs` is pure and spawn.ts applies it to
// every run, so no argument builder can forget it.

/**
 * Demuxers for the media a person imports or the app writes: video containers, still images
 * (single files and PNG sequences), audio. Deliberately absent: concat, hls, dash, lavfi, sdp,
 * rtp/rtsp, tty (text), subtitles and every other format that reads further files or URLs.
 */
export const MEDIA_DEMUXERS: readonly string[] = Object.freeze([
  'mov', 'matroska', 'webm', 'avi', 'mpeg', 'mpegts', 'flv', 'asf', 'ogg', 'yuv4mpegpipe', 'gif', 'apng',
  'image2', 'png_pipe', 'jpeg_pipe', 'webp_pipe', 'bmp_pipe', 'tiff_pipe',
  'wav', 'mp3', 'flac', 'aac', 'aiff', 'w64',
]);

/** Only the app's own in-memory frames come through stdin. */
const PIPE_DEMUXERS: readonly string[] = Object.freeze(['rawvideo']);

function isPipe(input: string): boolean {
  return input === '-' || input.startsWith('pipe:');
}

/**
 * Puts `-protocol_whitelist` and `-format_whitelist` in front of every `-i` (both are per-input
 * options in ffmpeg; ffprobe reads them globally, which is the same thing for its one input).
 */
export function hardenInputs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-i' && i + 1 < args.length) {
      const pipe = isPipe(args[i + 1]);
      out.push('-protocol_whitelist', pipe ? 'pipe' : 'file');
      out.push('-format_whitelist', (pipe ? PIPE_DEMUXERS : MEDIA_DEMUXERS).join(','));
    }
    out.push(args[i]);
  }
  return out;
}

/** From ffmpeg's "[concat @ 0x…] Format not on whitelist '…'": the demuxer that was refused. */
export function refusedDemuxer(stderr: string): string | null {
  const m = /\[([\w,]+) @ [^\]]*\] Format not on whitelist/.exec(stderr);
  return m ? m[1] : null;
}
