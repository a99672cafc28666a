// Encodes RGB24 frames made in memory to an H.264 MP4 by piping them to ffmpeg's stdin. Writing
// waits for 'drain', so at most one frame plus the pipe buffer is in flight. The output is written
// as given; callers write into a folder that is renamed into place when complete.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { StudioFailure } from '../../shared/result';
import { failureFromFfmpeg } from '../media/errors';
import { hardenInputs } from '../media/inputPolicy';

export interface RawClipSpec {
  width: number;
  height: number;
  fps: number;
  outPath: string;
}

/** Pure: the ffmpeg arguments reading raw RGB24 frames from stdin. */
export function buildRawClipArgs(spec: RawClipSpec): string[] {
  return [
    '-hide_banner', '-v', 'error', '-nostdin', '-y',
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${spec.width}x${spec.height}`, '-framerate', String(spec.fps), '-i', 'pipe:0',
    // NOTE: flat colours: crf 16 keeps the part colours within a few levels after yuv420p.
    '-c:v', 'libx264', '-preset', 'medium', '-crf', '16', '-pix_fmt', 'yuv420p', '-threads', '2', '-movflags', '+faststart',
    spec.outPath,
  ];
}

export async function encodeRawClip(ffmpegBin: string, spec: RawClipSpec, frames: Iterable<Uint8Array>, signal?: AbortSignal): Promise<void> {
  const child = spawn(ffmpegBin, hardenInputs(buildRawClipArgs(spec)), { stdio: ['pipe', 'ignore', 'pipe'], windowsHide: true });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', (err) => reject(new StudioFailure('not_available', `Could not start ${ffmpegBin}: ${err.message}`)));
    child.on('close', (code, sig) => resolve({ code, signal: sig }));
  });
  const kill = () => child.kill('SIGKILL');
  signal?.addEventListener('abort', kill, { once: true });
  // EPIPE when ffmpeg fails early: the exit status below says why.
  child.stdin.on('error', () => undefined);
  try {
    const frameBytes = spec.width * spec.height * 3;
    for (const frame of frames) {
      if (signal?.aborted || child.exitCode !== null) break;
      if (frame.length !== frameBytes) throw new StudioFailure('internal', `A demo frame has ${frame.length} bytes, expected ${frameBytes}.`);
      // A failed write (EPIPE) ends the wait too; ffmpeg's exit status then says what went wrong.
      if (!child.stdin.write(frame)) await Promise.race([once(child.stdin, 'drain').catch(() => undefined), closed]);
    }
    child.stdin.end();
    const exit = await closed;
    if (signal?.aborted) throw new StudioFailure('cancelled', 'Cancelled while encoding the demo clip.');
    if (exit.code !== 0) throw failureFromFfmpeg({ what: 'encoding the demo clip', code: exit.code, signal: exit.signal, stderr });
  } finally {
    signal?.removeEventListener('abort', kill);
    if (child.exitCode === null && child.signalCode === null) kill();
  }
}
