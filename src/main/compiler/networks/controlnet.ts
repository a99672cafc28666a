// MagicAnimate's DensePose ControlNetModel (magicanimate/models/controlnet.py, diffusers 0.21-style).
//
//   buildControlNet(cfg, weights, { height, width })     (latent size; the condition image is 8× larger)
//     in : sample float32 [batch, 4, h, w]; timestep int64 []; encoder_hidden_states float32 [batch, 77, D];
//          controlnet_cond float32 [batch, 3, 8h, 8w] (DensePose RGB in [0, 1]);
//          conditioning_scale float32 [] (1.0 in the official pipeline)
//     out: down_00 … down_11 float32 (after the zero convs controlnet_down_blocks.i, × scale) and
//          mid float32 [batch, C_last, h/8, w/8] (controlnet_mid_block, × scale)
//
// Conditioning embedding: conv_in (3→c0) silu, then per channel pair (conv c_i→c_i, silu,
// conv c_i→c_{i+1} stride 2, silu), conv_out (→ block_out_channels[0]); added to conv_in(sample).

import type { ControlNetConfig } from '../configs';
import { GraphBuilder, type Tensor } from '../onnx/graph';
import * as ops from '../onnx/ops';
import { conv2d, Module, silu, unetConvIn, unetDown, unetMid } from '../layers';
import type { WeightSource } from '../weights/source';
import { NetworkGraph } from './network';
import { unetInputs, type LatentSize } from './unetCommon';

function conditioningEmbedding(m: Module, cond: Tensor, cfg: ControlNetConfig): Tensor {
  const g = m.g;
  const chans = cfg.conditioningEmbeddingOutChannels;
  const act = (t: Tensor) => m.build(() => silu(g, t));
  let h = act(conv2d(m.child('conv_in'), cond, { out: chans[0], kernel: 3, padding: 1 }));
  for (let i = 0; i < chans.length - 1; i++) {
    h = act(conv2d(m.child(`blocks.${2 * i}`), h, { out: chans[i], kernel: 3, padding: 1 }));
    h = act(conv2d(m.child(`blocks.${2 * i + 1}`), h, { out: chans[i + 1], kernel: 3, padding: 1, stride: 2 }));
  }
  return conv2d(m.child('conv_out'), h, { out: cfg.blockOutChannels[0], kernel: 3, padding: 1 });
}

export function buildControlNet(cfg: ControlNetConfig, weights: WeightSource, size: LatentSize = {}): NetworkGraph {
  const net = new NetworkGraph('controlnet', new GraphBuilder('controlnet', size.graph), weights);
  const g = net.graph;
  const root = new Module(g, weights);
  const { sample, temb, text } = unetInputs(net, cfg, size, root);
  const factor = 2 ** (cfg.conditioningEmbeddingOutChannels.length - 1);
  const [, , h, w] = sample.shape;
  const cond = net.input('controlnet_cond', 'float32', ['batch', cfg.conditioningChannels, Number(h) * factor, Number(w) * factor], 'DensePose frame, RGB in [0, 1], NCHW');
  const scale = net.input('conditioning_scale', 'float32', [], 'multiplies every residual (1.0 = official)');
  let cond2 = cond;
  if (cfg.channelOrder === 'bgr') cond2 = root.build(() => ops.gather(g, cond, 1, [2, 1, 0]));
  const embedded = conditioningEmbedding(root.child('controlnet_cond_embedding'), cond2, cfg);
  const h0 = root.build(() => ops.add(g, unetConvIn(root, cfg, sample), embedded));
  const down = unetDown(root, cfg, h0, temb, text);
  const mid = unetMid(root, cfg, down.h, temb, text);
  down.residuals.forEach((res, i) => {
    const c = Number(res.shape[1]);
    const zero = conv2d(root.child(`controlnet_down_blocks.${i}`), res, { out: c, kernel: 1 });
    net.output(root.build(() => ops.mul(g, zero, scale)), `down_${String(i).padStart(2, '0')}`, `down residual ${i} for the UNet`);
  });
  const midOut = conv2d(root.child('controlnet_mid_block'), mid, { out: Number(mid.shape[1]), kernel: 1 });
  net.output(root.build(() => ops.mul(g, midOut, scale)), 'mid', 'mid-block residual for the UNet');
  return net;
}
