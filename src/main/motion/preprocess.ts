// detectron2's test-time input path (engine/defaults.py DefaultPredictor.__call__ +
// modeling/meta_arch/rcnn.py GeneralizedRCNN.preprocess_image), for one uint8 BGR frame:
//   1. ResizeShortestEdge.get_output_shape: scale = MIN/min(H, W), capped so the long side ≤ MAX;
//      new size = int(side·scale + 0.5);
//   2. Pillow's BILINEAR resize (antialiased on downscale) of the BGR array (src/main/images);
//   3. float32 (x − mean) / std per channel, CHW, zero-padded bottom/right to a multiple of 32.
import { resizeRgb } from '../images/resample';
import type { DensePoseSettings } from './config';

export interface Frame {
  /** uint8 HWC, BGR. */
  readonly bgr: Uint8Array;
  readonly height: number;
  readonly width: number;
}

export interface Preprocessed {
  resizedBgr: Uint8Array;
  /** Unpadded (h, w): proposals and detections are clipped to it. */
  height: number;
  width: number;
  paddedHeight: number;
  paddedWidth: number;
  /** [1, 3, Hp, Wp]. */
  tensor: Float32Array;
}

export function outputShape(h: number, w: number, shortEdge: number, maxSize: number): [number, number] {
  const size = shortEdge;
  let scale = size / Math.min(h, w);
  let newH: number;
  let newW: number;
  if (h < w) {
    newH = size;
    newW = scale * w;
  } else {
    newH = scale * h;
    newW = size;
  }
  if (Math.max(newH, newW) > maxSize) {
    scale = maxSize / Math.max(newH, newW);
    newH *= scale;
    newW *= scale;
  }
  return [Math.trunc(newH + 0.5), Math.trunc(newW + 0.5)];
}

export function normalisePad(resized: Uint8Array, h: number, w: number, s: DensePoseSettings): Preprocessed {
  const d = s.sizeDivisibility;
  const hp = Math.ceil(h / d) * d;
  const wp = Math.ceil(w / d) * d;
  const tensor = new Float32Array(3 * hp * wp);
  const mean = s.pixelMean.map(Math.fround);
  const std = s.pixelStd.map(Math.fround);
  for (let c = 0; c < 3; c++) {
    const plane = c * hp * wp;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        tensor[plane + y * wp + x] = Math.fround(Math.fround(resized[(y * w + x) * 3 + c] - mean[c]) / std[c]);
      }
    }
  }
  return { resizedBgr: resized, height: h, width: w, paddedHeight: hp, paddedWidth: wp, tensor };
}

export function preprocess(frame: Frame, s: DensePoseSettings): Preprocessed {
  const [h, w] = outputShape(frame.height, frame.width, s.minSizeTest, s.maxSizeTest);
  const resized = h === frame.height && w === frame.width
    ? frame.bgr
    : resizeRgb(frame.bgr, frame.width, frame.height, 3, w, h, 'bilinear');
  return normalisePad(resized, h, w, s);
}
