// The SD1.5 UNet trunk as reusable pieces (diffusers v0.21.4 UNet2DConditionModel layout):
//   unetDown(root, cfg, h, temb, text, hooks)        down_blocks.* → { h, residuals } (residuals[0] = h given,
//                                                    i.e. conv_in's output; then one per layer and downsampler)
//   unetMid(root, cfg, h, temb, text, hooks)         mid_block: resnet, (attention, resnet)×1
//   unetUp(root, cfg, h, residuals, temb, text, hooks) up_blocks.*: skip concat [h, res] on channels
//   unetHead(root, cfg, h)                           conv_norm_out → silu → conv_out
//
// UNetHooks let the UNet3D reuse this code unchanged:
//   frames        resnets normalise over the frames of a window and repeat per-item time embeddings
//   afterLayer    called after each layer (resnet, then its attention when present) of the down and up
//                 blocks, and after each mid attention: AnimateDiff motion modules go here; receives
//                 the block Module (e.g. `down_blocks.0`) so it can take `motion_modules.<layer>` weights
//   transformer   TransformerHooks for every BasicTransformerBlock (reference bank write/read)

import type { UNetConfig } from '../configs';
import type { Dim, Tensor } from '../onnx/graph';
import * as ops from '../onnx/ops';
import { conv2d, groupNorm, silu } from './basic';
import type { Module } from './module';
import { downsample2D, resnetBlock2D, upsample2D } from './resnet';
import { transformer2D, type TransformerHooks } from './transformer';

export interface LayerPosition {
  kind: 'down' | 'mid' | 'up';
  block: number;
  layer: number;
}

export interface UNetHooks {
  frames?: Dim;
  afterLayer?(block: Module, h: Tensor, at: LayerPosition): Tensor;
  transformer?: TransformerHooks;
}

interface Ctx {
  cfg: UNetConfig;
  temb: Tensor;
  text: Tensor;
  hooks: UNetHooks;
}

function resnet(m: Module, x: Tensor, out: number, c: Ctx): Tensor {
  return resnetBlock2D(m, x, c.temb, { out, groups: c.cfg.normNumGroups, eps: c.cfg.normEps, frames: c.hooks.frames });
}

function spatialTransformer(m: Module, x: Tensor, heads: number, c: Ctx): Tensor {
  return transformer2D(m, x, {
    heads,
    context: c.text,
    groups: c.cfg.normNumGroups,
    useLinearProjection: c.cfg.useLinearProjection,
    hooks: c.hooks.transformer,
  });
}

function after(block: Module, h: Tensor, at: LayerPosition, c: Ctx): Tensor {
  return c.hooks.afterLayer ? c.hooks.afterLayer(block, h, at) : h;
}

export function unetDown(root: Module, cfg: UNetConfig, h: Tensor, temb: Tensor, text: Tensor, hooks: UNetHooks = {}) {
  const c: Ctx = { cfg, temb, text, hooks };
  const residuals: Tensor[] = [h];
  cfg.downBlockTypes.forEach((type, i) => {
    const block = root.child(`down_blocks.${i}`);
    const out = cfg.blockOutChannels[i];
    for (let j = 0; j < cfg.layersPerBlock; j++) {
      h = resnet(block.child(`resnets.${j}`), h, out, c);
      if (type === 'CrossAttnDownBlock2D') h = spatialTransformer(block.child(`attentions.${j}`), h, cfg.headsPerBlock[i], c);
      h = after(block, h, { kind: 'down', block: i, layer: j }, c);
      residuals.push(h);
    }
    if (i < cfg.downBlockTypes.length - 1) {
      h = downsample2D(block.child('downsamplers.0'), h, { padding: cfg.downsamplePadding });
      residuals.push(h);
    }
  });
  return { h, residuals };
}

export function unetMid(root: Module, cfg: UNetConfig, h: Tensor, temb: Tensor, text: Tensor, hooks: UNetHooks = {}): Tensor {
  const c: Ctx = { cfg, temb, text, hooks };
  const mid = root.child('mid_block');
  const out = cfg.blockOutChannels[cfg.blockOutChannels.length - 1];
  const heads = cfg.headsPerBlock[cfg.headsPerBlock.length - 1];
  h = resnet(mid.child('resnets.0'), h, out, c);
  h = spatialTransformer(mid.child('attentions.0'), h, heads, c);
  h = after(mid, h, { kind: 'mid', block: 0, layer: 0 }, c);
  return resnet(mid.child('resnets.1'), h, out, c);
}

/** Consumes `residuals` from the end, as diffusers does; the array is not modified. */
export function unetUp(
  root: Module,
  cfg: UNetConfig,
  h: Tensor,
  residuals: readonly Tensor[],
  temb: Tensor,
  text: Tensor,
  hooks: UNetHooks = {},
): Tensor {
  const c: Ctx = { cfg, temb, text, hooks };
  const stack = [...residuals];
  const reversedChannels = [...cfg.blockOutChannels].reverse();
  const reversedHeads = [...cfg.headsPerBlock].reverse();
  cfg.upBlockTypes.forEach((type, i) => {
    const block = root.child(`up_blocks.${i}`);
    for (let j = 0; j <= cfg.layersPerBlock; j++) {
      const skip = stack.pop();
      if (!skip) throw new Error(`${block.prefix}: ran out of skip connections`);
      const joined = block.build(() => ops.concat(root.g, [h, skip], 1));
      h = resnet(block.child(`resnets.${j}`), joined, reversedChannels[i], c);
      if (type === 'CrossAttnUpBlock2D') h = spatialTransformer(block.child(`attentions.${j}`), h, reversedHeads[i], c);
      h = after(block, h, { kind: 'up', block: i, layer: j }, c);
    }
    if (i < cfg.upBlockTypes.length - 1) h = upsample2D(block.child('upsamplers.0'), h);
  });
  return h;
}

/** `frames`: statistics over a window's frames (AnimateDiff's GroupNorm on 5D tensors). */
export function unetHead(root: Module, cfg: UNetConfig, h: Tensor, frames?: Dim): Tensor {
  const normed = groupNorm(root.child('conv_norm_out'), h, { groups: cfg.normNumGroups, eps: cfg.normEps, frames });
  return conv2d(root.child('conv_out'), root.build(() => silu(root.g, normed)), { out: cfg.outChannels, kernel: 3, padding: 1 });
}

/** conv_in: latents → block_out_channels[0]. */
export function unetConvIn(root: Module, cfg: UNetConfig, x: Tensor): Tensor {
  return conv2d(root.child('conv_in'), x, { out: cfg.blockOutChannels[0], kernel: 3, padding: 1 });
}
