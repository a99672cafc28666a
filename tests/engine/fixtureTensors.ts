// Test-only reader for the float32 safetensors fixtures (header length u64 LE, JSON header,
// raw little-endian data). The production reader lives with the compiler; this keeps the
// engine tests independent of it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, dirname } from 'node:path';

export interface FixtureTensor {
  dims: number[];
  data: Float32Array;
}

const HERE = dirname(fileURLToPath(import.meta.url));
export const FIXTURES = join(HERE, '../../../shared/fixtures/magicanimate-tiny');

export function fixturePath(name: string): string {
  return join(FIXTURES, name);
}

export function readFixtureTensors(name: string): Map<string, FixtureTensor> {
  const bytes = readFileSync(fixturePath(name));
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const base = 8 + headerLength;
  const out = new Map<string, FixtureTensor>();
  for (const [key, entry] of Object.entries(header)) {
    if (key === '__metadata__') continue;
    if (entry.dtype !== 'F32') throw new Error(`${name}: ${key} is ${entry.dtype}, expected F32`);
    const [from, to] = entry.data_offsets;
    // Copy: the file buffer's offset is not necessarily 4-byte aligned.
    const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset + base + from, bytes.byteOffset + base + to));
    out.set(key, { dims: entry.shape, data });
  }
  return out;
}

export function readFixtureJson<T>(name: string): T {
  return JSON.parse(readFileSync(fixturePath(name), 'utf8')) as T;
}

export function tensorOf(map: Map<string, FixtureTensor>, key: string): FixtureTensor {
  const t = map.get(key);
  if (!t) throw new Error(`fixture tensor ${key} missing`);
  return t;
}

/** Worst absolute and relative differences, for failure messages and the report. */
export function worstDiff(actual: ArrayLike<number>, expected: ArrayLike<number>): { abs: number; rel: number; at: number } {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != ${expected.length}`);
  let abs = 0;
  let rel = 0;
  let at = -1;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    const r = d / Math.max(Math.abs(expected[i]), 1e-30);
    if (d > abs) {
      abs = d;
      at = i;
    }
    if (r > rel && Math.abs(expected[i]) > 1e-6) rel = r;
  }
  return { abs, rel, at };
}
