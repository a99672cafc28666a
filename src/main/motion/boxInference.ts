// Detections from the box head's outputs (detectron2 modeling/roi_heads/fast_rcnn.py
// FastRCNNOutputLayers.inference → fast_rcnn_inference_single_image), for one image and the one
// "person" class: softmax (background is the LAST column), decode with (10, 10, 5, 5), clip to the
// unpadded image, keep score > SCORE_THRESH_TEST, NMS (IoU > NMS_THRESH_TEST), first
// DETECTIONS_PER_IMAGE by score.
import { applyDeltas, batchedNms, clipBoxes, gatherRows } from './boxes';
import type { DensePoseSettings } from './config';

const f = Math.fround;

/** torch.softmax over rows of `cols` values, float32 (exp(x − max) / sum). */
export function softmaxRows(logits: Float32Array, cols: number): Float32Array {
  const out = new Float32Array(logits.length);
  for (let r = 0; r < logits.length; r += cols) {
    let max = -Infinity;
    for (let c = 0; c < cols; c++) max = Math.max(max, logits[r + c]);
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      out[r + c] = f(Math.exp(f(logits[r + c] - max)));
      sum = f(sum + out[r + c]);
    }
    for (let c = 0; c < cols; c++) out[r + c] = f(out[r + c] / sum);
  }
  return out;
}

export interface Detections {
  probs: Float32Array;
  decodedBoxes: Float32Array;
  /** Final boxes in resized-image px, by descending score. */
  boxes: Float32Array;
  scores: Float32Array;
  proposalIndex: Int32Array;
}

export function detect(
  proposals: Float32Array,
  classLogits: Float32Array,
  boxDeltas: Float32Array,
  imageH: number,
  imageW: number,
  s: DensePoseSettings,
): Detections {
  const probs = softmaxRows(classLogits, 2);
  const decodedBoxes = applyDeltas(boxDeltas, proposals, { weights: s.box.weights, scaleClamp: Math.log(1000 / 16) });
  const n = proposals.length / 4;
  const clipped = clipBoxes(decodedBoxes.slice(), imageH, imageW);
  const rows: number[] = [];
  for (let i = 0; i < n; i++) {
    const finite = [0, 1, 2, 3].every((c) => Number.isFinite(decodedBoxes[4 * i + c])) && Number.isFinite(probs[2 * i]);
    if (finite && probs[2 * i] > f(s.box.scoreThresh)) rows.push(i); // torch compares in float32
  }
  const candBoxes = gatherRows(clipped, rows);
  const candScores = Float32Array.from(rows, (i) => probs[2 * i]);
  const keep = batchedNms(candBoxes, candScores, new Int32Array(rows.length), s.box.nmsThresh).slice(0, s.box.detectionsPerImage);
  return {
    probs,
    decodedBoxes,
    boxes: gatherRows(candBoxes, keep),
    scores: Float32Array.from(keep, (k) => candScores[k]),
    proposalIndex: Int32Array.from(keep, (k) => rows[k]),
  };
}
