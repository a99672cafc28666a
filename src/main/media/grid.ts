// Pure builders of the export's compositing graphs (media/encode.ts `compose`):
//   - 'result' at another size: the rendered frames scaled to fit, with bars;
//   - 'grid': reference | DensePose | result side by side, each cell the same size, like the
//     official MagicAnimate demo's grid (it stacks the reference, the control and the output).
// Input 0 is always the job's frame sequence; every branch is retimed to frame n ↔ n / fps, so
// sources with different rates (a 25 fps clip, a still image) line up frame by frame.
import { fitFilter, type FitMode } from './filters';

export interface CellSize {
  width: number;
  height: number;
}

export interface Composition {
  inputs: string[][];
  graph: string;
}

/** "512x768" → { width: 512, height: 768 }. */
export function parseSize(text: string): CellSize {
  const [width, height] = text.split('x').map(Number);
  return { width, height };
}

// Every branch gets the same time base and the integer timestamps 0, 1, 2…, so hstack pairs frame n
// of each input exactly. NOTE: not `setpts=N/fps/TB`: in a fine time base (mp4's 1/12800) the
// division rounds some timestamps down by one tick (29/25 s → 14847, not 14848), hstack then
// emits extra mismatched frames and the encoder's constant-rate timing drops and repeats frames.
const retime = (fps: number) => `settb=1/${fps},setpts=N`;

/** The rendered frames scaled (aspect kept, padded) to `size`. */
export function resultComposition(size: CellSize, fps: number): Composition {
  return { inputs: [], graph: `[0:v]${retime(fps)},${fitFilter({ ...size, fit: 'pad' })}[composed]` };
}

export interface GridSpec {
  cell: CellSize;
  /** How the render fitted its inputs: the reference and DensePose cells show what the model saw. */
  fit: FitMode;
  fps: number;
  /** Frames in the export. */
  count: number;
  referencePath: string;
  motionPath: string;
  /** Motion clip frame shown beside export frame 0. */
  motionStart: number;
}

/**
 * reference (a still, repeated) | DensePose (clip frames motionStart…, the last one held if the
 * clip is shorter, as the official code edge-pads) | result, all `cell`-sized.
 */
export function gridComposition(spec: GridSpec): Composition {
  const { cell, fit, fps, count, motionStart } = spec;
  const fitted = fitFilter({ ...cell, fit });
  const graph = [
    `[1:v]trim=end_frame=${count},${retime(fps)},${fitted}[ref]`,
    `[2:v]trim=start_frame=${motionStart}:end_frame=${motionStart + count},${retime(fps)},` +
      `tpad=stop_mode=clone:stop=${count},trim=end_frame=${count},${fitted}[pose]`,
    `[0:v]${retime(fps)},${fitFilter({ ...cell, fit: 'pad' })}[out]`,
    '[ref][pose][out]hstack=inputs=3:shortest=1[composed]',
  ].join(';');
  return {
    inputs: [
      ['-loop', '1', '-framerate', String(fps), '-i', spec.referencePath],
      ['-i', spec.motionPath],
    ],
    graph,
  };
}
