// The runtime module: provider selection (cpu works here; cuda/dml/webgpu fail cleanly with a reason),
// feed checking, and tensors in and out of a tiny real session.
import { describe, expect, it } from 'vitest';
import { GraphBuilder, ops, saveToBuffer } from '../../src/main/compiler/onnx';
import {
  AUTO_ORDER,
  checkFeeds,
  createSession,
  float32Tensor,
  PROVIDERS,
  providerPlan,
  tensorData,
} from '../../src/main/engine/runtime';
import { StudioFailure } from '../../src/shared/result';

function sigmoidModel(): Uint8Array {
  const g = new GraphBuilder('sigmoid');
  const x = g.input('x', 'float32', ['n']);
  g.output(ops.sigmoid(g, x), 'y');
  return saveToBuffer(g);
}

describe('runtime', () => {
  it('has one frozen provider table and a fixed auto order ending in cpu', () => {
    expect(Object.isFrozen(PROVIDERS)).toBe(true);
    expect(AUTO_ORDER).toEqual(['cuda', 'dml', 'webgpu', 'cpu']);
    expect(providerPlan('auto', 'linux-x64').filter((p) => p.applies).map((p) => p.provider)).toEqual(['cuda', 'webgpu', 'cpu']);
    expect(providerPlan('auto', 'win32-x64').filter((p) => p.applies).map((p) => p.provider)).toEqual(['dml', 'webgpu', 'cpu']);
    expect(providerPlan('auto', 'darwin-arm64').filter((p) => p.applies).map((p) => p.provider)).toEqual(['webgpu', 'cpu']);
    expect(providerPlan('dml', 'linux-x64')[0]).toMatchObject({ applies: false, reason: 'DirectML is not available on linux-x64' });
    expect(() => providerPlan('tpu' as never)).toThrow(/unknown execution provider "tpu"/);
  });

  it('auto takes the first provider that loads and reports why the earlier ones failed', async () => {
    const s = await createSession(sigmoidModel(), { provider: 'auto', threads: 1 });
    try {
      // On the CI machine (no GPU, no CUDA libraries) this is cpu after cuda, dml and webgpu failed.
      const order = s.attempts.map((a) => a.provider);
      expect(order).toEqual(AUTO_ORDER.slice(0, order.length));
      expect(s.attempts.at(-1)).toEqual({ provider: s.provider, ok: true });
      for (const a of s.attempts.slice(0, -1)) expect(a.ok === false && (a.reason ?? '').length > 0).toBe(true);
      const out = await s.run({ x: float32Tensor(Float32Array.of(0, 2), [2]) });
      expect(Array.from(tensorData(out.y))).toEqual([0.5, Math.fround(1 / (1 + Math.exp(-2)))]);
    } finally {
      await s.release();
    }
  });

  it('a named provider that cannot run here fails with not_available and the reason', async () => {
    for (const provider of ['cuda', 'dml'] as const) {
      const err = await createSession(sigmoidModel(), { provider }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StudioFailure);
      expect((err as StudioFailure).code).toBe('not_available');
      expect((err as StudioFailure).message).toMatch(new RegExp(`${provider}: .+`));
    }
  });

  it('names missing and unexpected feeds, and a missing model file', async () => {
    expect(() => checkFeeds(['a', 'b'], { a: 1, c: 2 })).toThrow('model inputs: missing b; unexpected c (expects a, b)');
    const s = await createSession(sigmoidModel(), { provider: 'cpu', threads: 1 });
    await expect(s.run({})).rejects.toThrow(/missing x/);
    await s.release();
    await expect(s.run({ x: float32Tensor(Float32Array.of(1), [1]) })).rejects.toThrow(/released/);
    await expect(createSession('/nonexistent/model.onnx')).rejects.toMatchObject({ code: 'model_missing' });
    await expect(createSession(Uint8Array.of(1, 2, 3), { provider: 'cpu' })).rejects.toMatchObject({ code: 'model_invalid' });
  });
});
