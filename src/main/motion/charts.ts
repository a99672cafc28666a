// From DensePose chart outputs to the part-index ("I") map of a frame, as the reference tools do:
//   boxesToOriginal   detectron2 modeling/postprocessing.py detector_postprocess (scale, clip, drop empty)
//   intBox            densepose/vis: xywh with w = x1 − x0 in float32, then int() truncation
//   boxLabels         densepose/converters/chart_output_to_chart_result.py
//                     resample_fine_and_coarse_segm_to_bbox: bilinear (align_corners=False, no
//                     antialias) of the 112×112 maps to (max(int h,1), max(int w,1)), argmax (first
//                     max wins), masked by the coarse argmax > 0
//   pasteLabels       densepose/vis/base.py MatrixVisualizer: later boxes overwrite where label > 0
import { clipBoxes, nonEmpty } from './boxes';

const f = Math.fround;

/** Boxes from resized-image px to original px; returns the boxes and the rows that stay. */
export function boxesToOriginal(boxes: Float32Array, resizedH: number, resizedW: number, origH: number, origW: number): { boxes: Float32Array; rows: number[] } {
  const sx = f(origW / resizedW);
  const sy = f(origH / resizedH);
  const out = new Float32Array(boxes.length);
  for (let i = 0; i < boxes.length; i += 4) {
    out[i] = f(boxes[i] * sx);
    out[i + 1] = f(boxes[i + 1] * sy);
    out[i + 2] = f(boxes[i + 2] * sx);
    out[i + 3] = f(boxes[i + 3] * sy);
  }
  clipBoxes(out, origH, origW);
  const rows: number[] = [];
  for (let i = 0; i < out.length / 4; i++) if (nonEmpty(out, i)) rows.push(i);
  return { boxes: out, rows };
}

export interface IntBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

export function xywhFloat(box: ArrayLike<number>): [number, number, number, number] {
  return [box[0], box[1], f(box[2] - box[0]), f(box[3] - box[1])];
}

export function intBox(box: ArrayLike<number>): IntBox {
  const [x, y, w, h] = xywhFloat(box).map(Math.trunc);
  return { x, y, w, h };
}

interface Axis {
  i0: Int32Array;
  i1: Int32Array;
  l0: Float32Array;
  l1: Float32Array;
}

/** torch's compute_indices_weights_linear for one axis (align_corners=False), float32. */
function linearAxis(input: number, output: number): Axis {
  const axis = { i0: new Int32Array(output), i1: new Int32Array(output), l0: new Float32Array(output), l1: new Float32Array(output) };
  const scale = f(input / output);
  for (let o = 0; o < output; o++) {
    if (input === output) {
      axis.i0[o] = axis.i1[o] = o;
      axis.l0[o] = 1;
      continue;
    }
    let src = f(f(scale * f(o + 0.5)) - 0.5);
    if (src < 0) src = 0;
    const i0 = Math.trunc(src);
    axis.i0[o] = i0;
    axis.i1[o] = i0 + (i0 < input - 1 ? 1 : 0);
    axis.l1[o] = Math.min(Math.max(f(src - i0), 0), 1);
    axis.l0[o] = f(1 - axis.l1[o]);
  }
  return axis;
}

/** Argmax over channels of the bilinear resample of `maps` [C, S, S] to (h, w): first max wins. */
function resampledArgmax(maps: Float32Array, channels: number, size: number, h: number, w: number): Uint8Array {
  const ay = linearAxis(size, h);
  const ax = linearAxis(size, w);
  const plane = size * size;
  const best = new Float32Array(h * w).fill(-Infinity);
  const arg = new Uint8Array(h * w);
  for (let c = 0; c < channels; c++) {
    const m = c * plane;
    for (let y = 0; y < h; y++) {
      const r0 = m + ay.i0[y] * size;
      const r1 = m + ay.i1[y] * size;
      for (let x = 0; x < w; x++) {
        const x0 = ax.i0[x];
        const x1 = ax.i1[x];
        const top = f(f(maps[r0 + x0] * ax.l0[x]) + f(maps[r0 + x1] * ax.l1[x]));
        const bottom = f(f(maps[r1 + x0] * ax.l0[x]) + f(maps[r1 + x1] * ax.l1[x]));
        const v = f(f(top * ay.l0[y]) + f(bottom * ay.l1[y]));
        const p = y * w + x;
        if (v > best[p]) {
          best[p] = v;
          arg[p] = c;
        }
      }
    }
  }
  return arg;
}

/** The I map [h, w] of one box from its coarse [2, S, S] and fine [25, S, S] segmentations. */
export function boxLabels(coarse: Float32Array, fine: Float32Array, size: number, box: IntBox): { labels: Uint8Array; h: number; w: number } {
  const h = Math.max(box.h, 1);
  const w = Math.max(box.w, 1);
  const fg = resampledArgmax(coarse, coarse.length / (size * size), size, h, w);
  const labels = resampledArgmax(fine, fine.length / (size * size), size, h, w);
  for (let i = 0; i < labels.length; i++) if (fg[i] === 0) labels[i] = 0;
  return { labels, h, w };
}

/** Pastes `labels` [h, w] at the box into `imap` [H, W] where label > 0 (skips boxes with w or h ≤ 0). */
export function pasteLabels(imap: Uint8Array, height: number, width: number, box: IntBox, labels: Uint8Array): void {
  if (box.w <= 0 || box.h <= 0) return;
  for (let y = 0; y < box.h; y++) {
    const iy = box.y + y;
    if (iy < 0 || iy >= height) continue;
    for (let x = 0; x < box.w; x++) {
      const ix = box.x + x;
      const v = labels[y * box.w + x];
      if (v > 0 && ix >= 0 && ix < width) imap[iy * width + ix] = v;
    }
  }
}
