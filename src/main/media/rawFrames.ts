// Streams frames as raw RGB24 at a target size: the render engine reads DensePose clips this way.
// ffmpeg writes rawvideo to stdout; we cut the byte stream into frames. Iterating the stream applies
// back-pressure, so at most one frame plus a pipe buffer is in memory whatever the clip length.
import path from 'node:path';
import { StudioFailure } from '../../shared/result';
import { fitFilter, passthroughArgs, type FitOptions } from './filters';
import { streamTool } from './spawn';

export interface RawFrameOptions extends FitOptions {
  /** Skip this many decoded frames first (default 0). */
  start?: number;
  /** Stop after this many frames (default: to the end). */
  count?: number;
  signal?: AbortSignal;
}

export interface FfmpegHandle {
  bin: string;
  version: { major: number; minor: number } | null;
}

/** Input arguments for a folder of numbered images, e.g. 000000.png, 000001.png, … */
export function sequenceInputArgs(folder: string, pattern = '%06d.png', startNumber = 0): string[] {
  return ['-f', 'image2', '-framerate', '25', '-start_number', String(startNumber), '-i', path.join(folder, pattern)];
}

/** ffmpeg arguments: decode every frame of `inputArgs`, fit to size, write RGB24 to stdout. */
export function buildRawFrameArgs(inputArgs: string[], opts: FitOptions, version: FfmpegHandle['version']): string[] {
  return [
    '-hide_banner', '-v', 'error', '-nostdin', ...inputArgs,
    '-map', '0:v:0', '-vf', fitFilter(opts), ...passthroughArgs(version),
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1',
  ];
}

/** Cuts a byte stream into fixed-size frames (pure; exported for tests). */
export async function* sliceFrames(chunks: AsyncIterable<Uint8Array>, frameBytes: number): AsyncGenerator<Uint8Array> {
  let frame = new Uint8Array(frameBytes);
  let filled = 0;
  for await (const chunk of chunks) {
    let offset = 0;
    while (offset < chunk.length) {
      const n = Math.min(frameBytes - filled, chunk.length - offset);
      frame.set(chunk.subarray(offset, offset + n), filled);
      filled += n;
      offset += n;
      if (filled === frameBytes) {
        yield frame;
        frame = new Uint8Array(frameBytes); // the consumer may keep the previous one
        filled = 0;
      }
    }
  }
  if (filled !== 0) {
    throw new StudioFailure('corrupt_media', `The frame stream ended mid-frame (${filled} of ${frameBytes} bytes).`);
  }
}

async function* streamFrames(ffmpeg: FfmpegHandle, inputArgs: string[], opts: RawFrameOptions, what: string): AsyncGenerator<Uint8Array> {
  if (!(opts.width > 0 && opts.height > 0)) throw new StudioFailure('invalid_request', `Frame size ${opts.width}×${opts.height} is not valid.`);
  const start = opts.start ?? 0;
  const end = opts.count === undefined ? Infinity : start + opts.count;
  const proc = streamTool(ffmpeg.bin, buildRawFrameArgs(inputArgs, opts, ffmpeg.version), { signal: opts.signal, what });
  let index = 0;
  try {
    for await (const frame of sliceFrames(proc.stdout, opts.width * opts.height * 3)) {
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

/** Raw RGB24 frames of a video file (every decoded frame, in order). */
export function readVideoFrames(ffmpeg: FfmpegHandle, file: string, opts: RawFrameOptions): AsyncGenerator<Uint8Array> {
  return streamFrames(ffmpeg, ['-i', file], opts, `reading frames of ${path.basename(file)}`);
}

/** Raw RGB24 frames from a folder of numbered images. */
export function readSequenceFrames(
  ffmpeg: FfmpegHandle,
  folder: string,
  opts: RawFrameOptions & { pattern?: string; startNumber?: number },
): AsyncGenerator<Uint8Array> {
  const input = sequenceInputArgs(folder, opts.pattern, opts.startNumber);
  return streamFrames(ffmpeg, input, opts, `reading frames from ${folder}`);
}
