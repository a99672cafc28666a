import { describe, expect, it } from 'vitest';
import {
  contextWindows,
  officialUniformWindows,
  openWindows,
  windowsCoveringFrames,
} from '../../src/main/engine/sampler/contextWindows';
import { readFixtureJson } from './fixtureTensors';

interface Case7 {
  cases: { num_frames: number; context_size: number; context_overlap: number; closed_loop: boolean; windows: number[][] }[];
}
interface Case5Windows {
  per_step: {
    controlnet_pass: { uniform_args: number[]; windows: number[][] };
    unet_pass: { uniform_args: number[]; windows: number[][] };
  }[];
}

describe('officialUniformWindows', () => {
  const case7 = readFixtureJson<Case7>('case7_context_windows.json');

  it(`reproduces all ${case7.cases.length} cases of case7 (closed_loop true and false)`, () => {
    expect(case7.cases.length).toBeGreaterThan(100);
    expect(case7.cases.some((c) => !c.closed_loop)).toBe(true);
    for (const c of case7.cases) {
      const actual = officialUniformWindows(c.num_frames, c.context_size, c.context_overlap, c.closed_loop);
      expect(actual, JSON.stringify(c)).toEqual(c.windows);
    }
  });

  it('reproduces the ControlNet and UNet windows of the case5 pipeline run', () => {
    const case5 = readFixtureJson<Case5Windows>('case5_context_windows.json');
    for (const step of case5.per_step) {
      for (const pass of [step.controlnet_pass, step.unet_pass]) {
        const [, , frames, size, stride, overlap] = pass.uniform_args;
        expect(stride).toBe(1);
        expect(contextWindows(frames, size, overlap, 'closed')).toEqual(pass.windows);
      }
    }
  });

  it('rejects an overlap as large as the window', () => {
    expect(() => officialUniformWindows(32, 16, 16, true)).toThrow(/0 ≤ overlap < size/);
    expect(() => openWindows(0, 16, 4)).toThrow(/frames ≥ 1/);
  });
});

describe('openWindows', () => {
  it('prints the expected windows for 40 frames, size 16, overlap 4', () => {
    const starts = openWindows(40, 16, 4).map((w) => [w[0], w[w.length - 1]]);
    expect(starts).toEqual([
      [0, 15],
      [12, 27],
      [24, 39],
    ]);
  });

  it('aligns the last window to the end', () => {
    expect(openWindows(24, 16, 4).map((w) => w[0])).toEqual([0, 8]);
    expect(openWindows(30, 8, 2).map((w) => w[0])).toEqual([0, 6, 12, 18, 22]);
  });

  it('gives one window of the whole clip when the clip is short', () => {
    expect(openWindows(5, 16, 4)).toEqual([[0, 1, 2, 3, 4]]);
    expect(openWindows(16, 16, 4)).toEqual([Array.from({ length: 16 }, (_, i) => i)]);
  });

  it('covers every frame, never wraps, keeps the size and at least the overlap', () => {
    for (const frames of [1, 7, 16, 17, 24, 33, 42, 107]) {
      for (const [size, overlap] of [[16, 4], [8, 0], [8, 7], [24, 8], [3, 1]]) {
        const windows = openWindows(frames, size, overlap);
        windowsCoveringFrames(frames, windows); // throws when a frame is uncovered
        for (const [k, w] of windows.entries()) {
          expect(w.length).toBe(Math.min(size, frames));
          expect(w.every((f, i) => i === 0 || f === w[i - 1] + 1)).toBe(true);
          if (k > 0) expect(windows[k - 1][windows[k - 1].length - 1] - w[0] + 1).toBeGreaterThanOrEqual(overlap);
        }
        expect(windows[windows.length - 1].at(-1)).toBe(frames - 1);
      }
    }
  });
});
