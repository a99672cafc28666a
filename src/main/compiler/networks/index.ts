// Network builders: (config, weights: WeightSource, size options) → NetworkGraph with documented I/O.
export { NetworkGraph, type IOSpec } from './network';
export { buildVaeEncoder, buildVaeDecoder, type VaeSize } from './vae';
export { buildAppearanceEncoder, type AppearanceEncoderGraph, type BankEntry } from './appearanceEncoder';
export type { LatentSize } from './unetCommon';
export { buildControlNet } from './controlnet';
export { buildUNet3D, type UNet3DGraph, type UNet3DOptions } from './unet3d';
