// Context windows: which frames each UNet3D call sees. AnimateDiff-v1's temporal attention
// only knows 24 positions, so a long clip is denoised in overlapping windows whose predictions
// are fused per frame (MagicAnimate §3.3, "long video animation").
import { StudioFailure } from '../../../shared/result';

/** 'closed': the official windows, the last one wrapping around to the first frames.
 *  'open': no wrap-around; the last window is aligned to the end of the clip. */
export type WindowMode = 'closed' | 'open';

/** A window is the list of frame indices it covers, in the order the UNet3D sees them. */
export type ContextWindow = readonly number[];

function checkWindowArgs(numFrames: number, size: number, overlap: number): void {
  const ints = [numFrames, size, overlap].every(Number.isInteger);
  if (!ints || numFrames < 1 || size < 1 || overlap < 0 || overlap >= size) {
    throw new StudioFailure(
      'invalid_request',
      `Context windows need frames ≥ 1, size ≥ 1 and 0 ≤ overlap < size; got frames ${numFrames}, size ${size}, overlap ${overlap}.`,
    );
  }
}

/**
 * MagicAnimate's `uniform()` scheduler (magicanimate/pipelines/context.py) as the pipeline calls
 * it: step 0 and context_stride 1, so its `ordered_halving` offset is always 0 and only one
 * stride level exists. Windows start every (size − overlap) frames, from 0 up to numFrames
 * (closedLoop) or numFrames − overlap (not closedLoop), and frame indices wrap modulo numFrames —
 * so even with closedLoop false the last window may wrap. A clip no longer than one window is a
 * single window.
 */
export function officialUniformWindows(numFrames: number, size: number, overlap: number, closedLoop: boolean): ContextWindow[] {
  checkWindowArgs(numFrames, size, overlap);
  if (numFrames <= size) return [range(0, numFrames)];
  const windows: ContextWindow[] = [];
  const stop = numFrames + (closedLoop ? 0 : -overlap);
  for (let start = 0; start < stop; start += size - overlap) {
    windows.push(range(start, start + size).map((frame) => frame % numFrames));
  }
  return windows;
}

/** Windows that never wrap: starts every (size − overlap) frames, the last one ending at the
 *  clip's last frame (so it may overlap its neighbour by more than `overlap`). */
export function openWindows(numFrames: number, size: number, overlap: number): ContextWindow[] {
  checkWindowArgs(numFrames, size, overlap);
  if (numFrames <= size) return [range(0, numFrames)];
  const starts: number[] = [];
  for (let start = 0; start + size < numFrames; start += size - overlap) starts.push(start);
  starts.push(numFrames - size);
  return starts.map((start) => range(start, start + size));
}

export function contextWindows(numFrames: number, size: number, overlap: number, mode: WindowMode): ContextWindow[] {
  return mode === 'closed' ? officialUniformWindows(numFrames, size, overlap, true) : openWindows(numFrames, size, overlap);
}

/** For each frame, the indices of the windows that cover it (ascending). */
export function windowsCoveringFrames(numFrames: number, windows: readonly ContextWindow[]): number[][] {
  const covering: number[][] = Array.from({ length: numFrames }, () => []);
  windows.forEach((window, w) => {
    for (const frame of new Set(window)) covering[frame].push(w);
  });
  const uncovered = covering.findIndex((list) => list.length === 0);
  if (uncovered >= 0) throw new StudioFailure('internal', `No context window covers frame ${uncovered}.`);
  return covering;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
