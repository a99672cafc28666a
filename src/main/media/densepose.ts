// Does a motion clip look like a DensePose rendering? MagicAnimate's DensePose clips colour the body
// with matplotlib's viridis colormap on a viridis(0) = RGB(68,1,84) background. A clip that fails
// the check is still accepted; the importer adds a WARNING, because the model will animate whatever
// it is given, only badly.
import path from 'node:path';
import { readVideoFrames, type FfmpegHandle } from './rawFrames';

/** viridis(0): the DensePose background. */
export const DENSEPOSE_BACKGROUND = [68, 1, 84] as const;

// viridis sampled at 0, 1/8, …, 1 (matplotlib's published colormap); pixels are compared with the
// polyline through these points, which is within a few levels of the full 256-entry table.
const VIRIDIS_ANCHORS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84], [72, 36, 117], [59, 82, 139], [44, 114, 142], [33, 145, 140],
  [40, 174, 128], [94, 201, 98], [173, 220, 48], [253, 231, 37],
];

/** Tolerances absorb video compression and the blur of scaling down to the analysis size. */
const BACKGROUND_TOLERANCE = 30;
const PALETTE_TOLERANCE = 40;
export const MIN_BACKGROUND_FRACTION = 0.15;
export const MIN_PALETTE_FRACTION = 0.9;

export interface PaletteStats {
  /** Share of pixels near the DensePose background colour. */
  backgroundFraction: number;
  /** Share of pixels near the viridis curve (background included). */
  paletteFraction: number;
  pixels: number;
}

function distanceToSegmentSq(p: readonly number[], a: readonly number[], b: readonly number[]): number {
  const ab = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
  const ap = [p[0] - a[0], p[1] - a[1], p[2] - a[2]];
  const len = ab[0] ** 2 + ab[1] ** 2 + ab[2] ** 2;
  const t = Math.max(0, Math.min(1, (ap[0] * ab[0] + ap[1] * ab[1] + ap[2] * ab[2]) / len));
  return (ap[0] - t * ab[0]) ** 2 + (ap[1] - t * ab[1]) ** 2 + (ap[2] - t * ab[2]) ** 2;
}

/** Distance in RGB units from a colour to the viridis curve. */
export function viridisDistance(rgb: readonly number[]): number {
  let best = Infinity;
  for (let i = 0; i + 1 < VIRIDIS_ANCHORS.length; i++) {
    best = Math.min(best, distanceToSegmentSq(rgb, VIRIDIS_ANCHORS[i], VIRIDIS_ANCHORS[i + 1]));
  }
  return Math.sqrt(best);
}

/** Pure: accumulate palette statistics over RGB24 frames. */
export function paletteStats(frames: Iterable<Uint8Array>): PaletteStats {
  let pixels = 0;
  let background = 0;
  let palette = 0;
  const [br, bg, bb] = DENSEPOSE_BACKGROUND;
  for (const frame of frames) {
    for (let i = 0; i + 2 < frame.length; i += 3) {
      const rgb = [frame[i], frame[i + 1], frame[i + 2]];
      pixels += 1;
      if (Math.hypot(rgb[0] - br, rgb[1] - bg, rgb[2] - bb) <= BACKGROUND_TOLERANCE) background += 1;
      if (viridisDistance(rgb) <= PALETTE_TOLERANCE) palette += 1;
    }
  }
  return {
    backgroundFraction: pixels ? background / pixels : 0,
    paletteFraction: pixels ? palette / pixels : 0,
    pixels,
  };
}

/** A warning for the person, or null when the statistics look like DensePose. */
export function denseposeWarning(name: string, stats: PaletteStats): string | null {
  if (stats.backgroundFraction >= MIN_BACKGROUND_FRACTION && stats.paletteFraction >= MIN_PALETTE_FRACTION) return null;
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  return (
    `${name} does not look like a DensePose clip (${pct(stats.backgroundFraction)} of pixels have the DensePose ` +
    `background RGB(68,1,84), ${pct(stats.paletteFraction)} are viridis colours; expected at least ` +
    `${pct(MIN_BACKGROUND_FRACTION)} and ${pct(MIN_PALETTE_FRACTION)}). MagicAnimate needs a DensePose rendering of ` +
    'the motion, not the original video: run DensePose (e.g. detectron2 + vid2densepose) on it first.'
  );
}

/** The edge: sample the first frames of a clip at 64×64 and check them. */
export async function checkDensePose(ffmpeg: FfmpegHandle, file: string, signal?: AbortSignal): Promise<{ warning: string | null; stats: PaletteStats }> {
  const sampled: Uint8Array[] = [];
  let index = 0;
  for await (const frame of readVideoFrames(ffmpeg, file, { width: 64, height: 64, fit: 'stretch', count: 48, signal })) {
    if (index % 4 === 0) sampled.push(frame); // 12 frames of 12 KB: small, and spread over ~2 s
    index += 1;
  }
  const stats = paletteStats(sampled);
  return { warning: denseposeWarning(path.basename(file), stats), stats };
}
