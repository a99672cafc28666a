import { describe, expect, it } from 'vitest';
import { noiseBlockFromTensor, seededNoiseBlock, tileNoise } from '../../src/main/engine/sampler/noise';
import { mt19937, torchRandn } from '../../src/main/engine/sampler/torchRandn';
import { readFixtureTensors, tensorOf, worstDiff } from './fixtureTensors';

const case5 = readFixtureTensors('case5_pipeline.safetensors');

describe('seeded noise', () => {
  it('mt19937 gives the standard reference output (10000th value for seed 5489)', () => {
    const next = mt19937(5489);
    let value = 0;
    for (let i = 0; i < 10000; i++) value = next();
    expect(value).toBe(4123659995);
  });

  it('reproduces case5 init_noise (torch.randn, CPU generator seeded 1) bit for bit', () => {
    const expected = tensorOf(case5, 'init_noise');
    const block = seededNoiseBlock(1, 4, 16, 16);
    const mismatches = block.data.filter((v, i) => v !== expected.data[i]).length;
    expect(mismatches, `worst ${JSON.stringify(worstDiff(block.data, expected.data))}`).toBe(0);
  });

  it('redraws the last 16 values when the length is not a multiple of 16', () => {
    const a = torchRandn(3, 32);
    const b = torchRandn(3, 40);
    expect([...b.subarray(0, 16)]).toEqual([...a.subarray(0, 16)]);
    expect(b.every(Number.isFinite)).toBe(true);
    expect(() => torchRandn(3, 8)).toThrow(/≥ 16/);
  });

  it('tiles the block exactly as the official repeat over 32 frames (case5 latents_trajectory[0])', () => {
    const init = tensorOf(case5, 'init_noise');
    const block = noiseBlockFromTensor(init.data, init.dims);
    const frames = tileNoise(block, 32);
    const trajectory0 = tensorOf(case5, 'latents_trajectory').data.subarray(0, 4 * 32 * 256);
    for (let f = 0; f < 32; f++) {
      for (let c = 0; c < 4; c++) {
        const expected = trajectory0.subarray((c * 32 + f) * 256, (c * 32 + f + 1) * 256);
        expect([...frames[f].subarray(c * 256, (c + 1) * 256)]).toEqual([...expected]);
      }
    }
  });

  it('rejects a noise tensor of the wrong shape', () => {
    expect(() => noiseBlockFromTensor(new Float32Array(10), [1, 4, 8, 16, 16])).toThrow(/\[1, C, 16, h, w\]/);
  });
});
