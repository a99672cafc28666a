import { describe, expect, it } from 'vitest';
import { openWindows, officialUniformWindows } from '../../src/main/engine/sampler/contextWindows';
import { fuseAndGuide, normalisedWeights, positionWeights, windowWeights } from '../../src/main/engine/sampler/fuseWeights';
import { latentsToRgb } from '../../src/main/engine/sampler/preview';

describe('fuse weights', () => {
  it('prints the position weights of each mode', () => {
    expect([...positionWeights(6, 2, 'flat')]).toEqual([1, 1, 1, 1, 1, 1]);
    expect([...positionWeights(6, 2, 'pyramid')]).toEqual([1, 2, 3, 3, 2, 1]);
    expect([...positionWeights(6, 2, 'linear')].map((v) => +v.toFixed(4))).toEqual([0.3333, 0.6667, 1, 1, 0.6667, 0.3333]);
  });

  it.each(['flat', 'pyramid', 'linear'] as const)('normalises to 1 per frame (%s)', (mode) => {
    for (const windows of [openWindows(40, 16, 4), officialUniformWindows(32, 16, 4, true), openWindows(5, 16, 4)]) {
      const totals = new Map<number, number>();
      normalisedWeights(40, windows, windowWeights(windows, 4, mode)).forEach((ws, w) =>
        ws.forEach((v, i) => totals.set(windows[w][i], (totals.get(windows[w][i]) ?? 0) + v)),
      );
      for (const total of totals.values()) expect(total).toBeCloseTo(1, 6);
    }
  });

  it('flat fusion is the mean; the other modes favour the window where the frame is central', () => {
    const u = (v: number) => new Float32Array([v, v]); // [uncond | cond], one value each
    expect([...fuseAndGuide([{ weight: 1, prediction: u(1) }, { weight: 1, prediction: u(3) }], 7.5)]).toEqual([2]);
    expect([...fuseAndGuide([{ weight: 3, prediction: u(1) }, { weight: 1, prediction: u(5) }], 7.5)]).toEqual([2]);
    // CFG: ε = u + g(c − u)
    expect([...fuseAndGuide([{ weight: 1, prediction: new Float32Array([1, 2]) }], 7.5)]).toEqual([8.5]);
  });
});

describe('latentsToRgb', () => {
  it('maps zero latents to mid grey and a strong channel-3 latent to yellow-ish', () => {
    const grey = latentsToRgb(new Float32Array(4), 1, 1, 4);
    expect([...grey.data]).toEqual([128, 128, 128, 255]);
    const l = new Float32Array([0, 0, 0, -2]);
    const img = latentsToRgb(l, 1, 1);
    expect(img.data[2]).toBe(255); // B = 0.5 + 0.7177 → clamps
    expect(img.data[0]).toBeGreaterThan(128);
    expect(() => latentsToRgb(new Float32Array(3), 1, 1)).toThrow(/expected 4×1×1/);
  });
});
