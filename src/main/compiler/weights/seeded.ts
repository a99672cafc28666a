// Weight sources that need no checkpoint file.
//
// seededSource: answers any key with deterministic pseudo-random values drawn like the fixture
// weights (README of the tiny fixtures: N(0,1)/sqrt(fan_in) for ndim>=2, 1+0.1·N for norm scales,
// 0.05·N for biases), seeded by a hash of (seed, key) so a value never depends on the order in
// which a builder asks. It builds the demo model, so no binary weights are committed.
//
// shapeOnlySource: the full-size key manifests (fullsize_state_dict_keys.json) as a source whose
// tensors read as zeros; tests build the full-size graphs from it to find missing/unused keys.
import { StudioFailure } from '../../../shared/result';
import type { TensorRef, WeightSource } from './source';
import { TableSource, elementCount, formatShape, type TensorEntry } from './tableSource';

/** FNV-1a over the UTF-16 code units of `text`, mixed with `seed`. */
function hash32(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** mulberry32: a small, fast 32-bit PRNG; plenty for demo weights and picking test cases. */
export function mulberry32(state: number): () => number {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` standard normal values for (seed, key), via Box–Muller. */
export function seededNormals(seed: number, key: string, count: number): Float32Array {
  const uniform = mulberry32(hash32(key, seed));
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const u1 = 1 - uniform(); // (0, 1]: log is finite
    const radius = Math.sqrt(-2 * Math.log(u1));
    const angle = 2 * Math.PI * uniform();
    out[i] = radius * Math.cos(angle);
    if (i + 1 < count) out[i + 1] = radius * Math.sin(angle);
  }
  return out;
}

/** AnimateDiff's sinusoidal table [1, len, C]: pe[p, 2i] = sin(p·w_i), pe[p, 2i+1] = cos(p·w_i). */
export function sinusoidalPositions(length: number, channels: number): Float32Array {
  const out = new Float32Array(length * channels);
  for (let p = 0; p < length; p++) {
    for (let i = 0; 2 * i < channels; i++) {
      const w = Math.exp((-2 * i * Math.log(10000)) / channels);
      out[p * channels + 2 * i] = Math.sin(p * w);
      if (2 * i + 1 < channels) out[p * channels + 2 * i + 1] = Math.cos(p * w);
    }
  }
  return out;
}

/** The values a seeded key gets, following the fixture's randomization rules. */
export function seededValues(seed: number, key: string, shape: readonly number[]): Float32Array {
  if (key.endsWith('pos_encoder.pe') && shape.length === 3) return sinusoidalPositions(shape[1], shape[2]);
  const values = seededNormals(seed, key, elementCount(shape));
  let scale = 1;
  let shift = 0;
  if (key.endsWith('.bias')) scale = 0.05;
  else if (shape.length >= 2) scale = 1 / Math.sqrt(elementCount(shape.slice(1)));
  else if (/norm/i.test(key) && key.endsWith('.weight')) [scale, shift] = [0.1, 1];
  for (let i = 0; i < values.length; i++) values[i] = values[i] * scale + shift;
  return values;
}

/**
 * A source that has every key: take() records the asked-for shape and returns seeded values.
 * Asking for one key with two different shapes is a builder bug and fails.
 */
export function seededSource(seed: number): WeightSource {
  const taken = new Map<string, readonly number[]>();
  const name = `seeded(${seed})`;
  return {
    name,
    has: () => true,
    shape: (key) => taken.get(key),
    take(key: string, expectedShape: readonly number[]): TensorRef {
      const known = taken.get(key);
      if (known && formatShape(known) !== formatShape(expectedShape)) {
        throw new StudioFailure('internal', `${name}: "${key}" asked for as ${formatShape(expectedShape)} after ${formatShape(known)}`);
      }
      const shape = [...expectedShape];
      taken.set(key, shape);
      return { key, shape, read: () => seededValues(seed, key, shape) };
    },
    keys: () => [...taken.keys()],
    usedKeys: () => new Set(taken.keys()),
  };
}

/** One row of fullsize_state_dict_keys.json: [key, shape, 'param' | 'buffer']. */
export type KeyManifestRow = readonly [string, readonly number[], string];

/** A source over a key manifest whose tensors are all zeros (structure tests only). */
export function shapeOnlySource(name: string, rows: readonly KeyManifestRow[]): WeightSource {
  const table = new Map<string, TensorEntry>();
  for (const [key, shape] of rows) table.set(key, { shape, read: () => new Float32Array(elementCount(shape)) });
  return new TableSource(`shape-only(${name})`, table);
}
