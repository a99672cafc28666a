// Audio peaks for the waveform: ffmpeg decodes the first audio track to mono float PCM at a low
// rate; we keep the max |sample| per small block while streaming (bounded memory), then fold the
// blocks into exactly the requested number of buckets once the true length is known.
import path from 'node:path';
import { StudioFailure } from '../../shared/result';
import { streamTool } from './spawn';

/** 8 kHz keeps transients visible while decoding far less than 44.1/48 kHz would produce. */
export const PEAK_SAMPLE_RATE = 8000;

export function buildPeaksArgs(file: string, sampleRate = PEAK_SAMPLE_RATE): string[] {
  return [
    '-hide_banner', '-v', 'error', '-nostdin', '-i', file,
    '-map', '0:a:0', '-vn', '-ac', '1', '-ar', String(sampleRate), '-f', 'f32le', '-acodec', 'pcm_f32le', 'pipe:1',
  ];
}

/** Samples per block so that there are ≥ 4 blocks per bucket for the expected length. */
export function blockSizeFor(expectedSamples: number, buckets: number): number {
  return Math.max(1, Math.floor(expectedSamples / (buckets * 4)));
}

/** Streaming reducer: float32 little-endian bytes in, one max |x| per block out. */
export class BlockPeaks {
  private readonly blocks: number[] = [];
  private current = 0;
  private inBlock = 0;
  private carry = new Uint8Array(0);
  samples = 0;

  constructor(private readonly blockSize: number) {}

  push(bytes: Uint8Array): void {
    const data = this.carry.length ? concat(this.carry, bytes) : bytes;
    const whole = data.length - (data.length % 4);
    const view = new DataView(data.buffer, data.byteOffset, whole);
    for (let off = 0; off < whole; off += 4) {
      const v = Math.abs(view.getFloat32(off, true));
      if (v > this.current) this.current = v;
      this.samples += 1;
      if (++this.inBlock === this.blockSize) this.flushBlock();
    }
    this.carry = data.slice(whole);
  }

  finish(): number[] {
    if (this.inBlock > 0) this.flushBlock();
    return this.blocks;
  }

  private flushBlock(): void {
    this.blocks.push(Math.min(1, this.current));
    this.current = 0;
    this.inBlock = 0;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Fold per-block maxima into exactly `buckets` values (each bucket: max of its blocks). */
export function foldPeaks(blocks: readonly number[], buckets: number): number[] {
  const out = new Array<number>(buckets).fill(0);
  if (blocks.length === 0) return out;
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * blocks.length) / buckets);
    const to = Math.max(from + 1, Math.floor(((b + 1) * blocks.length) / buckets));
    let peak = 0;
    for (let i = from; i < Math.min(to, blocks.length); i++) peak = Math.max(peak, blocks[i]);
    out[b] = peak;
  }
  return out;
}

/** The edge: peaks of `file`'s first audio track. `durationSec` (from the probe) sizes the blocks. */
export async function computePeaks(
  ffmpegBin: string,
  file: string,
  opts: { buckets: number; durationSec: number; signal?: AbortSignal },
): Promise<{ peaks: number[]; durationSec: number }> {
  const expected = Math.max(1, Math.round(opts.durationSec * PEAK_SAMPLE_RATE));
  const reducer = new BlockPeaks(blockSizeFor(expected, opts.buckets));
  const proc = streamTool(ffmpegBin, buildPeaksArgs(file), { signal: opts.signal, what: `reading the audio of ${path.basename(file)}` });
  try {
    for await (const chunk of proc.stdout as AsyncIterable<Buffer>) reducer.push(chunk);
    await proc.finished;
  } catch (err) {
    proc.kill();
    if (err instanceof StudioFailure && /matches no streams|Stream map/i.test(JSON.stringify(err.detail ?? ''))) {
      throw new StudioFailure('unsupported_media', `${path.basename(file)} has no audio track, so there is no waveform to show.`);
    }
    throw err;
  }
  return { peaks: foldPeaks(reducer.finish(), opts.buckets), durationSec: reducer.samples / PEAK_SAMPLE_RATE };
}
