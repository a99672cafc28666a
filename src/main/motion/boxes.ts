// Box arithmetic of detectron2/torchvision in float32, step by step as the reference computes it
// (Math.fround after every operation), so decoded boxes and IoU decisions match its rounding:
//   cellAnchors / gridAnchors   modeling/anchor_generator.py DefaultAnchorGenerator
//   applyDeltas                 modeling/box_regression.py Box2BoxTransform.apply_deltas
//   clipBoxes / nonEmpty        structures/boxes.py Boxes.clip / nonempty
//   nms / batchedNms            torchvision ops/boxes.py + csrc nms_kernel.cpp (IoU > thr suppresses)
//   assignLevels                modeling/poolers.py assign_boxes_to_levels
// Boxes are flat Float32Arrays of xyxy rows.
const f = Math.fround;

/** Cell anchors [x0, y0, x1, y1] for one level: python doubles, stored as float32. */
export function cellAnchors(sizes: readonly number[], ratios: readonly number[]): Float32Array {
  const out: number[] = [];
  for (const size of sizes) {
    const area = size ** 2;
    for (const ratio of ratios) {
      const w = Math.sqrt(area / ratio);
      const h = ratio * w;
      out.push(-w / 2, -h / 2, w / 2, h / 2);
    }
  }
  return Float32Array.from(out);
}

/** Anchors of one level, row (y·W + x)·A + a, in input pixels. */
export function gridAnchors(cell: Float32Array, height: number, width: number, stride: number, offset: number): Float32Array {
  const a = cell.length / 4;
  const out = new Float32Array(height * width * a * 4);
  let o = 0;
  for (let y = 0; y < height; y++) {
    const sy = f(f(offset * stride) + y * stride);
    for (let x = 0; x < width; x++) {
      const sx = f(f(offset * stride) + x * stride);
      for (let k = 0; k < a; k++) {
        out[o++] = f(sx + cell[4 * k]);
        out[o++] = f(sy + cell[4 * k + 1]);
        out[o++] = f(sx + cell[4 * k + 2]);
        out[o++] = f(sy + cell[4 * k + 3]);
      }
    }
  }
  return out;
}

export interface DeltaWeights {
  readonly weights: readonly [number, number, number, number];
  /** Upper bound of dw/dh before exp (log(1000/16)). */
  readonly scaleClamp: number;
}

/** Decodes row i of `deltas` ([dx, dy, dw, dh]) against row i of `boxes`. */
export function applyDeltas(deltas: Float32Array, boxes: Float32Array, t: DeltaWeights): Float32Array {
  const out = new Float32Array(boxes.length);
  const [wx, wy, ww, wh] = t.weights.map(f);
  const clamp = f(t.scaleClamp);
  for (let i = 0; i < boxes.length; i += 4) {
    const widths = f(boxes[i + 2] - boxes[i]);
    const heights = f(boxes[i + 3] - boxes[i + 1]);
    const ctrX = f(boxes[i] + f(0.5 * widths));
    const ctrY = f(boxes[i + 1] + f(0.5 * heights));
    const dx = f(deltas[i] / wx);
    const dy = f(deltas[i + 1] / wy);
    const dw = Math.min(f(deltas[i + 2] / ww), clamp);
    const dh = Math.min(f(deltas[i + 3] / wh), clamp);
    const px = f(f(dx * widths) + ctrX);
    const py = f(f(dy * heights) + ctrY);
    const pw = f(f(Math.exp(dw)) * widths);
    const ph = f(f(Math.exp(dh)) * heights);
    out[i] = f(px - f(0.5 * pw));
    out[i + 1] = f(py - f(0.5 * ph));
    out[i + 2] = f(px + f(0.5 * pw));
    out[i + 3] = f(py + f(0.5 * ph));
  }
  return out;
}

/** Clamps x to [0, width] and y to [0, height], in place. */
export function clipBoxes(boxes: Float32Array, height: number, width: number): Float32Array {
  for (let i = 0; i < boxes.length; i += 4) {
    boxes[i] = Math.min(Math.max(boxes[i], 0), width);
    boxes[i + 1] = Math.min(Math.max(boxes[i + 1], 0), height);
    boxes[i + 2] = Math.min(Math.max(boxes[i + 2], 0), width);
    boxes[i + 3] = Math.min(Math.max(boxes[i + 3], 0), height);
  }
  return boxes;
}

export const nonEmpty = (boxes: Float32Array, i: number, threshold = 0): boolean =>
  f(boxes[4 * i + 2] - boxes[4 * i]) > threshold && f(boxes[4 * i + 3] - boxes[4 * i + 1]) > threshold;

/** Indices sorted by descending score; equal scores keep their order (torch's stable sort). */
export function argsortDescending(scores: ArrayLike<number>, indices?: readonly number[]): number[] {
  const order = indices ? [...indices] : Array.from({ length: scores.length }, (_, i) => i);
  return order.sort((a, b) => scores[b] - scores[a] || a - b);
}

export function gatherRows(boxes: Float32Array, rows: readonly number[], width = 4): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, i) => out.set(boxes.subarray(r * width, r * width + width), i * width));
  return out;
}

/** torchvision nms: kept indices, by descending score. `rows` restricts it to a subset. */
export function nms(boxes: Float32Array, scores: ArrayLike<number>, threshold: number, rows?: readonly number[]): number[] {
  const order = argsortDescending(scores, rows);
  const suppressed = new Uint8Array(scores.length);
  const keep: number[] = [];
  const area = (i: number) => f(f(boxes[4 * i + 2] - boxes[4 * i]) * f(boxes[4 * i + 3] - boxes[4 * i + 1]));
  for (let a = 0; a < order.length; a++) {
    const i = order[a];
    if (suppressed[i]) continue;
    keep.push(i);
    const [x1, y1, x2, y2] = [boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3]];
    const iArea = area(i);
    for (let b = a + 1; b < order.length; b++) {
      const j = order[b];
      if (suppressed[j]) continue;
      const w = Math.max(0, f(Math.min(x2, boxes[4 * j + 2]) - Math.max(x1, boxes[4 * j])));
      const h = Math.max(0, f(Math.min(y2, boxes[4 * j + 3]) - Math.max(y1, boxes[4 * j + 1])));
      const inter = f(w * h);
      if (f(inter / f(f(iArea + area(j)) - inter)) > threshold) suppressed[j] = 1;
    }
  }
  return keep;
}

/**
 * torchvision batched_nms: NMS within each group. Above 4000 coordinates (CPU) it loops over the
 * groups and sorts the union by score; below, it offsets each group's boxes by group·(max + 1) and
 * runs one NMS (the offset changes float rounding, so both paths are reproduced).
 */
export function batchedNms(boxes: Float32Array, scores: ArrayLike<number>, groups: ArrayLike<number>, threshold: number): number[] {
  const n = scores.length;
  if (n === 0) return [];
  if (n * 4 > 4000) {
    const byGroup = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const list = byGroup.get(groups[i]) ?? [];
      list.push(i);
      byGroup.set(groups[i], list);
    }
    const kept: number[] = [];
    for (const rows of byGroup.values()) kept.push(...nms(boxes, scores, threshold, rows));
    return argsortDescending(scores, kept.sort((a, b) => a - b));
  }
  let max = -Infinity;
  for (let i = 0; i < boxes.length; i++) max = Math.max(max, boxes[i]);
  const shifted = new Float32Array(boxes.length);
  for (let i = 0; i < n; i++) {
    const offset = f(groups[i] * f(max + 1));
    for (let c = 0; c < 4; c++) shifted[4 * i + c] = f(boxes[4 * i + c] + offset);
  }
  return nms(shifted, scores, threshold);
}

export interface LevelRule {
  readonly canonicalBoxSize: number;
  readonly canonicalLevel: number;
  readonly minLevel: number;
  readonly maxLevel: number;
}

/** FPN paper eq. (1): floor(k0 + log2(sqrt(area)/224 + 1e-8)), clamped, minus the first level. */
export function assignLevels(boxes: Float32Array, rule: LevelRule): Int32Array {
  const out = new Int32Array(boxes.length / 4);
  for (let i = 0; i < out.length; i++) {
    const size = f(Math.sqrt(f(f(boxes[4 * i + 2] - boxes[4 * i]) * f(boxes[4 * i + 3] - boxes[4 * i + 1]))));
    const level = Math.floor(f(rule.canonicalLevel + f(Math.log2(f(f(size / rule.canonicalBoxSize) + f(1e-8))))));
    out[i] = Math.min(Math.max(level, rule.minLevel), rule.maxLevel) - rule.minLevel;
  }
  return out;
}
