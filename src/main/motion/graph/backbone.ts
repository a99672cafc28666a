// The image-level graph of densepose_rcnn_R_50_FPN: ResNet bottom-up (detectron2 modeling/backbone/
// resnet.py: BasicStem + BottleneckBlocks, stride in the first 1x1, FrozenBN folded), FPN P2–P6
// (fpn.py: lateral 1x1, nearest ×2 top-down, sum, 3x3 output; LastLevelMaxPool), the StandardRPNHead
// on every level (rpn.py), and the DensePose Decoder (densepose/modeling/roi_heads/roi_head.py:
// per level conv3x3+ReLU [+ bilinear ×2] down to stride 4, summed, 1x1 predictor).
//
//   in : images  [1, 3, 32*h, 32*w]  (resized − PIXEL_MEAN) / PIXEL_STD, BGR, zero-padded
//   out: res2..res5, p2..p6, rpn_logits_p2..p6 [1, A, Hl, Wl], rpn_deltas_p2..p6 [1, 4A, Hl, Wl],
//        decoder_out [1, DECODER_NUM_CLASSES, 8*h, 8*w]
//
// Depths and widths come from the checkpoint's keys and shapes (3-4-6-3 for R-50, 3-4-23-3 for R-101).
import { GraphBuilder, GraphBuildError, type Tensor } from '../../compiler/onnx/graph';
import * as ops from '../../compiler/onnx/ops';
import type { WeightSource } from '../../compiler/weights/source';
import { convLayer, frozenBnConv, maxPool, relu, upsample2x } from './layers';

const BOTTOM_UP = 'backbone.bottom_up';
export const RES_STAGES = ['res2', 'res3', 'res4', 'res5'] as const;
export const FPN_LEVELS = ['p2', 'p3', 'p4', 'p5', 'p6'] as const;
/** Strides of p2..p6. */
export const FPN_STRIDES = [4, 8, 16, 32, 64] as const;

/** Blocks per ResNet stage, counted from the checkpoint's keys. */
export function stageDepths(w: WeightSource): number[] {
  return RES_STAGES.map((stage) => {
    let n = 0;
    while (w.has(`${BOTTOM_UP}.${stage}.${n}.conv1.weight`)) n++;
    if (n === 0) throw new GraphBuildError(`${w.name}: no blocks for ${stage} (${BOTTOM_UP}.${stage}.0.conv1.weight missing)`);
    return n;
  });
}

function bottleneck(g: GraphBuilder, w: WeightSource, key: string, x: Tensor, stride: number): Tensor {
  // STRIDE_IN_1X1 = True (MSRA weights): the stride sits in conv1, conv2 is 3x3 pad 1.
  const shortcut = w.has(`${key}.shortcut.weight`) ? frozenBnConv(g, w, `${key}.shortcut`, x, { stride }) : x;
  let y = relu(g, frozenBnConv(g, w, `${key}.conv1`, x, { stride }));
  y = relu(g, frozenBnConv(g, w, `${key}.conv2`, y, { pad: 1 }));
  y = frozenBnConv(g, w, `${key}.conv3`, y);
  return relu(g, ops.add(g, y, shortcut));
}

function resnet(g: GraphBuilder, w: WeightSource, images: Tensor): Tensor[] {
  let x = relu(g, frozenBnConv(g, w, `${BOTTOM_UP}.stem.conv1`, images, { stride: 2, pad: 3 }));
  x = maxPool(g, x, 3, 2, 1);
  const outs: Tensor[] = [];
  stageDepths(w).forEach((depth, s) => {
    for (let b = 0; b < depth; b++) {
      x = bottleneck(g, w, `${BOTTOM_UP}.${RES_STAGES[s]}.${b}`, x, b === 0 && s > 0 ? 2 : 1);
    }
    outs.push(x);
  });
  return outs;
}

function fpn(g: GraphBuilder, w: WeightSource, res: Tensor[]): Tensor[] {
  const out: Tensor[] = new Array(4);
  let prev = convLayer(g, w, 'backbone.fpn_lateral5', res[3]);
  out[3] = convLayer(g, w, 'backbone.fpn_output5', prev, { pad: 1 });
  for (let i = 2; i >= 0; i--) {
    const lateral = convLayer(g, w, `backbone.fpn_lateral${i + 2}`, res[i]);
    prev = ops.add(g, lateral, upsample2x(g, prev, 'nearest'));
    out[i] = convLayer(g, w, `backbone.fpn_output${i + 2}`, prev, { pad: 1 });
  }
  return [...out, maxPool(g, out[3], 1, 2, 0)];
}

function rpnHead(g: GraphBuilder, w: WeightSource, p: Tensor): [Tensor, Tensor] {
  const t = relu(g, convLayer(g, w, 'proposal_generator.rpn_head.conv', p, { pad: 1 }));
  return [
    convLayer(g, w, 'proposal_generator.rpn_head.objectness_logits', t),
    convLayer(g, w, 'proposal_generator.rpn_head.anchor_deltas', t),
  ];
}

/** Convs per decoder level: max(1, log2(stride) − log2(common stride)), from the keys. */
function decoder(g: GraphBuilder, w: WeightSource, p: Tensor[]): Tensor {
  let sum: Tensor | null = null;
  p.slice(0, 4).forEach((level, i) => {
    const base = `roi_heads.decoder.p${i + 2}`;
    let x = level;
    for (let k = 0; w.has(`${base}.${2 * k}.weight`); k++) {
      x = relu(g, convLayer(g, w, `${base}.${2 * k}`, x, { pad: 1 }));
      if (i > 0) x = upsample2x(g, x, 'bilinear');
    }
    if (x === level) throw new GraphBuildError(`${w.name}: missing decoder weights ${base}.0.weight`);
    sum = sum ? ops.add(g, sum, x) : x;
  });
  return convLayer(g, w, 'roi_heads.decoder.predictor', sum as unknown as Tensor);
}

export function buildBackbone(w: WeightSource): GraphBuilder {
  const g = new GraphBuilder('densepose_backbone');
  const images = g.input('images', 'float32', [1, 3, '32*h', '32*w']);
  const res = resnet(g, w, images);
  res.forEach((t, i) => g.output(t, RES_STAGES[i]));
  const p = fpn(g, w, res);
  p.forEach((t, i) => g.output(t, FPN_LEVELS[i]));
  p.forEach((t, i) => {
    const [logits, deltas] = rpnHead(g, w, t);
    g.output(logits, `rpn_logits_${FPN_LEVELS[i]}`);
    g.output(deltas, `rpn_deltas_${FPN_LEVELS[i]}`);
  });
  g.output(decoder(g, w, p), 'decoder_out');
  return g;
}
