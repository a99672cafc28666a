// Which networks a model folder holds and how each is built: its weight source (opened fresh per
// network, so nothing from one network's checkpoint outlives it) and its builder call.
import { parseControlNetConfig, parseMotionModuleConfig, parseUNetConfig, parseVaeConfig } from './configs';
import type { NetworkName } from './manifest';
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

/** Image size in pixels the graphs are built for: latent sample_size × the VAE's downscale. */
export function nativeResolution(configs: ModelConfigs): number {
  const sample = latentSampleSize(configs);
  const blocks = (configs.vae.block_out_channels as unknown[] | undefined)?.length ?? 4;
  return sample * 2 ** (blocks - 1);
}

export function networkPlan(configs: ModelConfigs, open: WeightOpeners): PlannedNetwork[] {
  const vae = parseVaeConfig(configs.vae);
  const appearance = parseUNetConfig(configs.appearanceEncoder, 'appearance encoder');
  const controlnet = parseControlNetConfig(configs.controlnet);
  const unet = parseUNetConfig(configs.unet, 'UNet');
  const motion = parseMotionModuleConfig(configs.motionModule);
  // Fused attention (ORT MultiHeadAttention) never holds every [B, H, L, L] score tensor at once:
  // on CPU it equals the plain form at 256 tokens and is 2.55× faster at 1024 (bench/attention),
  // and at 512 px (4096 tokens) the plain form would need ~17 GB for one UNet3D attention.
  const graph = { attention: 'fused' as const };
  const image = { height: nativeResolution(configs), width: nativeResolution(configs), graph };
  const latent = { height: latentSampleSize(configs), width: latentSampleSize(configs), graph };
  return [
    { name: 'vae_encoder', openWeights: open.vae, build: (w) => buildVaeEncoder(vae, w, image) },
    { name: 'vae_decoder', openWeights: open.vae, build: (w) => buildVaeDecoder(vae, w, image) },
    { name: 'appearance_encoder', openWeights: open.appearanceEncoder, build: (w) => buildAppearanceEncoder(appearance, w, latent) },
    { name: 'controlnet', openWeights: open.controlnet, build: (w) => buildControlNet(controlnet, w, latent) },
    // Symbolic window length (1..motion.maxFrames), reference read on: the pipeline's only variant.
    { name: 'unet3d', openWeights: open.unet3d, build: (w) => buildUNet3D(unet, motion, w, latent) },
  ];
}
