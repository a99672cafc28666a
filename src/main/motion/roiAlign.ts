// RoIAlign as torchvision's CPU kernel computes it (csrc/ops/cpu/roi_align_kernel.cpp), which
// detectron2's ROIAlign layer calls: sample positions and bilinear weights in float32, once per box
// and shared by every channel; samples outside [-1, size] count as 0; aligned=False (POOLER_TYPE
// ROIAlign) has no −0.5 shift and forces boxes to at least 1×1. The sum of a bin's samples is kept
// in double and rounded once (the reference accumulates in float: ~1e-7 relative apart).
//
// The multi-level pooler (modeling/poolers.py ROIPooler) is roiAlignLevels: each box reads the FPN
// level assignLevels gave it.
const f = Math.fround;

export interface FeatureMap {
  readonly data: Float32Array;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
}

export interface RoiAlignOptions {
  readonly resolution: number;
  readonly samplingRatio: number;
  readonly aligned: boolean;
}

interface Tap {
  pos: Int32Array;
  w: Float32Array;
}

function sampleTaps(box: ArrayLike<number>, scale: number, map: FeatureMap, o: RoiAlignOptions, grid: [number, number]): Tap {
  const { height, width } = map;
  const offset = o.aligned ? 0.5 : 0;
  const startW = f(f(box[0] * scale) - offset);
  const startH = f(f(box[1] * scale) - offset);
  let roiW = f(f(f(box[2] * scale) - offset) - startW);
  let roiH = f(f(f(box[3] * scale) - offset) - startH);
  if (!o.aligned) {
    roiW = Math.max(roiW, 1);
    roiH = Math.max(roiH, 1);
  }
  const binH = f(roiH / o.resolution);
  const binW = f(roiW / o.resolution);
  const [gridH, gridW] = grid;
  const n = o.resolution * o.resolution * gridH * gridW;
  const pos = new Int32Array(4 * n);
  const w = new Float32Array(4 * n);
  let t = 0;
  for (let ph = 0; ph < o.resolution; ph++) {
    for (let pw = 0; pw < o.resolution; pw++) {
      for (let iy = 0; iy < gridH; iy++) {
        const yy = f(f(startH + f(ph * binH)) + f(f(f(iy + 0.5) * binH) / gridH));
        for (let ix = 0; ix < gridW; ix++, t += 4) {
          let x = f(f(startW + f(pw * binW)) + f(f(f(ix + 0.5) * binW) / gridW));
          let y = yy;
          if (y < -1 || y > height || x < -1 || x > width) continue; // weights stay 0
          if (y <= 0) y = 0;
          if (x <= 0) x = 0;
          let yLow = Math.trunc(y);
          let xLow = Math.trunc(x);
          let yHigh: number;
          let xHigh: number;
          if (yLow >= height - 1) {
            yHigh = yLow = height - 1;
            y = yLow;
          } else yHigh = yLow + 1;
          if (xLow >= width - 1) {
            xHigh = xLow = width - 1;
            x = xLow;
          } else xHigh = xLow + 1;
          const ly = f(y - yLow);
          const lx = f(x - xLow);
          const hy = f(1 - ly);
          const hx = f(1 - lx);
          pos[t] = yLow * width + xLow;
          pos[t + 1] = yLow * width + xHigh;
          pos[t + 2] = yHigh * width + xLow;
          pos[t + 3] = yHigh * width + xHigh;
          w[t] = f(hy * hx);
          w[t + 1] = f(hy * lx);
          w[t + 2] = f(ly * hx);
          w[t + 3] = f(ly * lx);
        }
      }
    }
  }
  return { pos, w };
}

/** Pools box `box` (xyxy, input px) of `map` at `scale` into out[outOffset ..] as [C, R, R]. */
export function roiAlignOne(map: FeatureMap, box: ArrayLike<number>, scale: number, o: RoiAlignOptions, out: Float32Array, outOffset: number): void {
  const grid: [number, number] = o.samplingRatio > 0
    ? [o.samplingRatio, o.samplingRatio]
    : [Math.ceil((box[3] - box[1]) * scale / o.resolution), Math.ceil((box[2] - box[0]) * scale / o.resolution)];
  const { pos, w } = sampleTaps(box, scale, map, o, grid);
  const bins = o.resolution * o.resolution;
  const perBin = grid[0] * grid[1];
  const count = Math.max(perBin, 1);
  const plane = map.height * map.width;
  for (let c = 0; c < map.channels; c++) {
    const base = c * plane;
    const src = map.data;
    const dst = outOffset + c * bins;
    for (let b = 0, t = 0; b < bins; b++) {
      let sum = 0;
      for (let s = 0; s < perBin; s++, t += 4) {
        sum += w[t] * src[base + pos[t]] + w[t + 1] * src[base + pos[t + 1]] + w[t + 2] * src[base + pos[t + 2]] + w[t + 3] * src[base + pos[t + 3]];
      }
      out[dst + b] = sum / count;
    }
  }
}

/** ROIPooler over several levels: box i reads levels[level[i]] at scales[level[i]]. Output [N, C, R, R]. */
export function roiAlignLevels(
  maps: readonly FeatureMap[],
  scales: readonly number[],
  boxes: Float32Array,
  level: Int32Array | null,
  o: RoiAlignOptions,
): Float32Array {
  const n = boxes.length / 4;
  const channels = maps[0].channels;
  const size = channels * o.resolution * o.resolution;
  const out = new Float32Array(n * size);
  for (let i = 0; i < n; i++) {
    const l = level ? level[i] : 0;
    roiAlignOne(maps[l], boxes.subarray(4 * i, 4 * i + 4), scales[l], o, out, i * size);
  }
  return out;
}
