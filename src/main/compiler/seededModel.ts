// Model folders with the real architecture and seeded random weights, no checkpoint needed:
//
//   buildSeededModel({ config: 'sd15', outDir, precision: 'fp16', frameSize })   full size (benchmarks,
//                       GPU checks and memory measurements anywhere; ~1.7 G parameters)
//   buildSeededModel({ config: 'tiny', ... })                                     the demo's configuration
//
// Weights follow the fixtures' randomization rules (weights/seeded.ts); the output is structured
// noise, the compute and memory are the real model's. The SD1.5 configs below are the public
// config.json values of stable-diffusion-v1-5/unet, MagicAnimate's appearance_encoder and
// densepose_controlnet, and sd-vae-ft-mse (the same as the fixtures' fullsize_state_dict_keys.json).
import { DEMO_SEED, writeModelFolder, type CompileProgress, type CompileResult } from './compile';
import type { Manifest } from './manifest';
import type { FrameSize, OpenedWeights } from './networkPlan';
import { MOTION_MODULE_KWARGS, TINY_CONFIGS, type ModelConfigs } from './presets';
import { TEXT_EMBEDDING_KEY } from './textEmbedding';
import { seededNormals, seededSource } from './weights/seeded';

const SD15_UNET_SHARED = {
  act_fn: 'silu',
  attention_head_dim: 8,
  block_out_channels: [320, 640, 1280, 1280],
  center_input_sample: false,
  cross_attention_dim: 768,
  down_block_types: ['CrossAttnDownBlock2D', 'CrossAttnDownBlock2D', 'CrossAttnDownBlock2D', 'DownBlock2D'],
  downsample_padding: 1,
  flip_sin_to_cos: true,
  freq_shift: 0,
  in_channels: 4,
  layers_per_block: 2,
  mid_block_scale_factor: 1,
  norm_eps: 1e-5,
  norm_num_groups: 32,
};
const SD15_UP_BLOCKS = ['UpBlock2D', 'CrossAttnUpBlock2D', 'CrossAttnUpBlock2D', 'CrossAttnUpBlock2D'];

export const SD15_CONFIGS: ModelConfigs = Object.freeze({
  unet: { _class_name: 'UNet2DConditionModel', ...SD15_UNET_SHARED, out_channels: 4, sample_size: 64, up_block_types: SD15_UP_BLOCKS },
  motionModule: MOTION_MODULE_KWARGS,
  appearanceEncoder: { _class_name: 'AppearanceEncoderModel', ...SD15_UNET_SHARED, out_channels: 4, sample_size: 64, up_block_types: SD15_UP_BLOCKS },
  controlnet: {
    ...SD15_UNET_SHARED,
    only_cross_attention: false,
    use_linear_projection: false,
    upcast_attention: false,
    resnet_time_scale_shift: 'default',
    controlnet_conditioning_channel_order: 'rgb',
    conditioning_embedding_out_channels: [16, 32, 96, 256],
  },
  vae: {
    _class_name: 'AutoencoderKL',
    act_fn: 'silu',
    block_out_channels: [128, 256, 512, 512],
    down_block_types: Array(4).fill('DownEncoderBlock2D'),
    in_channels: 3,
    latent_channels: 4,
    layers_per_block: 2,
    norm_num_groups: 32,
    out_channels: 3,
    sample_size: 256,
    up_block_types: Array(4).fill('UpDecoderBlock2D'),
  },
});

export const SEEDED_CONFIGS = { tiny: TINY_CONFIGS, sd15: SD15_CONFIGS } as const;
export type SeededConfigName = keyof typeof SEEDED_CONFIGS;

export interface SeededModelOptions {
  config: SeededConfigName;
  outDir: string;
  precision: Manifest['precision'];
  frameSize?: FrameSize;
  seed?: number;
  name?: string;
  overwrite?: boolean;
  onProgress?: (event: CompileProgress) => void;
  signal?: AbortSignal;
}

export async function buildSeededModel(o: SeededModelOptions): Promise<CompileResult> {
  const seed = o.seed ?? DEMO_SEED;
  const configs = SEEDED_CONFIGS[o.config];
  const seeded = (): OpenedWeights => ({ weights: seededSource(seed), checkpoints: [] });
  const width = Number(configs.unet.cross_attention_dim);
  const written = await writeModelFolder({
    outDir: o.outDir,
    name: o.name ?? `${o.config} (random weights, seed ${seed})`,
    configName: o.config,
    precision: o.precision,
    configs,
    openers: { vae: seeded, appearanceEncoder: seeded, controlnet: seeded, unet3d: seeded },
    frameSize: o.frameSize,
    sources: async () => [{ role: 'weights', path: 'seeded', sizeBytes: 0, fingerprint: { kind: 'seeded', seed } }],
    textEmbedding: async () => ({ shape: [1, 77, width], data: seededNormals(seed, TEXT_EMBEDDING_KEY, 77 * width) }),
    overwrite: o.overwrite ?? false,
    onProgress: o.onProgress ?? (() => {}),
    signal: o.signal,
  });
  return { ...written, notNeeded: [] };
}
