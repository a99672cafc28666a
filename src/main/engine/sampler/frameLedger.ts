// Per-frame bookkeeping of the sampling loop: which step each frame's latents are at, and the
// window predictions collected for it at that step. A frame takes its DDIM step once every
// window that covers it has delivered its prediction for the current step.
import type { ContextWindow } from './contextWindows';
import { fuseAndGuide, type FrameContribution } from './fuseWeights';

export type FrameReady =
  | { frame: number; kind: 'fused'; eps: Float32Array }
  /** Some covering windows were skipped (resume): the frame's value no longer matters. */
  | { frame: number; kind: 'stale' };

export class FrameLedger {
  /** Steps completed by each frame (0 … steps). */
  readonly level: Int32Array;
  private readonly slots: (FrameContribution | undefined)[][];
  private readonly filled: Int32Array;
  private readonly stale = new Set<number>();

  constructor(
    private readonly covering: readonly (readonly number[])[],
    private readonly windows: readonly ContextWindow[],
    private readonly weights: readonly Float32Array[],
    /** required[step][window]: whether that pair runs at all. */
    private readonly required: readonly (readonly boolean[])[],
  ) {
    this.level = new Int32Array(covering.length);
    this.slots = covering.map((list) => new Array(list.length).fill(undefined));
    this.filled = new Int32Array(covering.length);
  }

  /** Record window `w`'s prediction for the frame at position j of the window, at `step`. */
  add(w: number, j: number, step: number, prediction: Float32Array, guidance: number): FrameReady | null {
    const frame = this.windows[w][j];
    if (this.level[frame] !== step) {
      throw new Error(`ordering bug: window ${w} ran step ${step} on frame ${frame} which is at step ${this.level[frame]}`);
    }
    const slot = this.covering[frame].indexOf(w);
    this.slots[frame][slot] = { weight: this.weights[w][j], prediction };
    this.filled[frame]++;
    const expected = this.covering[frame].filter((k) => this.required[step][k]).length;
    if (this.filled[frame] < expected) return null;
    // Contributions are fused in ascending window order, whatever order they arrived in.
    const contributions = this.slots[frame].filter((c): c is FrameContribution => c !== undefined);
    this.slots[frame].fill(undefined);
    this.filled[frame] = 0;
    this.level[frame]++;
    if (expected < this.covering[frame].length) {
      this.stale.add(frame);
      return { frame, kind: 'stale' };
    }
    return { frame, kind: 'fused', eps: fuseAndGuide(contributions, guidance) };
  }

  /** Throws unless every frame is at `step` with valid latents (guards the work order). */
  assertCurrent(frames: readonly number[], step: number): void {
    for (const frame of frames) {
      if (this.level[frame] !== step || this.stale.has(frame)) {
        throw new Error(`ordering bug: frame ${frame} is at step ${this.level[frame]}${this.stale.has(frame) ? ' (stale)' : ''}, needed at ${step}`);
      }
    }
  }

  /** Steps completed by every frame in `frames`. */
  minLevel(frames: Iterable<number>): number {
    let min = Number.POSITIVE_INFINITY;
    for (const frame of frames) min = Math.min(min, this.level[frame]);
    return Number.isFinite(min) ? min : 0;
  }
}
