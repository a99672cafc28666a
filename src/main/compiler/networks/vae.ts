// AutoencoderKL (diffusers v0.21.4 Encoder/Decoder, SD's sd-vae-ft-mse) as two graphs.
//
//   buildVaeEncoder(cfg, weights, { height, width })
//     in : image  float32 [batch, 3, H, W]  values in [-1, 1]
//     out: latent_mean float32 [batch, 4, H/8, W/8]  — latent_dist.mean, UNSCALED (× scaling factor is
//          the pipeline's job, as in MagicAnimate's images2latents)
//   buildVaeDecoder(cfg, weights, { height, width })     (height/width of the IMAGE)
//     in : latent float32 [batch, 4, H/8, W/8]  — unscaled (the pipeline divides by the factor first)
//     out: image  float32 [batch, 3, H, W]  raw decoder output (≈ [-1, 1], not clamped)
//
// The mid-block attention is read under the legacy key names (query/key/value/proj_attn, as the real
// sd-vae-ft-mse file and the fixtures store it) or the modern ones (to_q/.../to_out.0), whichever exists.

import type { VaeConfig } from '../configs';
import { GraphBuilder, type GraphOptions, type Tensor } from '../onnx/graph';
import * as ops from '../onnx/ops';
import { mulDims } from '../onnx/shape';
import { attention, conv2d, groupNorm, LEGACY_ATTENTION_NAMES, MODERN_ATTENTION_NAMES, Module, silu } from '../layers';
import { downsample2D, resnetBlock2D, upsample2D } from '../layers/resnet';
import type { WeightSource } from '../weights/source';
import { NetworkGraph } from './network';

const VAE_EPS = 1e-6;

export interface VaeSize {
  /** Image height/width in pixels (multiples of 2^(blocks−1)). Default 512. */
  height?: number;
  width?: number;
  graph?: GraphOptions;
}

function resnet(m: Module, x: Tensor, out: number, cfg: VaeConfig): Tensor {
  return resnetBlock2D(m, x, null, { out, groups: cfg.normNumGroups, eps: VAE_EPS });
}

/** Single-head self-attention over the H·W positions, with its own GroupNorm and a residual. */
function midAttention(m: Module, x: Tensor, cfg: VaeConfig): Tensor {
  const g = m.g;
  const [b, c, h, w] = x.shape;
  const names = m.has('query.weight') ? LEGACY_ATTENTION_NAMES : MODERN_ATTENTION_NAMES;
  const normed = groupNorm(m.child('group_norm'), x, { groups: cfg.normNumGroups, eps: VAE_EPS });
  const tokens = m.build(() => ops.transpose(g, ops.reshape(g, normed, [b, c, mulDims(h, w)]), [0, 2, 1]));
  const attended = attention(m, tokens, { heads: 1, qkvBias: true, names });
  return m.build(() => {
    const image = ops.reshape(g, ops.transpose(g, attended, [0, 2, 1]), [b, c, h, w]);
    return ops.add(g, image, x);
  });
}

function midBlock(m: Module, x: Tensor, cfg: VaeConfig): Tensor {
  const c = cfg.blockOutChannels[cfg.blockOutChannels.length - 1];
  let h = resnet(m.child('resnets.0'), x, c, cfg);
  h = midAttention(m.child('attentions.0'), h, cfg);
  return resnet(m.child('resnets.1'), h, c, cfg);
}

function outHead(m: Module, x: Tensor, cfg: VaeConfig, out: number): Tensor {
  const normed = groupNorm(m.child('conv_norm_out'), x, { groups: cfg.normNumGroups, eps: VAE_EPS });
  return conv2d(m.child('conv_out'), m.build(() => silu(m.g, normed)), { out, kernel: 3, padding: 1 });
}

function latentSize(cfg: VaeConfig, size: VaeSize) {
  const factor = 2 ** (cfg.blockOutChannels.length - 1);
  const height = size.height ?? 512;
  const width = size.width ?? 512;
  if (height % factor || width % factor) throw new Error(`VAE image size ${width}x${height} must be a multiple of ${factor}`);
  return { height, width, lh: height / factor, lw: width / factor };
}

export function buildVaeEncoder(cfg: VaeConfig, weights: WeightSource, size: VaeSize = {}): NetworkGraph {
  const { height, width } = latentSize(cfg, size);
  const net = new NetworkGraph('vae_encoder', new GraphBuilder('vae_encoder', size.graph), weights);
  const image = net.input('image', 'float32', ['batch', cfg.inChannels, height, width], 'RGB in [-1, 1], NCHW');
  const root = new Module(net.graph, weights);
  const enc = root.child('encoder');
  let h = conv2d(enc.child('conv_in'), image, { out: cfg.blockOutChannels[0], kernel: 3, padding: 1 });
  cfg.blockOutChannels.forEach((out, i) => {
    const block = enc.child(`down_blocks.${i}`);
    for (let j = 0; j < cfg.layersPerBlock; j++) h = resnet(block.child(`resnets.${j}`), h, out, cfg);
    if (i < cfg.blockOutChannels.length - 1) h = downsample2D(block.child('downsamplers.0'), h, { padding: 0 });
  });
  h = midBlock(enc.child('mid_block'), h, cfg);
  const moments = outHead(enc, h, cfg, 2 * cfg.latentChannels);
  const quant = conv2d(root.child('quant_conv'), moments, { out: 2 * cfg.latentChannels, kernel: 1 });
  const mean = root.build(() => ops.slice(net.graph, quant, 1, 0, cfg.latentChannels));
  net.output(mean, 'latent_mean', 'latent_dist.mean, unscaled (multiply by the scaling factor for the UNet)');
  return net;
}

export function buildVaeDecoder(cfg: VaeConfig, weights: WeightSource, size: VaeSize = {}): NetworkGraph {
  const { lh, lw } = latentSize(cfg, size);
  const net = new NetworkGraph('vae_decoder', new GraphBuilder('vae_decoder', size.graph), weights);
  const latent = net.input('latent', 'float32', ['batch', cfg.latentChannels, lh, lw], 'unscaled latents (divide by the scaling factor first)');
  const root = new Module(net.graph, weights);
  const z = conv2d(root.child('post_quant_conv'), latent, { out: cfg.latentChannels, kernel: 1 });
  const dec = root.child('decoder');
  const reversed = [...cfg.blockOutChannels].reverse();
  let h = conv2d(dec.child('conv_in'), z, { out: reversed[0], kernel: 3, padding: 1 });
  h = midBlock(dec.child('mid_block'), h, cfg);
  reversed.forEach((out, i) => {
    const block = dec.child(`up_blocks.${i}`);
    for (let j = 0; j <= cfg.layersPerBlock; j++) h = resnet(block.child(`resnets.${j}`), h, out, cfg);
    if (i < reversed.length - 1) h = upsample2D(block.child('upsamplers.0'), h);
  });
  net.output(outHead(dec, h, cfg, cfg.outChannels), 'image', 'decoded RGB, raw (about [-1, 1]; clamp after x/2 + 0.5)');
  return net;
}
