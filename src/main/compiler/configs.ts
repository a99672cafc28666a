// Typed network configs parsed from diffusers config.json files (SD1.5 unet/vae, MagicAnimate
// appearance_encoder/densepose_controlnet) and from inference.yaml's unet_additional_kwargs.
//
//   parseUNetConfig(json), parseControlNetConfig(json), parseVaeConfig(json), parseMotionModuleConfig(json)
//
// NOTE: diffusers' `attention_head_dim` is, for SD1.5-era configs, the NUMBER OF HEADS (8), not the
// head width; UNet2DConditionModel (v0.21.4) uses `num_attention_heads or attention_head_dim` as heads.
// `headsPerBlock` holds that resolved head count per down block (up blocks use it reversed).

import { z } from 'zod';
import { StudioFailure } from '../../shared/result';

const intList = z.array(z.number().int().positive());
const headsField = z.union([z.number().int().positive(), intList]);

const unetSchema = z.object({
  in_channels: z.number().int().positive().default(4),
  out_channels: z.number().int().positive().default(4),
  sample_size: z.number().int().positive().default(64),
  block_out_channels: intList,
  layers_per_block: z.number().int().positive().default(2),
  down_block_types: z.array(z.string()),
  up_block_types: z.array(z.string()).optional(),
  cross_attention_dim: z.number().int().positive(),
  attention_head_dim: headsField.default(8),
  num_attention_heads: headsField.nullish(),
  norm_num_groups: z.number().int().positive().default(32),
  norm_eps: z.number().positive().default(1e-5),
  flip_sin_to_cos: z.boolean().default(true),
  freq_shift: z.number().default(0),
  downsample_padding: z.number().int().default(1),
  mid_block_scale_factor: z.number().default(1),
  use_linear_projection: z.boolean().default(false),
  only_cross_attention: z.boolean().default(false),
  upcast_attention: z.boolean().default(false),
  resnet_time_scale_shift: z.string().default('default'),
  class_embed_type: z.string().nullish(),
  act_fn: z.string().default('silu'),
  conditioning_embedding_out_channels: intList.optional(),
  conditioning_channels: z.number().int().positive().default(3),
  controlnet_conditioning_channel_order: z.string().default('rgb'),
});

export type DownBlockType = 'CrossAttnDownBlock2D' | 'DownBlock2D';
export type UpBlockType = 'CrossAttnUpBlock2D' | 'UpBlock2D';

export interface UNetConfig {
  inChannels: number;
  outChannels: number;
  blockOutChannels: number[];
  layersPerBlock: number;
  /** 3D names (CrossAttnDownBlock3D) are mapped to their 2D spatial layout. */
  downBlockTypes: DownBlockType[];
  upBlockTypes: UpBlockType[];
  crossAttentionDim: number;
  /** Attention heads per down block (legacy attention_head_dim resolved), see the NOTE above. */
  headsPerBlock: number[];
  normNumGroups: number;
  normEps: number;
  flipSinToCos: boolean;
  freqShift: number;
  downsamplePadding: number;
  useLinearProjection: boolean;
  /** 4 × block_out_channels[0] (diffusers' default time_embedding_dim). */
  timeEmbedDim: number;
  /** Latent height/width the network was trained at (64 for SD1.5 at 512 px). */
  sampleSize: number;
}

export interface ControlNetConfig extends UNetConfig {
  conditioningEmbeddingOutChannels: number[];
  conditioningChannels: number;
  channelOrder: 'rgb' | 'bgr';
}

function invalid(what: string, detail: unknown): StudioFailure {
  return new StudioFailure('model_invalid', `${what} config.json is not valid: ${JSON.stringify(detail)}`, detail);
}

function toList(v: number | number[], n: number): number[] {
  return Array.isArray(v) ? [...v] : Array<number>(n).fill(v);
}

function blockType<T extends string>(name: string, allowed: readonly T[], what: string): T {
  const spatial = name.replace(/3D$/, '2D') as T;
  if (!allowed.includes(spatial)) throw invalid(what, `unsupported block type ${name}`);
  return spatial;
}

export function parseUNetConfig(json: unknown, what = 'UNet'): UNetConfig {
  const r = unetSchema.safeParse(json);
  if (!r.success) throw invalid(what, r.error.issues);
  const c = r.data;
  const n = c.block_out_channels.length;
  if (c.down_block_types.length !== n) throw invalid(what, 'down_block_types and block_out_channels differ in length');
  if (c.only_cross_attention || c.upcast_attention || c.resnet_time_scale_shift !== 'default' || c.class_embed_type || c.act_fn !== 'silu') {
    throw invalid(what, 'only SD1.5-style options are supported (no class embeddings, default time scale-shift, silu)');
  }
  const ups = c.up_block_types ?? ['UpBlock2D', ...Array<string>(n - 1).fill('CrossAttnUpBlock2D')];
  return {
    inChannels: c.in_channels,
    outChannels: c.out_channels,
    blockOutChannels: c.block_out_channels,
    layersPerBlock: c.layers_per_block,
    downBlockTypes: c.down_block_types.map((t) => blockType(t, ['CrossAttnDownBlock2D', 'DownBlock2D'] as const, what)),
    upBlockTypes: ups.map((t) => blockType(t, ['CrossAttnUpBlock2D', 'UpBlock2D'] as const, what)),
    crossAttentionDim: c.cross_attention_dim,
    headsPerBlock: toList(c.num_attention_heads ?? c.attention_head_dim, n),
    normNumGroups: c.norm_num_groups,
    normEps: c.norm_eps,
    flipSinToCos: c.flip_sin_to_cos,
    freqShift: c.freq_shift,
    downsamplePadding: c.downsample_padding,
    useLinearProjection: c.use_linear_projection,
    timeEmbedDim: 4 * c.block_out_channels[0],
    sampleSize: c.sample_size,
  };
}

export function parseControlNetConfig(json: unknown): ControlNetConfig {
  const base = parseUNetConfig(json, 'ControlNet');
  const c = unetSchema.parse(json);
  const order = c.controlnet_conditioning_channel_order;
  if (order !== 'rgb' && order !== 'bgr') throw invalid('ControlNet', `channel order ${order}`);
  return {
    ...base,
    conditioningEmbeddingOutChannels: c.conditioning_embedding_out_channels ?? [16, 32, 96, 256],
    // NOTE: MagicAnimate's ControlNetModel ignores `conditioning_channels` and always takes RGB (3).
    conditioningChannels: 3,
    channelOrder: order,
  };
}

const vaeSchema = z.object({
  in_channels: z.number().int().positive().default(3),
  out_channels: z.number().int().positive().default(3),
  latent_channels: z.number().int().positive().default(4),
  block_out_channels: intList,
  layers_per_block: z.number().int().positive().default(1),
  norm_num_groups: z.number().int().positive().default(32),
  scaling_factor: z.number().positive().default(0.18215),
  act_fn: z.string().default('silu'),
});

export interface VaeConfig {
  inChannels: number;
  outChannels: number;
  latentChannels: number;
  blockOutChannels: number[];
  layersPerBlock: number;
  normNumGroups: number;
  /** Applied by the pipeline, not inside the VAE graphs (latents = mean × scalingFactor). */
  scalingFactor: number;
}

export function parseVaeConfig(json: unknown): VaeConfig {
  const r = vaeSchema.safeParse(json);
  if (!r.success) throw invalid('VAE', r.error.issues);
  const c = r.data;
  if (c.act_fn !== 'silu') throw invalid('VAE', 'only silu is supported');
  return {
    inChannels: c.in_channels,
    outChannels: c.out_channels,
    latentChannels: c.latent_channels,
    blockOutChannels: c.block_out_channels,
    layersPerBlock: c.layers_per_block,
    normNumGroups: c.norm_num_groups,
    scalingFactor: c.scaling_factor,
  };
}

const motionSchema = z.object({
  use_motion_module: z.boolean().default(true),
  motion_module_resolutions: intList.default([1, 2, 4, 8]),
  motion_module_mid_block: z.boolean().default(false),
  motion_module_decoder_only: z.boolean().default(false),
  motion_module_type: z.literal('Vanilla').default('Vanilla'),
  motion_module_kwargs: z.object({
    num_attention_heads: z.number().int().positive().default(8),
    num_transformer_block: z.number().int().positive().default(1),
    attention_block_types: z.array(z.string()).default(['Temporal_Self', 'Temporal_Self']),
    temporal_position_encoding: z.boolean().default(true),
    temporal_position_encoding_max_len: z.number().int().positive().default(24),
    temporal_attention_dim_div: z.number().int().positive().default(1),
  }),
});

export interface MotionModuleConfig {
  resolutions: number[];
  midBlock: boolean;
  decoderOnly: boolean;
  heads: number;
  transformerBlocks: number;
  attentionBlockTypes: string[];
  positionEncoding: boolean;
  /** Windows longer than this cannot be positionally encoded (pe buffer length). */
  maxFrames: number;
}

/** inference.yaml's `unet_additional_kwargs` (AnimateDiff v1 "Vanilla" motion modules). */
export function parseMotionModuleConfig(json: unknown): MotionModuleConfig {
  const r = motionSchema.safeParse(json);
  if (!r.success) throw invalid('motion module', r.error.issues);
  const c = r.data;
  const k = c.motion_module_kwargs;
  if (!c.use_motion_module) throw invalid('motion module', 'use_motion_module is false');
  if (k.attention_block_types.some((t) => t !== 'Temporal_Self') || k.temporal_attention_dim_div !== 1) {
    throw invalid('motion module', 'only Temporal_Self blocks with dim_div 1 are supported');
  }
  return {
    resolutions: c.motion_module_resolutions,
    midBlock: c.motion_module_mid_block,
    decoderOnly: c.motion_module_decoder_only,
    heads: k.num_attention_heads,
    transformerBlocks: k.num_transformer_block,
    attentionBlockTypes: k.attention_block_types,
    positionEncoding: k.temporal_position_encoding,
    maxFrames: k.temporal_position_encoding_max_len,
  };
}
