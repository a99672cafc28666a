// Config values that must ship with the app because no checkpoint folder carries them:
//  - the "tiny" configuration of the demo model (the same values as the fixture set's config.json
//    files, so the demo exercises exactly the tested architecture), and
//  - MagicAnimate's motion-module settings, which live in the official repo's
//    configs/inference/inference.yaml (`unet_additional_kwargs`), not in the downloaded weights.
// Everything else for "sd15" is read from the config.json files of the checkpoint folders.

export type RawConfig = Record<string, unknown>;

/** inference.yaml `unet_additional_kwargs` (AnimateDiff v1 "Vanilla" modules), identical for tiny and SD1.5. */
export const MOTION_MODULE_KWARGS: RawConfig = Object.freeze({
  unet_use_cross_frame_attention: false,
  unet_use_temporal_attention: false,
  use_motion_module: true,
  motion_module_resolutions: [1, 2, 4, 8],
  motion_module_mid_block: false,
  motion_module_decoder_only: false,
  motion_module_type: 'Vanilla',
  motion_module_kwargs: {
    num_attention_heads: 8,
    num_transformer_block: 1,
    attention_block_types: ['Temporal_Self', 'Temporal_Self'],
    temporal_position_encoding: true,
    temporal_position_encoding_max_len: 24,
    temporal_attention_dim_div: 1,
  },
});

const TINY_UNET_SHARED = {
  act_fn: 'silu',
  attention_head_dim: 8,
  block_out_channels: [32, 32, 64, 64],
  center_input_sample: false,
  cross_attention_dim: 32,
  down_block_types: ['CrossAttnDownBlock2D', 'CrossAttnDownBlock2D', 'CrossAttnDownBlock2D', 'DownBlock2D'],
  downsample_padding: 1,
  flip_sin_to_cos: true,
  freq_shift: 0,
  in_channels: 4,
  layers_per_block: 2,
  mid_block_scale_factor: 1,
  norm_eps: 1e-5,
  norm_num_groups: 32,
  only_cross_attention: false,
  upcast_attention: false,
  use_linear_projection: false,
  resnet_time_scale_shift: 'default',
};

export interface ModelConfigs {
  unet: RawConfig;
  motionModule: RawConfig;
  appearanceEncoder: RawConfig;
  controlnet: RawConfig;
  vae: RawConfig;
}

/** The tiny configuration (fixtures README "Tiny configuration"); the demo model is built from it. */
export const TINY_CONFIGS: ModelConfigs = Object.freeze({
  unet: {
    _class_name: 'UNet2DConditionModel',
    ...TINY_UNET_SHARED,
    out_channels: 4,
    sample_size: 16,
    up_block_types: ['UpBlock2D', 'CrossAttnUpBlock2D', 'CrossAttnUpBlock2D', 'CrossAttnUpBlock2D'],
  },
  motionModule: MOTION_MODULE_KWARGS,
  appearanceEncoder: {
    _class_name: 'AppearanceEncoderModel',
    ...TINY_UNET_SHARED,
    out_channels: 4,
    sample_size: 16,
    up_block_types: ['UpBlock2D', 'CrossAttnUpBlock2D', 'CrossAttnUpBlock2D', 'CrossAttnUpBlock2D'],
  },
  controlnet: {
    _class_name: 'ControlNetModel',
    ...TINY_UNET_SHARED,
    conditioning_channels: 3,
    conditioning_embedding_out_channels: [16, 32, 96, 256],
    controlnet_conditioning_channel_order: 'rgb',
  },
  vae: {
    _class_name: 'AutoencoderKL',
    act_fn: 'silu',
    block_out_channels: [32, 32, 64, 64],
    down_block_types: ['DownEncoderBlock2D', 'DownEncoderBlock2D', 'DownEncoderBlock2D', 'DownEncoderBlock2D'],
    in_channels: 3,
    latent_channels: 4,
    layers_per_block: 2,
    norm_num_groups: 32,
    out_channels: 3,
    sample_size: 128,
    up_block_types: ['UpDecoderBlock2D', 'UpDecoderBlock2D', 'UpDecoderBlock2D', 'UpDecoderBlock2D'],
  },
});

/** Width of the demo's text embedding = the tiny UNet's cross_attention_dim; 77 CLIP positions. */
export const TINY_TEXT_EMBEDDING_SHAPE = [1, 77, 32] as const;
