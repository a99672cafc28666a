// MagicAnimate's UNet3DConditionModel (unet_controlnet.py, AnimateDiff-v1 inflated SD1.5) as one
// denoising step on a window of frames, with the reference read and the ControlNet residuals.
//
//   buildUNet3D(cfg, motion, weights, { height, width, frames, reference, graph })
//     in : sample                float32 [2, 4, frames, h, w]   latents `b c f h w`, batch [uncond, cond]
//          timestep              int64   []                     DDIM timestep
//          encoder_hidden_states float32 [2, 77, D]             text states per CFG half
//          down_00 … down_11     float32 [frames, C_i, h_i, w_i] ControlNet down residuals PER FRAME
//                                (the ControlNet's outputs for the window's frames, in window order);
//                                the graph adds them to both CFG halves, as the official pipeline's
//                                duplicated [2, C, f, h, w] residuals do
//          mid                   float32 [frames, C, h/8, w/8]  ControlNet mid residual, per frame
//          bank_00 … bank_09     float32 [1, L_k, C_k]          the COND row of the appearance encoder's
//                                bank (the uncond half has no reference attention); omitted when
//                                reference is false. The official fp16 rounding of the bank
//                                (ReferenceAttentionControl.update) is the caller's job (the render
//                                engine rounds it), so this graph reproduces both the fp16 and the
//                                fp32 bank paths.
//     out: noise_pred            float32 [2, 4, frames, h, w]   ε for [uncond, cond]
//   `frames` is symbolic ('frames', any window length 1..motion.maxFrames at run time) unless a
//   number is given. Zero residuals are exactly "no ControlNet".
//
// Layout inside: (2·f, C, H, W), batch-major. Spatial layers run per frame (InflatedConv3d, the
// Transformer3DModel with its per-frame GroupNorm); resnet GroupNorms and conv_norm_out take their
// statistics over all frames of a CFG half (torch GroupNorm on 5D tensors); a motion module follows
// every resnet/attention layer of the down and up blocks (none in the mid block for MagicAnimate).

import type { MotionModuleConfig, UNetConfig } from '../configs';
import { GraphBuilder, GraphBuildError, type Dim, type GraphOptions, type Tensor } from '../onnx/graph';
import * as ops from '../onnx/ops';
import { mulDims } from '../onnx/shape';
import { Module, timestepEmbedding, unetConvIn, unetDown, unetHead, unetMid, unetUp, type LayerPosition, type UNetHooks } from '../layers';
import { motionModule } from '../layers/motionModule';
import { referenceBankSlots, referenceReadHooks, type BankSlot } from '../layers/referenceAttention';
import type { WeightSource } from '../weights/source';
import { NetworkGraph } from './network';

/** CFG batch [uncond, cond]: the reference read is defined per half, so the batch is fixed. */
const CFG_BATCH = 2;

export interface UNet3DOptions {
  /** Latent height/width. Default: the config's sample_size. */
  height?: number;
  width?: number;
  /** A fixed window length; default: symbolic 'frames' (chosen per run, at most motion.maxFrames). */
  frames?: number;
  /** Reference attention in the mid/up blocks (default true); false = the un-hooked UNet3D. */
  reference?: boolean;
  graph?: GraphOptions;
}

export interface UNet3DGraph extends NetworkGraph {
  /** The bank inputs in appearance-encoder order (empty without reference). */
  bankSlots: BankSlot[];
}

interface Window {
  frames: Dim;
  /** int64 [1]: the window length at run time. */
  count: Tensor;
}

function windowOf(g: GraphBuilder, sample: Tensor, frames: Dim): Window {
  if (typeof frames === 'number') return { frames, count: g.constant([frames], [1], 'int64') };
  const shape = g.node('Shape', [sample], [{ dtype: 'int64', shape: [5] }])[0];
  const count = g.node('Gather', [shape, g.constant([2], [1], 'int64')], [{ dtype: 'int64', shape: [1] }], { axis: 0 })[0];
  return { frames, count };
}

/** [2, C, f, h, w] → (2·f, C, h, w). */
function videoToFrames(g: GraphBuilder, x: Tensor, w: Window): Tensor {
  const [b, c, , hh, ww] = x.shape;
  return ops.reshape(g, ops.transpose(g, x, [0, 2, 1, 3, 4]), [mulDims(b, w.frames), c, hh, ww]);
}

/** (2·f, C, h, w) → [2, C, f, h, w]. */
function framesToVideo(g: GraphBuilder, x: Tensor, w: Window): Tensor {
  const [, c, hh, ww] = x.shape;
  return ops.transpose(g, ops.reshape(g, x, [CFG_BATCH, w.frames, c, hh, ww]), [0, 2, 1, 3, 4]);
}

/** Text states [2, 77, D] → (2·f, 77, D), `repeat_interleave(f, dim=0)` as Transformer3DModel does. */
function textPerFrame(g: GraphBuilder, text: Tensor, w: Window): Tensor {
  const [b, l, d] = text.shape;
  const shape = ops.concat(g, [g.constant([Number(b)], [1], 'int64'), w.count, g.constant([Number(l), Number(d)], [2], 'int64')], 0);
  const expanded = g.node('Expand', [ops.unsqueeze(g, text, [1]), shape], [{ dtype: text.dtype, shape: [b, w.frames, l, d] }])[0];
  return ops.reshape(g, expanded, [mulDims(b, w.frames), l, d]);
}

/** h (2·f, C, H, W) + a per-frame residual [f, C, H, W] broadcast over both CFG halves. */
function addPerFrame(g: GraphBuilder, h: Tensor, residual: Tensor, w: Window): Tensor {
  const [, c, hh, ww] = h.shape;
  const halves = ops.reshape(g, h, [CFG_BATCH, w.frames, c, hh, ww]);
  return ops.reshape(g, ops.add(g, halves, ops.unsqueeze(g, residual, [0])), h.shape);
}

/** Whether AnimateDiff puts motion modules in this block (motion_module_resolutions, decoder_only, mid_block). */
function hasMotionModule(motion: MotionModuleConfig, at: LayerPosition, blocks: number): boolean {
  if (at.kind === 'mid') return motion.midBlock;
  if (at.kind === 'down' && motion.decoderOnly) return false;
  const resolution = at.kind === 'down' ? 2 ** at.block : 2 ** (blocks - 1 - at.block);
  return motion.resolutions.includes(resolution);
}

function motionHooks(g: GraphBuilder, cfg: UNetConfig, motion: MotionModuleConfig, w: Window): UNetHooks['afterLayer'] {
  return (block, h, at) => {
    if (!hasMotionModule(motion, at, cfg.blockOutChannels.length)) return h;
    return motionModule(block.child(`motion_modules.${at.layer}`), h, {
      batch: CFG_BATCH,
      frames: w.frames,
      frameCount: w.count,
      heads: motion.heads,
      blockTypes: motion.attentionBlockTypes,
      transformerBlocks: motion.transformerBlocks,
      positionEncoding: motion.positionEncoding,
      maxFrames: motion.maxFrames,
    });
  };
}

export function buildUNet3D(cfg: UNetConfig, motion: MotionModuleConfig, weights: WeightSource, o: UNet3DOptions = {}): UNet3DGraph {
  const height = o.height ?? cfg.sampleSize;
  const width = o.width ?? cfg.sampleSize;
  if (o.frames !== undefined && (o.frames < 1 || o.frames > motion.maxFrames)) {
    throw new GraphBuildError(`unet3d: a window of ${o.frames} frames is outside 1..${motion.maxFrames} (the positional encoding's length)`);
  }
  const net = new NetworkGraph('unet3d', new GraphBuilder('unet3d', o.graph), weights);
  const g = net.graph;
  const root = new Module(g, weights);
  const framesDim: Dim = o.frames ?? 'frames';
  const sample = net.input('sample', 'float32', [CFG_BATCH, cfg.inChannels, framesDim, height, width], 'latents b c f h w, batch [uncond, cond]');
  const timestep = net.input('timestep', 'int64', [], 'DDIM timestep, shared by the whole batch');
  const text = net.input('encoder_hidden_states', 'float32', [CFG_BATCH, 77, cfg.crossAttentionDim], 'CLIP text states per CFG half');
  const win = root.build(() => windowOf(g, sample, framesDim));
  const temb = timestepEmbedding(root.child('time_embedding'), timestep, {
    channels: cfg.blockOutChannels[0],
    embedDim: cfg.timeEmbedDim,
    flipSinToCos: cfg.flipSinToCos,
    freqShift: cfg.freqShift,
  });
  const textFrames = root.build(() => textPerFrame(g, text, win));
  const hooks: UNetHooks = { frames: framesDim, afterLayer: motionHooks(g, cfg, motion, win) };

  const h0 = unetConvIn(root, cfg, root.build(() => videoToFrames(g, sample, win)));
  const down = unetDown(root, cfg, h0, temb, textFrames, hooks);
  const skips = down.residuals.map((skip, i) => {
    const name = `down_${String(i).padStart(2, '0')}`;
    const residual = net.input(name, 'float32', [framesDim, ...skip.shape.slice(1)], `ControlNet ${name} per frame, added to both CFG halves`);
    return root.build(() => addPerFrame(g, skip, residual, win));
  });
  const midResidual = net.input('mid', 'float32', [framesDim, ...down.h.shape.slice(1)], 'ControlNet mid residual per frame');
  const bankSlots = o.reference === false ? [] : referenceBankSlots(cfg, height, width);
  const banks = new Map<string, Tensor>();
  for (const slot of bankSlots) {
    banks.set(slot.modulePath, net.input(slot.input, 'float32', [1, slot.tokens, slot.channels], `cond-half reference bank read by ${slot.modulePath}`));
  }
  // Down blocks keep plain self-attention; the mid and up blocks read the bank (fusion_blocks 'midup').
  const readHooks: UNetHooks = bankSlots.length ? { ...hooks, transformer: referenceReadHooks(g, banks, framesDim, win.count) } : hooks;

  let h = unetMid(root, cfg, down.h, temb, textFrames, readHooks);
  h = root.build(() => addPerFrame(g, h, midResidual, win));
  h = unetUp(root, cfg, h, skips, temb, textFrames, readHooks);
  const eps = unetHead(root, cfg, h, framesDim);
  net.output(root.build(() => framesToVideo(g, eps, win)), 'noise_pred', 'ε b c f h w for [uncond, cond]');
  return Object.assign(net, { bankSlots });
}
