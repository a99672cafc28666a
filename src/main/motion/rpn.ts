// RPN proposals from the head's raw outputs (detectron2 modeling/proposal_generator/rpn.py
// predict_proposals + proposal_utils.py find_top_rpn_proposals), for one image:
//   1. per level: logits [A, H, W] → (y, x, a) order; deltas [4A, H, W] → (y, x, a, 4); decode every
//      anchor (Box2BoxTransform weights (1,1,1,1)); keep the top min(H·W·A, PRE_NMS_TOPK) by logit;
//   2. concatenate the levels; drop non-finite boxes; clip to the unpadded image; drop empty boxes;
//   3. NMS per level (batched_nms over level ids), then the first POST_NMS_TOPK.
import { applyDeltas, argsortDescending, batchedNms, clipBoxes, gatherRows, nonEmpty } from './boxes';
import type { DensePoseSettings } from './config';

export interface RpnLevel {
  /** [A, H, W] objectness logits. */
  readonly logits: Float32Array;
  /** [4A, H, W] anchor deltas, channel a·4 + (dx, dy, dw, dh). */
  readonly deltas: Float32Array;
  readonly anchors: Float32Array;
  readonly height: number;
  readonly width: number;
  readonly anchorsPerCell: number;
}

export interface Proposals {
  /** Pre-NMS candidates, levels concatenated, each sorted by logit (not yet clipped). */
  prenmsBoxes: Float32Array;
  prenmsLogits: Float32Array;
  prenmsLevel: Int32Array;
  prenmsIndexInLevel: Int32Array;
  boxes: Float32Array;
  logits: Float32Array;
}

/** The (y, x, a)-ordered logits and (y, x, a, 4) deltas of one level. */
function flattenLevel(l: RpnLevel): { logits: Float32Array; deltas: Float32Array } {
  const { height: h, width: w, anchorsPerCell: a } = l;
  const plane = h * w;
  const logits = new Float32Array(plane * a);
  const deltas = new Float32Array(plane * a * 4);
  for (let p = 0; p < plane; p++) {
    for (let k = 0; k < a; k++) {
      logits[p * a + k] = l.logits[k * plane + p];
      for (let c = 0; c < 4; c++) deltas[(p * a + k) * 4 + c] = l.deltas[(k * 4 + c) * plane + p];
    }
  }
  return { logits, deltas };
}

export function findProposals(levels: readonly RpnLevel[], imageH: number, imageW: number, s: DensePoseSettings): Proposals {
  const transform = { weights: s.rpn.weights, scaleClamp: Math.log(1000 / 16) };
  const boxes: number[][] = [];
  const logits: number[] = [];
  const level: number[] = [];
  const index: number[] = [];
  levels.forEach((l, li) => {
    const flat = flattenLevel(l);
    const decoded = applyDeltas(flat.deltas, l.anchors, transform);
    const top = argsortDescending(flat.logits).slice(0, Math.min(flat.logits.length, s.rpn.preNmsTopk));
    for (const i of top) {
      boxes.push(Array.from(decoded.subarray(4 * i, 4 * i + 4)));
      logits.push(flat.logits[i]);
      level.push(li);
      index.push(i);
    }
  });
  const prenmsBoxes = Float32Array.from(boxes.flat());
  const prenmsLogits = Float32Array.from(logits);
  const finite = logits.map((_, i) => i).filter((i) => Number.isFinite(prenmsLogits[i]) && boxes[i].every(Number.isFinite));
  const clipped = clipBoxes(gatherRows(prenmsBoxes, finite), imageH, imageW);
  const kept = finite.map((_, j) => j).filter((j) => nonEmpty(clipped, j, s.rpn.minBoxSize));
  const keptBoxes = gatherRows(clipped, kept);
  const keptLogits = Float32Array.from(kept, (j) => prenmsLogits[finite[j]]);
  const keptLevels = Int32Array.from(kept, (j) => level[finite[j]]);
  const order = batchedNms(keptBoxes, keptLogits, keptLevels, s.rpn.nmsThresh).slice(0, s.rpn.postNmsTopk);
  return {
    prenmsBoxes,
    prenmsLogits,
    prenmsLevel: Int32Array.from(level),
    prenmsIndexInLevel: Int32Array.from(index),
    boxes: gatherRows(keptBoxes, order),
    logits: Float32Array.from(order, (j) => keptLogits[j]),
  };
}
