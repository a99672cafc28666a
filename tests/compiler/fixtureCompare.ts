// Shared helpers for the compiler's fixture tests: fixture paths, loading tiny weights/configs from the
// real file formats, running a built network on ORT (cpu, 1 thread), and the per-tensor error table.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { NetworkGraph } from '../../src/main/compiler/networks/network';
import { openSafetensors, readSafetensorsFile, type SafetensorsTensor } from '../../src/main/compiler/weights/safetensors';
import { createSession, type OrtTensor } from '../../src/main/engine/runtime';
import type { WeightSource } from '../../src/main/compiler/weights/source';

const HERE = dirname(fileURLToPath(import.meta.url));
export const FIXTURES = join(HERE, '../../../shared/fixtures/magicanimate-tiny');
export const TINY = join(FIXTURES, 'tiny');

export function fixture(name: string): Map<string, SafetensorsTensor> {
  return readSafetensorsFile(join(FIXTURES, name));
}

export function tinyModel(folder: string): { config: unknown; weights: WeightSource } {
  const dir = join(TINY, folder);
  return {
    config: JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')),
    weights: openSafetensors(join(dir, 'diffusion_pytorch_model.safetensors')),
  };
}

export function get(map: Map<string, SafetensorsTensor>, key: string): SafetensorsTensor {
  const t = map.get(key);
  if (!t) throw new Error(`fixture tensor ${key} missing`);
  return t;
}

/** Builds the model bytes, runs one inference on cpu and returns the outputs by name. */
export async function runNetwork(net: NetworkGraph, feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>> {
  const session = await createSession(net.toBuffer(), { provider: 'cpu', threads: 2 });
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

export interface Comparison {
  tensor: string;
  shape: string;
  maxAbsOfficial: number;
  maxAbsError: number;
  limit: number;
}

/** Compares every named output with the official tensor; prints one table, then asserts the tolerance. */
export function compareOutputs(
  title: string,
  outputs: Record<string, OrtTensor>,
  expected: Record<string, SafetensorsTensor>,
  rel = 1e-4,
): Comparison[] {
  const rows: Comparison[] = Object.entries(expected).map(([name, want]) => {
    const got = outputs[name];
    if (!got) throw new Error(`output ${name} missing`);
    expect([...got.dims]).toEqual(want.shape);
    const data = got.data as Float32Array;
    let maxAbs = 0;
    let maxErr = 0;
    for (let i = 0; i < want.data.length; i++) {
      maxAbs = Math.max(maxAbs, Math.abs(want.data[i]));
      const err = Math.abs(data[i] - want.data[i]);
      maxErr = Number.isNaN(err) ? Infinity : Math.max(maxErr, err);
    }
    return { tensor: name, shape: `[${want.shape.join(', ')}]`, maxAbsOfficial: maxAbs, maxAbsError: maxErr, limit: rel * Math.max(1, maxAbs) };
  });
  console.log(title);
  console.table(rows.map((r) => ({ ...r, maxAbsOfficial: r.maxAbsOfficial.toPrecision(4), maxAbsError: r.maxAbsError.toExponential(2), limit: r.limit.toExponential(2) })));
  for (const r of rows) expect(r.maxAbsError, `${r.tensor}: max error ${r.maxAbsError} over ${r.limit}`).toBeLessThanOrEqual(r.limit);
  return rows;
}
