// The per-box graphs. RoIAlign runs in TypeScript between the graphs (poolers.ts), so both take
// pooled features with a symbolic box count.
//
//   buildBoxHead:  pooled [rois, C, 7, 7] → head_out [rois, FC] (FastRCNNConvFCHead: flatten, fc1,
//                  ReLU, fc2, ReLU) → class_logits [rois, K+1] (background LAST), box_deltas [rois, 4K]
//   buildDensePoseHead: pooled [rois, C, 28, 28] → head_out (DensePoseV1ConvXHead: N × conv3x3+ReLU)
//                  → DensePoseChartPredictor: 4 × ConvTranspose2d(k4, s2, p1) (the *_lowres outputs)
//                  → bilinear ×UP_SCALE (align_corners=False): coarse_segm, fine_segm, u, v
import { GraphBuilder, GraphBuildError, type Tensor } from '../../compiler/onnx/graph';
import { staticDim } from '../../compiler/onnx/shape';
import type { WeightSource } from '../../compiler/weights/source';
import { convLayer, convTranspose, relu, upsample2x } from './layers';

function gemm(g: GraphBuilder, w: WeightSource, key: string, x: Tensor): Tensor {
  const shape = w.shape(`${key}.weight`);
  if (!shape || shape.length !== 2) throw new GraphBuildError(`${w.name}: missing linear weight "${key}.weight"`);
  const inF = staticDim(x.shape[1], key, 'linear input features');
  const weight = g.weight(w.take(`${key}.weight`, [shape[0], inF]));
  const bias = g.weight(w.take(`${key}.bias`, [shape[0]]));
  return g.scope(key, () => g.node('Gemm', [x, weight, bias], [{ dtype: 'float32', shape: [x.shape[0], shape[0]] }], { transB: 1 })[0]);
}

export function buildBoxHead(w: WeightSource, channels: number, resolution: number): GraphBuilder {
  const g = new GraphBuilder('densepose_box_head');
  const pooled = g.input('pooled', 'float32', ['rois', channels, resolution, resolution]);
  const flat = g.node('Flatten', [pooled], [{ dtype: 'float32', shape: ['rois', channels * resolution * resolution] }], { axis: 1 })[0];
  let x = flat;
  for (let i = 1; w.has(`roi_heads.box_head.fc${i}.weight`); i++) x = relu(g, gemm(g, w, `roi_heads.box_head.fc${i}`, x));
  if (x === flat) throw new GraphBuildError(`${w.name}: missing roi_heads.box_head.fc1.weight`);
  g.output(x, 'head_out');
  g.output(gemm(g, w, 'roi_heads.box_predictor.cls_score', x), 'class_logits');
  g.output(gemm(g, w, 'roi_heads.box_predictor.bbox_pred', x), 'box_deltas');
  return g;
}

export const CHART_OUTPUTS = [
  ['ann_index_lowres', 'coarse_segm'],
  ['index_uv_lowres', 'fine_segm'],
  ['u_lowres', 'u'],
  ['v_lowres', 'v'],
] as const;

export function buildDensePoseHead(w: WeightSource, channels: number, resolution: number, upScale: number): GraphBuilder {
  if (upScale !== 2) throw new GraphBuildError(`UP_SCALE ${upScale} is not supported (the DensePose configs use 2)`);
  const g = new GraphBuilder('densepose_head');
  const pooled = g.input('pooled', 'float32', ['rois', channels, resolution, resolution]);
  let x = pooled;
  for (let i = 1; w.has(`roi_heads.densepose_head.body_conv_fcn${i}.weight`); i++) {
    const k = w.shape(`roi_heads.densepose_head.body_conv_fcn${i}.weight`)?.[2] ?? 3;
    x = relu(g, convLayer(g, w, `roi_heads.densepose_head.body_conv_fcn${i}`, x, { pad: Math.floor(k / 2) }));
  }
  if (x === pooled) throw new GraphBuildError(`${w.name}: missing roi_heads.densepose_head.body_conv_fcn1.weight`);
  g.output(x, 'head_out');
  for (const [lowres, name] of CHART_OUTPUTS) {
    const y = convTranspose(g, w, `roi_heads.densepose_predictor.${lowres}`, x);
    g.output(y, lowres);
    g.output(upsample2x(g, y, 'bilinear'), name);
  }
  return g;
}
