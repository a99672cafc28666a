// Builds small test inputs (good and bad) in a temp folder with ffmpeg's lavfi sources and a little
// code. Samples from ../shared are referenced in place, never copied into the repo.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { flatCmykJpeg } from './cmykJpeg';

export const SAMPLES = path.resolve('../shared/data/magicanimate-samples');
export const RUNNING = path.join(SAMPLES, 'running.mp4');
export const DEMO4 = path.join(SAMPLES, 'demo4.mp4');
export const MONALISA = path.join(SAMPLES, 'monalisa.png');

export function tempDir(tag: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `ma-media-${tag}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Run ffmpeg quietly with one thread (the test machine has 2 shared cores). */
export function ffmpeg(...args: string[]): Buffer {
  return execFileSync('ffmpeg', ['-hide_banner', '-v', 'error', '-y', '-threads', '1', ...args], { maxBuffer: 256 << 20 });
}

const lavfi = (graph: string) => ['-f', 'lavfi', '-i', graph];

/** Each builder writes one file into `dir` and returns its path. */
export const build = {
  zeroByte: (dir: string) => write(dir, 'empty.mp4', Buffer.alloc(0)),
  textFile: (dir: string) => write(dir, 'notes.mp4', Buffer.from('this is a text file, not a video\n'.repeat(20))),
  /** running.mp4 keeps its index (moov) at the end: cutting it loses the index. */
  truncatedNoMoov: (dir: string) => write(dir, 'cut-moov.mp4', readFileSync(RUNNING).subarray(0, 30_000)),
  /** With the index first (faststart), a cut file has an index promising frames that are gone. */
  truncatedFaststart: (dir: string) => {
    const full = path.join(dir, 'faststart.mp4');
    ffmpeg('-i', RUNNING, '-c', 'copy', '-movflags', '+faststart', full);
    return write(dir, 'cut-faststart.mp4', readFileSync(full).subarray(0, 30_000));
  },
  /** A y4m stream header with no FRAME after it: a video track with zero frames. */
  zeroFrames: (dir: string) => write(dir, 'no-frames.y4m', Buffer.from('YUV4MPEG2 W64 H48 F25:1 Ip A1:1 C420jpeg\n')),
  audioOnly: (dir: string) => out(dir, 'tone.m4a', () => [...lavfi('sine=frequency=440:duration=1.5'), '-c:a', 'aac']),
  /** A colour video with a 1 s tone: the "normal video" for the DensePose check, and audio for peaks. */
  colourWithAudio: (dir: string) =>
    out(dir, 'testsrc.mp4', () => [
      ...lavfi('testsrc=size=160x120:rate=25:duration=2'),
      ...lavfi('sine=frequency=300:duration=1'),
      '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', '-t', '2',
    ]),
  tooWide: (dir: string) => out(dir, 'wide.png', () => [...lavfi('color=c=gray:s=9000x64'), '-frames:v', '1']),
  tooManyPixels: (dir: string) => out(dir, 'huge.png', () => [...lavfi('color=c=gray:s=8100x8000'), '-frames:v', '1']),
  png16: (dir: string) => out(dir, 'deep.png', () => [...lavfi('testsrc=size=64x48'), '-frames:v', '1', '-pix_fmt', 'rgb48be']),
  /** Left half opaque red, right half fully transparent (stored colour green). */
  pngAlpha: (dir: string) =>
    out(dir, 'alpha.png', () => [
      ...lavfi('color=c=red:s=32x16,format=rgba'), '-frames:v', '1',
      '-vf', "geq=r='if(lt(X,16),255,0)':g='if(lt(X,16),0,255)':b=0:a='if(lt(X,16),255,0)'", '-pix_fmt', 'rgba',
    ]),
  /** Left block red, right block blue, as CMYK ink. */
  cmykJpeg: (dir: string) => write(dir, 'print.jpg', flatCmykJpeg([[0, 255, 255, 0], [255, 255, 0, 0]], 2)),
  /** 20 frames whose timestamps jump after frame 10: variable frame rate (mkv has no nb_frames). */
  vfrClip: (dir: string) =>
    out(dir, 'vfr.mkv', () => [
      ...lavfi('testsrc=size=64x48:rate=25'), '-frames:v', '20',
      '-vf', "setpts='(N+if(gte(N\\,10)\\,N\\,0))/25/TB'", '-fps_mode', 'passthrough', '-c:v', 'libx264',
    ]),
  /** Odd dimensions (4:4:4 allows them) and a non-square pixel aspect. */
  oddSize: (dir: string) =>
    out(dir, 'odd.mp4', () => [...lavfi('testsrc=size=67x45:rate=25'), '-frames:v', '6', '-vf', 'setsar=2/1', '-c:v', 'libx264', '-pix_fmt', 'yuv444p']),
  webm: (dir: string) => out(dir, 'clip.webm', () => [...lavfi('testsrc=size=64x48:rate=10'), '-frames:v', '7', '-c:v', 'libvpx-vp9', '-deadline', 'realtime']),
};

function write(dir: string, name: string, bytes: Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

function out(dir: string, name: string, args: () => string[]): string {
  const file = path.join(dir, name);
  ffmpeg(...args(), file);
  return file;
}

/** Frame n of a clip as ffmpeg itself extracts it (select by decode index), as RGB24. */
export function ffmpegFrameRgb(file: string, n: number, width: number, height: number): Uint8Array {
  const buf = ffmpeg('-i', file, '-vf', `select=eq(n\\,${n})`, '-fps_mode', 'passthrough', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1');
  if (buf.length !== width * height * 3) throw new Error(`frame ${n} of ${file}: ${buf.length} bytes`);
  return new Uint8Array(buf);
}

/** Any image file decoded to RGB24 by ffmpeg. */
export function imageRgb(file: string): Uint8Array {
  return new Uint8Array(ffmpeg('-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'));
}

export function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error(`size mismatch ${a.length} vs ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

/** One line per test file so the log shows what was exercised. */
export function figureLine(area: string, tried: number, failures: number, extra = ''): void {
  console.log(`[media:${area}] inputs tried: ${tried}, failures: ${failures}${extra ? `, ${extra}` : ''}`);
}
