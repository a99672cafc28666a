// The graph builder and core layers against small plain-JS references, run in onnxruntime (cpu).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GraphBuilder, GraphBuildError, saveToBuffer, saveToFile, ops } from '../../src/main/compiler/onnx';
import { attention, groupNorm, linear, Module } from '../../src/main/compiler/layers';
import { TableSource } from '../../src/main/compiler/weights/tableSource';
import { createSession, float32Tensor, tensorData } from '../../src/main/engine/runtime';

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

function randomArray(n: number, rnd: () => number): Float32Array {
  return Float32Array.from({ length: n }, rnd);
}

function table(entries: Record<string, { shape: number[]; data: Float32Array }>) {
  const map = new Map(Object.entries(entries).map(([k, v]) => [k, { shape: v.shape, read: () => v.data }]));
  return new TableSource('test-table', map);
}

async function runModel(bytes: Uint8Array, feeds: Record<string, { data: Float32Array; dims: number[] }>) {
  const s = await createSession(bytes, { provider: 'cpu', threads: 1 });
  try {
    const out = await s.run(Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, float32Tensor(v.data, v.dims)])));
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, tensorData(v)]));
  } finally {
    await s.release();
  }
}

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

/** GroupNorm reference: x [N, C, L], statistics over (C/G, L) per item, or over frames. */
function groupNormRef(x: Float32Array, n: number, c: number, l: number, groups: number, gamma: Float32Array, beta: Float32Array, frames = 1) {
  const out = new Float32Array(x.length);
  const cg = c / groups;
  for (let b = 0; b < n / frames; b++) {
    for (let gi = 0; gi < groups; gi++) {
      const idx: number[] = [];
      for (let f = 0; f < frames; f++) for (let ch = gi * cg; ch < (gi + 1) * cg; ch++) for (let p = 0; p < l; p++) idx.push(((b * frames + f) * c + ch) * l + p);
      const mean = idx.reduce((s, i) => s + x[i], 0) / idx.length;
      const v = idx.reduce((s, i) => s + (x[i] - mean) ** 2, 0) / idx.length;
      for (const i of idx) {
        const ch = Math.floor(i / l) % c;
        out[i] = ((x[i] - mean) / Math.sqrt(v + 1e-5)) * gamma[ch] + beta[ch];
      }
    }
  }
  return out;
}

describe('graph builder + layers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'builder-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const rnd = seeded(7);
  const gamma = randomArray(8, rnd).map((v) => 1 + v);
  const beta = randomArray(8, rnd);

  it('group norm per image and over frames, with a symbolic batch', async () => {
    const w = table({ 'gn.weight': { shape: [8], data: gamma }, 'gn.bias': { shape: [8], data: beta } });
    const g = new GraphBuilder('gn');
    const x = g.input('x', 'float32', ['batch*3', 8, 2, 3]);
    g.output(groupNorm(new Module(g, w, 'gn'), x, { groups: 4, eps: 1e-5 }), 'per_image');
    g.output(groupNorm(new Module(g, w, 'gn'), x, { groups: 4, eps: 1e-5, frames: 3 }), 'per_window');
    const data = randomArray(6 * 8 * 6, rnd).map((v) => v * 3 + 1);
    const out = await runModel(saveToBuffer(g), { x: { data, dims: [6, 8, 2, 3] } });
    expect(maxDiff(out.per_image, groupNormRef(data, 6, 8, 6, 4, gamma, beta))).toBeLessThan(1e-5);
    expect(maxDiff(out.per_window, groupNormRef(data, 6, 8, 6, 4, gamma, beta, 3))).toBeLessThan(1e-5);
  });

  it('attention matches a naive two-head reference', async () => {
    const c = 4;
    const ws: Record<string, { shape: number[]; data: Float32Array }> = {};
    for (const p of ['to_q', 'to_k', 'to_v', 'to_out.0']) ws[`a.${p}.weight`] = { shape: [c, c], data: randomArray(c * c, rnd) };
    ws['a.to_out.0.bias'] = { shape: [c], data: randomArray(c, rnd) };
    const g = new GraphBuilder('attn');
    const x = g.input('x', 'float32', ['batch', 3, c]);
    g.output(attention(new Module(g, table(ws), 'a'), x, { heads: 2 }), 'y');
    const data = randomArray(3 * c, rnd);
    const out = await runModel(saveToBuffer(g), { x: { data, dims: [1, 3, c] } });
    const lin = (v: Float32Array, k: string) => {
      const W = ws[`a.${k}.weight`].data;
      const b = ws[`a.${k}.bias`]?.data;
      return Float32Array.from({ length: 3 * c }, (_, i) => {
        const [t, o] = [Math.floor(i / c), i % c];
        let s = b ? b[o] : 0;
        for (let j = 0; j < c; j++) s += v[t * c + j] * W[o * c + j];
        return s;
      });
    };
    const [q, k, v] = [lin(data, 'to_q'), lin(data, 'to_k'), lin(data, 'to_v')];
    const merged = new Float32Array(3 * c);
    for (let h = 0; h < 2; h++) for (let i = 0; i < 3; i++) {
      const s = [0, 1, 2].map((j) => (q[i * c + 2 * h] * k[j * c + 2 * h] + q[i * c + 2 * h + 1] * k[j * c + 2 * h + 1]) / Math.SQRT2);
      const e = s.map((z) => Math.exp(z - Math.max(...s)));
      const tot = e.reduce((a, b) => a + b);
      for (let d = 0; d < 2; d++) merged[i * c + 2 * h + d] = [0, 1, 2].reduce((acc, j) => acc + (e[j] / tot) * v[j * c + 2 * h + d], 0);
    }
    expect(maxDiff(out.y, lin(merged, 'to_out.0'))).toBeLessThan(1e-5);
  });

  it('writes external data and drops dead nodes', async () => {
    const W = randomArray(6, rnd);
    const g = new GraphBuilder('lin');
    const x = g.input('x', 'float32', [1, 3]);
    const m = new Module(g, table({ 'l.weight': { shape: [2, 3], data: W }, 'l.bias': { shape: [2], data: Float32Array.of(0.5, -0.25) } }), 'l');
    const y = linear(m, x, 2);
    ops.sigmoid(g, y); // dead: no output depends on it
    g.output(y, 'y');
    const expected = Float32Array.of(W[0] + 2 * W[1] + 3 * W[2] + 0.5, W[3] + 2 * W[4] + 3 * W[5] - 0.25);
    const input = { x: { data: Float32Array.of(1, 2, 3), dims: [1, 3] } };
    const path = join(dir, 'lin.onnx');
    const saved = saveToFile(g, path, { externalData: 'always' });
    expect(statSync(saved.dataPath!).size).toBeGreaterThanOrEqual(32);
    const s = await createSession(path, { provider: 'cpu', threads: 1 });
    const out = tensorData((await s.run({ x: float32Tensor(input.x.data, [1, 3]) })).y);
    await s.release();
    expect(maxDiff(out, expected)).toBeLessThan(1e-6);
  });

  it('fp16 compute: float16 weights and constants, float32 at the boundary', async () => {
    const W = randomArray(6, rnd);
    const g = new GraphBuilder('lin16', { precision: 'fp16' });
    const x = ops.cast(g, g.input('x', 'float32', [1, 3]), g.computeType);
    const m = new Module(g, table({ 'l.weight': { shape: [2, 3], data: W }, 'l.bias': { shape: [2], data: Float32Array.of(0.5, -0.25) } }), 'l');
    const y = linear(m, x, 2);
    expect(y.dtype).toBe('float16');
    expect(ops.scalar(g, 2).dtype).toBe('float16');
    g.output(ops.cast(g, ops.mul(g, y, ops.scalar(g, 2)), 'float32'), 'y');
    expect(g.lazyInitializers.map((w) => w.dtype)).toEqual(['float16', 'float16']);
    const expected = Float32Array.of(2 * (W[0] + 2 * W[1] + 3 * W[2] + 0.5), 2 * (W[3] + 2 * W[4] + 3 * W[5] - 0.25));
    const half = await runModel(saveToBuffer(g), { x: { data: Float32Array.of(1, 2, 3), dims: [1, 3] } });
    expect(maxDiff(half.y, expected)).toBeLessThan(2e-2);
    expect(maxDiff(half.y, expected)).toBeGreaterThan(0); // the weights really were rounded
    expect(() => ops.add(g, y, g.input('z', 'float32', [1, 2]))).toThrow(/Add of float16 and float32/);
  });

  it('repeatRows repeats each batch row in place (repeat_interleave)', async () => {
    const g = new GraphBuilder('rep');
    const x = g.input('x', 'float32', ['batch', 2]);
    const y = ops.repeatRows(g, x, 3);
    expect(y.shape).toEqual(['3*batch', 2]);
    g.output(y, 'y');
    const out = await runModel(saveToBuffer(g), { x: { data: Float32Array.of(1, 2, 3, 4), dims: [2, 2] } });
    expect(Array.from(out.y)).toEqual([1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4]);
  });

  it('rejects mis-shaped layers at build time with the module path', () => {
    const g = new GraphBuilder('bad');
    const x = g.input('x', 'float32', [1, 5]);
    const m = new Module(g, table({ 'l.weight': { shape: [2, 3], data: new Float32Array(6) } }), 'l');
    expect(() => linear(m, x, 2, { bias: false })).toThrow(/l\.weight.*\[2, 3\], expected \[2, 5\]/);
    expect(() => ops.matmul(g, x, g.input('y', 'float32', [4, 2]))).toThrow(GraphBuildError);
  });
});
