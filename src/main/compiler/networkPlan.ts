// Which networks a model folder holds and how each is built: its weight source (opened fresh per
// network, so nothing from one network's checkpoint outlives it) and its builder call.
import { parseControlNetConfig, parseMotionModuleConfig, parseUNetConfig, parseVaeConfig } from './configs';
import type { NetworkName } from './manifest';
import type { Precision } from './onnx/graph';
import { buildAppearanceEncoder, buildControlNet, buildUNet3D, buildVaeDecoder, buildVaeEncoder, type NetworkGraph } from './networks';
import type { ModelConfigs } from './presets';
import type { WeightSource } from './weights/source';

/** A network's weights, and the checkpoint files behind them (for the unused-keys report). */
export interface OpenedWeights {
  weights: WeightSource;
  checkpoints: { file: string; source: WeightSource }[];
}

export interface PlannedNetwork {
  name: NetworkName;
  openWeights(): OpenedWeights;
  build(weights: WeightSource): NetworkGraph;
}

/** Opens the weights of one role; compile.ts passes checkpoint readers, the demo a seeded source. */
export interface WeightOpeners {
  vae(): OpenedWeights;
  appearanceEncoder(): OpenedWeights;
  controlnet(): OpenedWeights;
  unet3d(): OpenedWeights;
}

/** The UNet's latent height/width (64 for SD1.5 at 512 px). */
const latentSampleSize = (configs: ModelConfigs): number => Number(configs.unet.sample_size ?? 64);

/** Pixels per latent cell: 2 ** (VAE blocks − 1), 8 for SD1.5 and the tiny set. */
export function vaeScale(configs: ModelConfigs): number {
  const blocks = (configs.vae.block_out_channels as unknown[] | undefined)?.length ?? 4;
  return 2 ** (blocks - 1);
}

/** Image size in pixels the config was trained for: latent sample_size × the VAE's downscale. */
export function nativeResolution(configs: ModelConfigs): number {
  return latentSampleSize(configs) * vaeScale(configs);
}

/** Width and height in pixels that a model folder's graphs take and give. */
export interface FrameSize {
  width: number;
  height: number;
}

/** The config's native square as a frame size (the default when none is chosen). */
export function nativeFrameSize(configs: ModelConfigs): FrameSize {
  const side = nativeResolution(configs);
  return { width: side, height: side };
}

/**
 * Image sides must be multiples of this: the VAE's downscale times the UNet's own downsamples
 * (64 for SD1.5 and the tiny set), so every skip connection lines up.
 */
export function frameSizeStep(configs: ModelConfigs): number {
  const unetBlocks = (configs.unet.block_out_channels as unknown[] | undefined)?.length ?? 4;
  return vaeScale(configs) * 2 ** (unetBlocks - 1);
}

/**
 * `frame` builds the graphs for another size than the config's native square one (SD1.5's
 * weights work at any multiple of 64, e.g. 512×768 portrait); spatial sizes are fixed per folder.
 * `precision` is the compute type of every graph ('fp32' = the exact path).
 */
export function networkPlan(configs: ModelConfigs, open: WeightOpeners, frame?: FrameSize, precision: Precision = 'fp32'): PlannedNetwork[] {
  const vae = parseVaeConfig(configs.vae);
  const appearance = parseUNetConfig(configs.appearanceEncoder, 'appearance encoder');
  const controlnet = parseControlNetConfig(configs.controlnet);
  const unet = parseUNetConfig(configs.unet, 'UNet');
  const motion = parseMotionModuleConfig(configs.motionModule);
  // Fused attention (ORT MultiHeadAttention) never holds every [B, H, L, L] score tensor at once:
  // on CPU it equals the plain form at 256 tokens and is 2.55× faster at 1024 (bench/attention),
  // and at 512 px (4096 tokens) the plain form would need ~17 GB for one UNet3D attention.
  const graph = { attention: 'fused' as const, precision };
  const size = frame ?? nativeFrameSize(configs);
  const scale = vaeScale(configs);
  const image = { height: size.height, width: size.width, graph };
  const latent = { height: size.height / scale, width: size.width / scale, graph };
  return [
    { name: 'vae_encoder', openWeights: open.vae, build: (w) => buildVaeEncoder(vae, w, image) },
    { name: 'vae_decoder', openWeights: open.vae, build: (w) => buildVaeDecoder(vae, w, image) },
    { name: 'appearance_encoder', openWeights: open.appearanceEncoder, build: (w) => buildAppearanceEncoder(appearance, w, latent) },
    { name: 'controlnet', openWeights: open.controlnet, build: (w) => buildControlNet(controlnet, w, latent) },
    // Symbolic window length (1..motion.maxFrames), reference read on: the pipeline's only variant.
    { name: 'unet3d', openWeights: open.unet3d, build: (w) => buildUNet3D(unet, motion, w, latent) },
  ];
}
