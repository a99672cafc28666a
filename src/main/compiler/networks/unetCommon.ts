// Inputs and stem shared by the 2D UNet-shaped networks (appearance encoder, ControlNet):
// sample/timestep/encoder_hidden_states inputs, conv_in and the time embedding.

import type { UNetConfig } from '../configs';
import type { GraphOptions, Tensor } from '../onnx/graph';
import { Module, timestepEmbedding } from '../layers';
import type { NetworkGraph } from './network';

export interface LatentSize {
  /** Latent height/width (image size / 8). Default: the config's sample_size. */
  height?: number;
  width?: number;
  /** Builder options (e.g. fused attention for GPU providers). */
  graph?: GraphOptions;
}

export interface UNetInputs {
  sample: Tensor;
  timestep: Tensor;
  text: Tensor;
  /** [1, timeEmbedDim]: one timestep for the whole batch, broadcast in every resnet. */
  temb: Tensor;
  root: Module;
}

export function unetInputs(net: NetworkGraph, cfg: UNetConfig, size: LatentSize, root: Module): UNetInputs {
  const h = size.height ?? cfg.sampleSize;
  const w = size.width ?? cfg.sampleSize;
  const sample = net.input('sample', 'float32', ['batch', cfg.inChannels, h, w], 'latents (scaled by the VAE factor), NCHW');
  const timestep = net.input('timestep', 'int64', [], 'DDIM timestep, shared by the whole batch');
  const text = net.input('encoder_hidden_states', 'float32', ['batch', 77, cfg.crossAttentionDim], 'CLIP text states');
  const temb = timestepEmbedding(root.child('time_embedding'), timestep, {
    channels: cfg.blockOutChannels[0],
    embedDim: cfg.timeEmbedDim,
    flipSinToCos: cfg.flipSinToCos,
    freqShift: cfg.freqShift,
  });
  return { sample, timestep, text, temb, root };
}
