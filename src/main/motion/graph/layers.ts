// Layers of the DensePose R-CNN graphs over the project's GraphBuilder. The backbone runs on any
// padded input size (a multiple of 32), so spatial dims are symbolic ("32*h"); the shape rule here
// knows that a "same"-padded stride-s conv of a dim divisible by s gives dim/s, which the generic
// ops.conv cannot assume.
//   convLayer(g, w, key, x, { stride, pad, bias })     nn.Conv2d (torch layout [out, in, k, k])
//   frozenBnConv(g, w, key, x, { stride, pad })        detectron2 Conv2d + FrozenBatchNorm2d, folded
//   relu, maxPool, upsample(nearest | bilinear, ×2), convTranspose (k4 s2 p1)
import { GraphBuildError, type Dim, type GraphBuilder, type Tensor } from '../../compiler/onnx/graph';
import { divDim, mulDims, staticDim } from '../../compiler/onnx/shape';
import type { TensorRef, WeightSource } from '../../compiler/weights/source';
import { elementCount } from '../../compiler/weights/tableSource';

/** detectron2 FrozenBatchNorm2d eps. */
export const FROZEN_BN_EPS = 1e-5;

function spatialDim(d: Dim, kernel: number, stride: number, pad: number, where: string): Dim {
  if (typeof d === 'number') return Math.floor((d + 2 * pad - kernel) / stride) + 1;
  const same = 2 * pad === kernel - 1;
  if (same && stride === 1) return d;
  if (same) {
    try {
      return divDim(d, stride);
    } catch {
      /* fall through */
    }
  }
  throw new GraphBuildError(`${where}: cannot infer the size of a ${kernel}x${kernel}/${stride} window on dim ${d}`);
}

function take(w: WeightSource, key: string, shape: readonly number[]): TensorRef {
  return w.take(key, shape);
}

export interface ConvOpts {
  stride?: number;
  pad?: number;
  bias?: boolean;
}

function convNode(g: GraphBuilder, x: Tensor, weight: Tensor, bias: Tensor | null, kernel: number, o: ConvOpts): Tensor {
  const stride = o.stride ?? 1;
  const pad = o.pad ?? 0;
  const out = staticDim(weight.shape[0], g.where(), 'conv out channels');
  const shape = [
    x.shape[0], out,
    spatialDim(x.shape[2], kernel, stride, pad, g.where()),
    spatialDim(x.shape[3], kernel, stride, pad, g.where()),
  ];
  return g.node('Conv', bias ? [x, weight, bias] : [x, weight], [{ dtype: 'float32', shape }], {
    kernel_shape: [kernel, kernel], strides: [stride, stride], pads: [pad, pad, pad, pad], group: 1,
  })[0];
}

/** nn.Conv2d `key` with the kernel size read from the checkpoint. */
export function convLayer(g: GraphBuilder, w: WeightSource, key: string, x: Tensor, o: ConvOpts = {}): Tensor {
  const shape = w.shape(`${key}.weight`);
  if (!shape || shape.length !== 4) throw new GraphBuildError(`${w.name}: missing conv weight "${key}.weight"`);
  const inC = staticDim(x.shape[1], key, 'conv input channels');
  const weight = g.weight(take(w, `${key}.weight`, [shape[0], inC, shape[2], shape[3]]));
  const bias = o.bias === false ? null : g.weight(take(w, `${key}.bias`, [shape[0]]));
  return g.scope(key, () => convNode(g, x, weight, bias, shape[2], o));
}

/**
 * A bias-free conv followed by FrozenBatchNorm2d, folded into one conv: detectron2 computes
 * x·scale + (bias − mean·scale) with scale = weight·rsqrt(var + eps) (layers/batch_norm.py), so the
 * folded kernel is w·scale per output channel and the folded bias bias − mean·scale.
 */
export function frozenBnConv(g: GraphBuilder, w: WeightSource, key: string, x: Tensor, o: ConvOpts = {}): Tensor {
  const shape = w.shape(`${key}.weight`);
  if (!shape || shape.length !== 4) throw new GraphBuildError(`${w.name}: missing conv weight "${key}.weight"`);
  const inC = staticDim(x.shape[1], key, 'conv input channels');
  const out = shape[0];
  const kernel = take(w, `${key}.weight`, [out, inC, shape[2], shape[3]]);
  const [gamma, beta, mean, variance] = ['weight', 'bias', 'running_mean', 'running_var'].map((p) =>
    take(w, `${key}.norm.${p}`, [out]),
  );
  const scaleOf = (): Float32Array => {
    const gv = gamma.read();
    const vv = variance.read();
    return Float32Array.from(gv, (s, c) => Math.fround(s * Math.fround(1 / Math.sqrt(Math.fround(vv[c] + FROZEN_BN_EPS)))));
  };
  const folded: TensorRef = {
    key: `${key}.weight:bn_folded`,
    shape: kernel.shape,
    read: () => {
      const scale = scaleOf();
      const values = kernel.read();
      const perOut = elementCount(kernel.shape) / out;
      for (let i = 0; i < values.length; i++) values[i] *= scale[Math.floor(i / perOut)];
      return values;
    },
  };
  const foldedBias: TensorRef = {
    key: `${key}.norm:bn_folded_bias`,
    shape: [out],
    read: () => {
      const scale = scaleOf();
      const b = beta.read();
      const m = mean.read();
      return Float32Array.from(b, (v, c) => Math.fround(v - Math.fround(m[c] * scale[c])));
    },
  };
  return g.scope(key, () => convNode(g, x, g.weight(folded), g.weight(foldedBias), shape[2], o));
}

export const relu = (g: GraphBuilder, x: Tensor): Tensor => g.node('Relu', [x], [{ dtype: x.dtype, shape: x.shape }])[0];

export function maxPool(g: GraphBuilder, x: Tensor, kernel: number, stride: number, pad: number): Tensor {
  const shape = [x.shape[0], x.shape[1], poolDim(x.shape[2], kernel, stride, pad), poolDim(x.shape[3], kernel, stride, pad)];
  return g.node('MaxPool', [x], [{ dtype: x.dtype, shape }], {
    kernel_shape: [kernel, kernel], strides: [stride, stride], pads: [pad, pad, pad, pad],
  })[0];
}

/** P6's max_pool2d(k=1, s=2) gives ceil(d/2), which has no closed symbolic form: name it. */
function poolDim(d: Dim, kernel: number, stride: number, pad: number): Dim {
  if (typeof d === 'number') return Math.floor((d + 2 * pad - kernel) / stride) + 1;
  if (2 * pad === kernel - 1) {
    try {
      return divDim(d, stride);
    } catch {
      /* fall through */
    }
  }
  return `${String(d).replace(/\*/g, 'x')}_pool${stride}`;
}

/**
 * ×2 upsampling: 'nearest' = F.interpolate(scale_factor=2, mode='nearest') (FPN top-down);
 * 'bilinear' = mode='bilinear', align_corners=False (ONNX half_pixel; both clamp the source index at 0).
 */
export function upsample2x(g: GraphBuilder, x: Tensor, mode: 'nearest' | 'bilinear'): Tensor {
  const scales = g.constant([1, 1, 2, 2], [4], 'float32');
  const shape = [x.shape[0], x.shape[1], mulDims(x.shape[2], 2), mulDims(x.shape[3], 2)];
  const attrs: Record<string, string> = mode === 'nearest'
    ? { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' }
    : { mode: 'linear', coordinate_transformation_mode: 'half_pixel' };
  return g.node('Resize', [x, null, scales], [{ dtype: x.dtype, shape }], attrs)[0];
}

/** nn.ConvTranspose2d `key` (weight [in, out, k, k]) with stride 2 and padding k/2 − 1. */
export function convTranspose(g: GraphBuilder, w: WeightSource, key: string, x: Tensor): Tensor {
  const shape = w.shape(`${key}.weight`);
  if (!shape || shape.length !== 4) throw new GraphBuildError(`${w.name}: missing weight "${key}.weight"`);
  const inC = staticDim(x.shape[1], key, 'deconv input channels');
  const [, out, k] = shape;
  const weight = g.weight(take(w, `${key}.weight`, [inC, out, k, k]));
  const bias = g.weight(take(w, `${key}.bias`, [out]));
  const pad = Math.floor(k / 2 - 1);
  const size = (d: Dim): Dim => (typeof d === 'number' ? (d - 1) * 2 - 2 * pad + k : mulDims(d, 2));
  if (k - 2 * pad !== 2) throw new GraphBuildError(`${key}: deconv kernel ${k} does not double the size`);
  return g.scope(key, () =>
    g.node('ConvTranspose', [x, weight, bias], [{ dtype: 'float32', shape: [x.shape[0], out, size(x.shape[2]), size(x.shape[3])] }], {
      kernel_shape: [k, k], strides: [2, 2], pads: [pad, pad, pad, pad],
    })[0],
  );
}
