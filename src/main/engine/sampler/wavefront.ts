// The order in which (window, step) pairs run.
//
// Dependencies: the DDIM step of frame f at step i needs the fused ε of EVERY window covering f
// at step i, and window k at step i + 1 needs the latents of all its frames after step i. So
// (k, i + 1) may run once every window sharing a frame with k has run step i. The official
// loop is step-major (all windows at step 0, then all at step 1, …). With open windows, window
// 0 only waits for its neighbours, so a "wavefront" finishes the first windows — and their final
// frames — long before the last ones, with bit-identical numbers (each frame still fuses the same
// predictions in the same window order).
import type { ContextWindow } from './contextWindows';
import { windowsCoveringFrames } from './contextWindows';

export interface WorkItem {
  window: number;
  step: number;
}

/** The official order: every window at step 0, then every window at step 1, … */
export function stepMajorOrder(windowCount: number, steps: number): WorkItem[] {
  const order: WorkItem[] = [];
  for (let step = 0; step < steps; step++) for (let window = 0; window < windowCount; window++) order.push({ window, step });
  return order;
}

/** For each window, the windows sharing at least one frame with it (itself included), ascending. */
export function windowNeighbours(numFrames: number, windows: readonly ContextWindow[]): number[][] {
  const covering = windowsCoveringFrames(numFrames, windows);
  return windows.map((window) => [...new Set(window.flatMap((frame) => covering[frame]))].sort((a, b) => a - b));
}

/**
 * Greedy wavefront: repeatedly run the lowest-numbered window that is ready, so the earliest
 * windows race ahead as far as their neighbours allow. `maxLag` caps how many steps the leading
 * window may be ahead of the slowest one: state that lives per step in flight (the appearance
 * bank, ControlNet results awaiting their second window) is bounded by maxLag + 1 steps.
 * maxLag 0 gives exactly the step-major order.
 */
export function wavefrontOrder(
  numFrames: number,
  windows: readonly ContextWindow[],
  steps: number,
  maxLag = Number.POSITIVE_INFINITY,
): WorkItem[] {
  const neighbours = windowNeighbours(numFrames, windows);
  const nextStep = new Array<number>(windows.length).fill(0);
  const order: WorkItem[] = [];
  const total = windows.length * steps;
  while (order.length < total) {
    const slowest = Math.min(...nextStep);
    const ready = nextStep.findIndex(
      (step, k) => step < steps && step - slowest <= maxLag && neighbours[k].every((n) => nextStep[n] >= step),
    );
    // The slowest window is always ready, so `ready` is never −1.
    order.push({ window: ready, step: nextStep[ready] });
    nextStep[ready]++;
  }
  return order;
}

/**
 * Resume: which pairs must run so that `neededFrames` come out right. Walking back from the last
 * step, a window is needed at step i if it covers a needed frame (last step) or shares a frame
 * with a window needed at step i + 1. Result: needed[step][window].
 */
export function requiredWork(
  numFrames: number,
  windows: readonly ContextWindow[],
  steps: number,
  neededFrames: ReadonlySet<number>,
): boolean[][] {
  const neighbours = windowNeighbours(numFrames, windows);
  const needed: boolean[][] = Array.from({ length: steps }, () => new Array<boolean>(windows.length).fill(false));
  if (steps === 0) return needed;
  windows.forEach((window, k) => (needed[steps - 1][k] = window.some((frame) => neededFrames.has(frame))));
  for (let step = steps - 2; step >= 0; step--) {
    windows.forEach((_, k) => (needed[step][k] = neighbours[k].some((n) => needed[step + 1][n])));
  }
  return needed;
}

/**
 * The most per-frame ControlNet results alive at once when `order` runs: a result for (frame,
 * step) is made when the first window covering the frame runs that step, and dropped after the
 * last one. For memory estimates and the pipeline's memory test.
 */
export function residualHighWater(numFrames: number, windows: readonly ContextWindow[], order: readonly WorkItem[]): number {
  const covering = windowsCoveringFrames(numFrames, windows);
  const usesLeft = new Map<string, number>();
  let live = 0;
  let peak = 0;
  for (const { window, step } of order) {
    const frames = [...new Set(windows[window])];
    for (const frame of frames) {
      const key = `${frame}@${step}`;
      if (!usesLeft.has(key)) {
        usesLeft.set(key, covering[frame].length);
        live++;
      }
    }
    peak = Math.max(peak, live);
    for (const frame of frames) {
      const key = `${frame}@${step}`;
      const left = (usesLeft.get(key) ?? 0) - 1;
      usesLeft.set(key, left);
      if (left === 0) live--;
    }
  }
  return peak;
}
