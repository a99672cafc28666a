// The render inputs at the model's size: the reference image, and the DensePose frames from a video
// or a folder of numbered PNGs. Both are decoded at their own size (the image with sharp, the
// frames with ffmpeg) and fitted with Pillow's bicubic (src/main/images), as the official demo
// resizes them: `Image.fromarray(x).resize((size, size))`. Inputs whose aspect ratio is the
// model's are therefore exactly the official inputs, whatever their size; others keep their aspect
// ratio ('pad' bars: black for the photo, the DensePose background for the motion; 'crop').
//
// The sampling loop asks for a DensePose frame once per step (each step re-runs the ControlNet), in
// window order, so the frames must be readable at random. They are streamed from ffmpeg ONCE into
// a raw RGB24 file in the job folder (fixed size per frame) and read back by offset: memory holds
// one frame at a time, whatever the clip's length.
import fs from 'node:fs';
import path from 'node:path';
import { StudioFailure } from '../../shared/result';
import { decodeImageRgb } from '../images/decode';
import { fitRgb } from '../images/fit';
import { DENSEPOSE_BACKGROUND } from '../media/densepose';
import { readNativeSequenceFrames, readNativeVideoFrames } from '../media/nativeFrames';
import type { FfmpegHandle } from '../media/rawFrames';
import type { ControlSource, Tensor } from './networks';
import { controlToCond, referenceToVaeInput } from './sampler/layout';

export interface InputSize {
  width: number;
  height: number;
  fit: 'pad' | 'crop';
}

/** The reference image at the model's size: RGB24, exactly what the VAE input is made from. */
export async function loadReferenceRgb(file: string, size: InputSize): Promise<Uint8Array> {
  if (!fs.existsSync(file)) throw new StudioFailure('not_found', `The reference image ${file} does not exist.`);
  return fitRgb(await decodeImageRgb(file), size);
}

/** The reference image as the VAE input [1, 3, H, W] in [−1, 1]. */
export async function loadReference(file: string, size: InputSize): Promise<Tensor> {
  return referenceToVaeInput(await loadReferenceRgb(file, size), size.height, size.width);
}

/** The numbered-PNG pattern of a folder: 000000.png … (fixed width) or 0.png, 1.png … ('%d'). */
export function sequencePattern(folder: string): { pattern: string; startNumber: number; count: number } {
  const names = fs.readdirSync(folder).filter((n) => /^\d+\.png$/i.test(n));
  if (names.length === 0) throw new StudioFailure('not_found', `The folder ${folder} holds no numbered PNG frames (000000.png, 000001.png, …).`);
  const numbers = names.map((n) => Number.parseInt(n, 10)).sort((a, b) => a - b);
  // One name width for all (000000.png …, or 10.png … 99.png) → %0Nd; mixed widths → unpadded %d.
  const widths = new Set(names.map((n) => n.length - 4));
  const startNumber = numbers[0];
  const gap = numbers.findIndex((n, i) => n !== startNumber + i);
  if (gap >= 0) throw new StudioFailure('invalid_request', `The frames in ${folder} are not consecutive: frame ${startNumber + gap} is missing; add it or renumber the files.`);
  return { pattern: widths.size === 1 ? `%0${[...widths][0]}d.png` : '%d.png', startNumber, count: numbers.length };
}

export interface MotionOptions extends InputSize {
  /** Frames [start, end) of the clip; null = all. */
  range: { start: number; end: number } | null;
  /** Where the fitted frames are kept (a file inside the job folder). */
  cacheFile: string;
  signal?: AbortSignal;
}

/** A ControlSource over a raw RGB24 cache file written by `decodeMotion`. */
export class RawFileControl implements ControlSource {
  private readonly frameBytes: number;
  private fd: number | null;

  constructor(
    file: string,
    readonly count: number,
    private readonly height: number,
    private readonly width: number,
  ) {
    this.frameBytes = width * height * 3;
    this.fd = fs.openSync(file, 'r');
  }

  frame(index: number): Tensor {
    return controlToCond(this.rgbFrame(index), this.height, this.width);
  }

  /** Frame `index` as RGB24 at the model's size, as the ControlNet input is made from it. */
  rgbFrame(index: number): Uint8Array {
    if (this.fd === null) throw new StudioFailure('internal', 'the motion frames were already closed');
    if (!(index >= 0 && index < this.count)) throw new RangeError(`motion frame ${index} is outside 0…${this.count - 1}`);
    const bytes = new Uint8Array(this.frameBytes);
    const read = fs.readSync(this.fd, bytes, 0, this.frameBytes, index * this.frameBytes);
    if (read !== this.frameBytes) throw new StudioFailure('io_error', `short read of motion frame ${index}`);
    return bytes;
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}

/** Streams the motion clip (video file or PNG folder) once into `cacheFile`; returns the frame source. */
export async function decodeMotion(ffmpeg: FfmpegHandle, source: string, o: MotionOptions): Promise<RawFileControl> {
  const stat = fs.statSync(source, { throwIfNoEntry: false });
  if (!stat) throw new StudioFailure('not_found', `The motion clip ${source} does not exist.`);
  const start = o.range?.start ?? 0;
  const count = o.range ? o.range.end - o.range.start : undefined;
  const slice = { start, count, signal: o.signal };
  const sequence = stat.isDirectory() ? sequencePattern(source) : null;
  const frames = sequence ? readNativeSequenceFrames(ffmpeg, source, { ...slice, ...sequence }) : readNativeVideoFrames(ffmpeg, source, slice);
  const target = { width: o.width, height: o.height, fit: o.fit, padColor: DENSEPOSE_BACKGROUND };
  const temp = `${o.cacheFile}.partial`;
  const fd = fs.openSync(temp, 'w');
  let written = 0;
  try {
    for await (const frame of frames) {
      fs.writeSync(fd, fitRgb(frame, target));
      written++;
    }
  } finally {
    fs.closeSync(fd);
  }
  if (written === 0) {
    fs.rmSync(temp, { force: true });
    const what = o.range ? `frames ${o.range.start}–${o.range.end} of ${path.basename(source)}` : path.basename(source);
    throw new StudioFailure('invalid_request', `${what}: no frames to render; set a range inside the clip.`);
  }
  // NOTE: ffmpeg skips an undecodable image of a sequence with only a log line; a folder says how
  // many frames there are, so a short read means a damaged PNG, not a shorter clip.
  const expected = sequence ? Math.max(0, Math.min(sequence.count, count === undefined ? Infinity : start + count) - start) : 0;
  if (sequence && written < expected) {
    fs.rmSync(temp, { force: true });
    throw new StudioFailure('corrupt_media', `Only ${written} of the ${expected} PNG frames in ${source} could be read (a damaged or truncated PNG?); replace the damaged frames and render again.`);
  }
  fs.renameSync(temp, o.cacheFile);
  return new RawFileControl(o.cacheFile, written, o.height, o.width);
}
