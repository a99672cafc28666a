// Fusing the windows' predictions per frame. The official pipeline sums every window's
// prediction for a frame and divides by the number of windows covering it ("flat"). We add
// weights that fall off towards a window's edges, so a frame leans on the window where it sits
// in the middle (smoother seams): "pyramid" (a triangle over the whole window) and "linear"
// (weight 1 in the interior, linear ramps across the `overlap` frames at each end).
import type { FuseMode } from '../../../shared/renderParams';
import type { ContextWindow } from './contextWindows';

const f32 = Math.fround;

/** Weight of each position of a window of `length` frames (positive everywhere). */
export function positionWeights(length: number, overlap: number, mode: FuseMode): Float32Array {
  const weights = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const fromStart = i + 1;
    const fromEnd = length - i;
    if (mode === 'flat') weights[i] = 1;
    else if (mode === 'pyramid') weights[i] = Math.min(fromStart, fromEnd);
    else weights[i] = Math.min(1, fromStart / (overlap + 1), fromEnd / (overlap + 1));
  }
  return weights;
}

export function windowWeights(windows: readonly ContextWindow[], overlap: number, mode: FuseMode): Float32Array[] {
  return windows.map((window) => positionWeights(window.length, overlap, mode));
}

/** Σ of the weights every window gives each frame (the divisor of the fusion). */
export function frameWeightTotals(numFrames: number, windows: readonly ContextWindow[], weights: readonly Float32Array[]): Float32Array {
  const totals = new Float32Array(numFrames);
  windows.forEach((window, w) => window.forEach((frame, i) => (totals[frame] = f32(totals[frame] + weights[w][i]))));
  return totals;
}

/** weight / total per window position: for each frame these sum to 1. For inspection and tests. */
export function normalisedWeights(numFrames: number, windows: readonly ContextWindow[], weights: readonly Float32Array[]): number[][] {
  const totals = frameWeightTotals(numFrames, windows, weights);
  return windows.map((window, w) => window.map((frame, i) => weights[w][i] / totals[frame]));
}

/** One window's prediction for one frame: [uncond | cond] halves of n values each. */
export interface FrameContribution {
  weight: number;
  prediction: Float32Array;
}

/**
 * Fuse one frame's contributions (in ascending window order) and apply classifier-free guidance
 * (Ho & Salimans 2022): ε = ε_u + g·(ε_c − ε_u). Float32 in the official order: the sum starts
 * at 0 and adds each window in turn, then divides by the total weight (the window count when flat).
 */
export function fuseAndGuide(contributions: readonly FrameContribution[], guidance: number): Float32Array {
  const n = contributions[0].prediction.length / 2;
  const sum = new Float32Array(2 * n);
  let total = 0;
  for (const { weight, prediction } of contributions) {
    total = f32(total + weight);
    for (let i = 0; i < 2 * n; i++) sum[i] = f32(sum[i] + f32(weight * prediction[i]));
  }
  const g = f32(guidance);
  const eps = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const uncond = f32(sum[i] / total);
    const cond = f32(sum[n + i] / total);
    eps[i] = f32(uncond + f32(g * f32(cond - uncond)));
  }
  return eps;
}
