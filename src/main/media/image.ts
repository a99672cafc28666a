// Loads one image as RGB24 at a given size. Alpha is always flattened onto a background (opaque
// images are unchanged by it), 16-bit and CMYK sources are converted by ffmpeg's decoders.
// Resampling is PIL-like bicubic; see PIL_LIKE_SCALE_FLAGS for how close that is.
import path from 'node:path';
import { StudioFailure } from '../../shared/result';
import { fitFilter, hexColor, type FitOptions, type Rgb } from './filters';
import type { FfmpegHandle } from './rawFrames';
import { streamTool } from './spawn';

export interface LoadImageOptions extends FitOptions {
  /** Background for transparent pixels (default white). */
  alphaBackground?: Rgb;
  signal?: AbortSignal;
}

export function buildLoadImageArgs(file: string, opts: LoadImageOptions): string[] {
  const { width, height } = opts;
  const bg = hexColor(opts.alphaBackground ?? [255, 255, 255]);
  const graph =
    `[0:v:0]format=rgba,${fitFilter(opts, true)}[fg];` +
    `color=c=${bg}:s=${width}x${height},format=rgb24[bg];` +
    `[bg][fg]overlay=format=rgb:shortest=1,format=rgb24[out]`;
  return [
    '-hide_banner', '-v', 'error', '-nostdin', '-i', file, '-filter_complex', graph,
    '-map', '[out]', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1',
  ];
}

/** RGB24 pixels, row-major, width·height·3 bytes. */
export async function loadImageRgb(ffmpeg: FfmpegHandle, file: string, opts: LoadImageOptions): Promise<Uint8Array> {
  const expected = opts.width * opts.height * 3;
  if (!(expected > 0)) throw new StudioFailure('invalid_request', `Image size ${opts.width}×${opts.height} is not valid.`);
  const proc = streamTool(ffmpeg.bin, buildLoadImageArgs(file, opts), { signal: opts.signal, what: `loading ${path.basename(file)}` });
  const out = new Uint8Array(expected);
  let filled = 0;
  for await (const chunk of proc.stdout as AsyncIterable<Buffer>) {
    const n = Math.min(chunk.length, expected - filled);
    out.set(chunk.subarray(0, n), filled);
    filled += n;
  }
  await proc.finished;
  if (filled !== expected) {
    throw new StudioFailure('corrupt_media', `${path.basename(file)} could not be decoded (got ${filled} of ${expected} bytes).`);
  }
  return out;
}
