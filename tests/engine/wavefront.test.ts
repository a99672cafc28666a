import { describe, expect, it } from 'vitest';
import { officialUniformWindows, openWindows } from '../../src/main/engine/sampler/contextWindows';
import { requiredWork, residualHighWater, stepMajorOrder, wavefrontOrder, windowNeighbours, type WorkItem } from '../../src/main/engine/sampler/wavefront';

/** Every pair exactly once, and (k, i) only after every neighbour of k ran step i − 1. */
function assertValid(order: WorkItem[], neighbours: number[][], steps: number): void {
  const done = new Set<string>();
  for (const { window, step } of order) {
    expect(done.has(`${window}@${step}`)).toBe(false);
    if (step > 0) for (const n of neighbours[window]) expect(done.has(`${n}@${step - 1}`), `(${window},${step}) before (${n},${step - 1})`).toBe(true);
    done.add(`${window}@${step}`);
  }
  expect(done.size).toBe(neighbours.length * steps);
}

describe('wavefront order', () => {
  it('prints the wavefront for 5 open windows and 3 steps', () => {
    const windows = openWindows(32, 8, 2); // starts 0, 6, 12, 18, 24
    const order = wavefrontOrder(32, windows, 3).map(({ window, step }) => `${window}.${step}`);
    expect(order.join(' ')).toBe('0.0 1.0 0.1 2.0 1.1 0.2 3.0 2.1 1.2 4.0 3.1 2.2 4.1 3.2 4.2');
  });

  it('is a valid dependency order for open and closed windows and any lag', () => {
    const cases = [[64, openWindows(64, 16, 4)], [50, openWindows(50, 8, 7)], [48, officialUniformWindows(48, 16, 4, true)]] as const;
    for (const [frames, windows] of cases) {
      const neighbours = windowNeighbours(frames, windows);
      for (const maxLag of [0, 1, 3, Infinity]) assertValid(wavefrontOrder(frames, windows, 6, maxLag), neighbours, 6);
      assertValid(stepMajorOrder(windows.length, 6), neighbours, 6);
    }
  });

  it('maxLag 0 is step-major', () => {
    const windows = openWindows(40, 8, 2);
    expect(wavefrontOrder(40, windows, 4, 0)).toEqual(stepMajorOrder(windows.length, 4));
  });

  it('bounds the ControlNet results in flight', () => {
    const windows = openWindows(200, 16, 4);
    const stepMajor = residualHighWater(200, windows, stepMajorOrder(windows.length, 25));
    const wave = residualHighWater(200, windows, wavefrontOrder(200, windows, 25));
    const wave2 = residualHighWater(200, windows, wavefrontOrder(200, windows, 25, 2));
    console.log(`200 frames, 25 steps, 16/4: peak ControlNet frames held: step-major ${stepMajor}, wavefront ${wave}, wavefront maxLag 2 ${wave2}`);
    expect(stepMajor).toBeLessThanOrEqual(20);
    expect(wave2).toBeLessThanOrEqual(3 * 20);
  });
});

describe('requiredWork', () => {
  it('needs everything for a fresh render and a shrinking cone for a resumed one', () => {
    const windows = openWindows(40, 8, 2); // starts 0 6 12 18 24 30 32
    const all = requiredWork(40, windows, 3, new Set(Array.from({ length: 40 }, (_, i) => i)));
    expect(all.flat().every(Boolean)).toBe(true);
    const tail = requiredWork(40, windows, 3, new Set([39]));
    expect(tail.map((row) => row.map((b) => (b ? 1 : 0)).join(''))).toEqual(['0000111', '0000011', '0000001']);
  });
});
