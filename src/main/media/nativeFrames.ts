// Streams the frames of a clip at their own size as RGB24, for resizing in TypeScript with Pillow's
// filter (src/main/images). ffmpeg converts with its default `-pix_fmt rgb24` conversion, the same
// decode the official fixtures were made with, and writes a stream of binary PPMs (P6): each frame
// carries its own size, so no probe is needed and a mid-stream size change is handled frame by frame.
import path from 'node:path';
import { StudioFailure } from '../../shared/result';
import type { RgbImage } from '../images/decode';
import { passthroughArgs } from './filters';
import { MAX_PIXELS } from './probe';
import { sequenceInputArgs, type FfmpegHandle } from './rawFrames';
import { streamTool } from './spawn';

export interface NativeFrameOptions {
  /** Skip this many decoded frames first (default 0). */
  start?: number;
  /** Stop after this many frames (default: to the end). */
  count?: number;
  signal?: AbortSignal;
}

export function buildNativeFrameArgs(inputArgs: string[], version: FfmpegHandle['version']): string[] {
  return [
    '-hide_banner', '-v', 'error', '-nostdin', ...inputArgs,
    '-map', '0:v:0', ...passthroughArgs(version),
    '-f', 'image2pipe', '-c:v', 'ppm', '-pix_fmt', 'rgb24', 'pipe:1',
  ];
}

/** "P6 <w> <h> 255" followed by one whitespace byte; null while the header is incomplete. */
function parsePpmHeader(bytes: Uint8Array): { width: number; height: number; length: number } | null {
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.length, 64)));
  const m = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(text);
  if (!m) {
    if (bytes.length >= 64 || (bytes.length >= 2 && !text.startsWith('P6'))) {
      throw new StudioFailure('corrupt_media', 'ffmpeg wrote an unexpected frame header (expected a binary PPM).');
    }
    return null;
  }
  const [width, height, maxval] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (maxval !== 255) throw new StudioFailure('corrupt_media', `ffmpeg wrote ${maxval + 1}-level frames, expected 8-bit.`);
  if (!(width > 0 && height > 0) || width * height > MAX_PIXELS) {
    throw new StudioFailure('invalid_request', `A frame of ${width}×${height} pixels is beyond the ${MAX_PIXELS / 1e6} million pixel limit; scale the clip down.`);
  }
  return { width, height, length: m[0].length };
}

/** Cuts a stream of binary PPMs into frames (pure; exported for tests). */
export async function* slicePpmFrames(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<RgbImage> {
  let head = new Uint8Array(0); // bytes of a header not yet complete
  let frame: RgbImage | null = null;
  let filled = 0;
  for await (const chunk of chunks) {
    let offset = 0;
    while (offset < chunk.length) {
      if (!frame) {
        const joined = new Uint8Array(head.length + Math.min(chunk.length - offset, 64));
        joined.set(head);
        joined.set(chunk.subarray(offset, offset + joined.length - head.length), head.length);
        const header = parsePpmHeader(joined);
        if (!header) {
          offset += joined.length - head.length;
          head = joined;
          continue;
        }
        offset += header.length - head.length;
        head = new Uint8Array(0);
        frame = { pixels: new Uint8Array(header.width * header.height * 3), width: header.width, height: header.height };
        filled = 0;
      }
      const n = Math.min(frame.pixels.length - filled, chunk.length - offset);
      frame.pixels.set(chunk.subarray(offset, offset + n), filled);
      filled += n;
      offset += n;
      if (filled === frame.pixels.length) {
        yield frame;
        frame = null;
      }
    }
  }
  if (frame || head.length) {
    throw new StudioFailure('corrupt_media', `The frame stream ended mid-frame (${frame ? filled : head.length} bytes left over).`);
  }
}

async function* streamNative(ffmpeg: FfmpegHandle, inputArgs: string[], o: NativeFrameOptions, what: string): AsyncGenerator<RgbImage> {
  const start = o.start ?? 0;
  const end = o.count === undefined ? Infinity : start + o.count;
  if (end <= start) return;
  const proc = streamTool(ffmpeg.bin, buildNativeFrameArgs(inputArgs, ffmpeg.version), { signal: o.signal, what });
  let index = 0;
  try {
    for await (const frame of slicePpmFrames(proc.stdout)) {
      if (index >= start) yield frame;
      index += 1;
      if (index >= end) {
        proc.kill();
        break;
      }
    }
    await proc.finished;
  } finally {
    proc.kill(); // the consumer stopped early, or an error: never leave ffmpeg running
  }
}

/** Frames of a video file at their own size, in order. */
export function readNativeVideoFrames(ffmpeg: FfmpegHandle, file: string, o: NativeFrameOptions = {}): AsyncGenerator<RgbImage> {
  return streamNative(ffmpeg, ['-i', file], o, `reading frames of ${path.basename(file)}`);
}

/** Frames of a folder of numbered images at their own size. */
export function readNativeSequenceFrames(
  ffmpeg: FfmpegHandle, folder: string, o: NativeFrameOptions & { pattern: string; startNumber: number },
): AsyncGenerator<RgbImage> {
  return streamNative(ffmpeg, sequenceInputArgs(folder, o.pattern, o.startNumber), o, `reading frames from ${folder}`);
}
