// Test-only reader for safetensors files with U8 or F32 tensors (the DensePose fixtures store
// images as U8, the MagicAnimate fixtures as F32 holding integers; the PIL pairs are U8).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface TestTensor {
  shape: number[];
  /** Values as numbers (U8 or F32). */
  data: Uint8Array | Float32Array;
}

const HERE = dirname(fileURLToPath(import.meta.url));
export const SHARED = join(HERE, '../../../shared');
export const SAMPLES = join(SHARED, 'data/magicanimate-samples');

export function readTensorFile(file: string): Map<string, TestTensor> {
  const bytes = readFileSync(file);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const base = 8 + headerLength;
  const out = new Map<string, TestTensor>();
  for (const [key, entry] of Object.entries(header)) {
    if (key === '__metadata__') continue;
    const [from, to] = entry.data_offsets;
    const raw = bytes.buffer.slice(bytes.byteOffset + base + from, bytes.byteOffset + base + to);
    if (entry.dtype === 'U8') out.set(key, { shape: entry.shape, data: new Uint8Array(raw) });
    else if (entry.dtype === 'F32') out.set(key, { shape: entry.shape, data: new Float32Array(raw) });
    else throw new Error(`${file}: ${key} is ${entry.dtype}, expected U8 or F32`);
  }
  return out;
}

export function tensor(map: Map<string, TestTensor>, key: string): TestTensor {
  const t = map.get(key);
  if (!t) throw new Error(`tensor ${key} missing`);
  return t;
}

export interface LevelDiff {
  /** Largest |a − b| in levels. */
  maxLevels: number;
  /** Values (not pixels) that differ. */
  differing: number;
  /** Pixels (groups of `channels` values) with any channel differing. */
  differingPixels: number;
  pixels: number;
}

/** Level differences between two uint8 images (interleaved `channels`). */
export function levelDiff(a: ArrayLike<number>, b: ArrayLike<number>, channels = 3): LevelDiff {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let maxLevels = 0;
  let differing = 0;
  let differingPixels = 0;
  for (let p = 0; p < a.length; p += channels) {
    let pixelDiffers = false;
    for (let c = 0; c < channels; c++) {
      const d = Math.abs(a[p + c] - b[p + c]);
      if (d > 0) {
        differing++;
        pixelDiffers = true;
        if (d > maxLevels) maxLevels = d;
      }
    }
    if (pixelDiffers) differingPixels++;
  }
  return { maxLevels, differing, differingPixels, pixels: a.length / channels };
}
