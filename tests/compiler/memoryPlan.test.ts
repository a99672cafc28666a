// The device-memory plan: liveness peaks on a hand-checkable graph, and the plan of the demo model
// (fp16 weights half the fp32 ones; resident ≥ sequential).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifest } from '../../src/main/compiler/manifest';
import { describeMemoryPlan, memoryPlan } from '../../src/main/compiler/memoryPlan';
import { evaluateDim, peakActivationBytes } from '../../src/main/compiler/onnx/activationMemory';
import { GraphBuilder } from '../../src/main/compiler/onnx/graph';
import * as ops from '../../src/main/compiler/onnx/ops';
import { buildSeededModel } from '../../src/main/compiler/seededModel';

describe('memory plan', () => {
  it('evaluates symbolic dims and counts live tensors, reshapes sharing their input', () => {
    expect(evaluateDim('2*frames', { frames: 16 })).toBe(32);
    expect(evaluateDim('(batch+3)', { batch: 2 })).toBe(5);
    const g = new GraphBuilder('t');
    const x = g.input('x', 'float32', ['batch', 1000]);
    const a = ops.sigmoid(g, x); // x + a alive
    const r = ops.reshape(g, a, ['batch', 10, 100]); // alias of a
    const b = ops.sigmoid(g, r); // x dead after a; a + b alive
    g.output(b, 'y');
    const peak = peakActivationBytes(g, { batch: 2 });
    expect(peak.peakBytes).toBe(2 * 2 * 1000 * 4);
  });

  it('plans the tiny seeded model: fp16 weights are half, low-memory mode needs less', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'memplan-'));
    try {
      const plans = [];
      for (const precision of ['fp32', 'fp16'] as const) {
        const built = await buildSeededModel({ config: 'tiny', outDir: path.join(dir, precision), precision });
        plans.push(memoryPlan(readManifest(built.dir), { window: 16 }));
      }
      const [f32, f16] = plans;
      console.log(describeMemoryPlan(f32, 'CPU'), '\n', describeMemoryPlan(f16, 'GPU', null));
      expect(f16.weightBytes / f32.weightBytes).toBeGreaterThan(0.45);
      expect(f16.weightBytes / f32.weightBytes).toBeLessThan(0.55);
      expect(f16.residentBytes).toBeLessThan(f32.residentBytes);
      expect(f32.sequentialBytes).toBeLessThan(f32.residentBytes);
      expect(describeMemoryPlan(f32, 'GPU', { freeBytes: 1, source: 'test' })).toMatch(/not enough even in low-memory mode/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
