// Where each input lives in the three checkpoint folders (Hugging Face layouts):
//   SD1.5         stable-diffusion-v1-5/   unet/config.json, unet/diffusion_pytorch_model.* (optional:
//                                          temporal_attention.ckpt usually holds every UNet3D weight),
//                                          text_encoder/{config.json, model.safetensors | pytorch_model.bin}
//   VAE           sd-vae-ft-mse/           config.json, diffusion_pytorch_model.*
//   MagicAnimate  MagicAnimate/            appearance_encoder/, densepose_controlnet/ (config.json +
//                                          diffusion_pytorch_model.*), temporal_attention/temporal_attention.ckpt
// Weight files may carry the fp16 variant's infix (`diffusion_pytorch_model.fp16.safetensors`,
// `model.fp16.safetensors`), and any of the three folders may be a Hugging Face cache repository
// (`models--org--name`), which stands for its current snapshot.
import fs from 'node:fs';
import path from 'node:path';
import { StudioFailure } from '../../shared/result';
import { resolveHfSnapshot } from './checkpointFolders';

export interface CheckpointDirs {
  sd15Dir: string;
  vaeDir: string;
  magicAnimateDir: string;
}

export interface CheckpointPaths {
  unetConfig: string;
  /** null when the SD1.5 folder has no UNet weights; the ckpt must then hold every UNet3D weight. */
  unetWeights: string | null;
  vaeConfig: string;
  vaeWeights: string;
  appearanceConfig: string;
  appearanceWeights: string;
  controlnetConfig: string;
  controlnetWeights: string;
  temporalCkpt: string;
}

/** Full-precision files first (exact), then the fp16 variant's names; safetensors before pickles. */
export const DIFFUSERS_WEIGHT_NAMES = [
  'diffusion_pytorch_model.safetensors',
  'diffusion_pytorch_model.bin',
  'diffusion_pytorch_model.fp16.safetensors',
  'diffusion_pytorch_model.fp16.bin',
];
export const TEXT_ENCODER_WEIGHT_NAMES = ['model.safetensors', 'pytorch_model.bin', 'model.fp16.safetensors', 'pytorch_model.fp16.bin'];

const isFile = (file: string): boolean => fs.existsSync(file) && fs.statSync(file).isFile();
const isDir = (dir: string): boolean => fs.existsSync(dir) && fs.statSync(dir).isDirectory();

function requireDir(dir: string, what: string): void {
  if (!isDir(dir)) throw new StudioFailure('model_missing', `the ${what} ${dir} is not a folder (or does not exist)`, { file: dir });
}

function requireFile(file: string, what: string): string {
  if (!isFile(file)) throw new StudioFailure('model_missing', `missing ${what}: ${file}`, { file });
  return file;
}

/** The first of `names` present in `dir`, or null. */
export function findWeights(dir: string, names: readonly string[] = DIFFUSERS_WEIGHT_NAMES): string | null {
  return names.map((n) => path.join(dir, n)).find(isFile) ?? null;
}

function weightsIn(dir: string, what: string): string {
  const found = findWeights(dir);
  if (!found) throw new StudioFailure('model_missing', `missing ${what} weights: none of ${DIFFUSERS_WEIGHT_NAMES.join(', ')} in ${dir}`, { file: dir });
  return found;
}

/** The three folders with Hugging Face cache repositories replaced by their snapshot. */
export function resolveCheckpointDirs(dirs: CheckpointDirs): CheckpointDirs {
  requireDir(dirs.sd15Dir, 'SD1.5 folder');
  requireDir(dirs.vaeDir, 'VAE folder');
  requireDir(dirs.magicAnimateDir, 'MagicAnimate folder');
  return {
    sd15Dir: resolveHfSnapshot(dirs.sd15Dir),
    vaeDir: resolveHfSnapshot(dirs.vaeDir),
    magicAnimateDir: resolveHfSnapshot(dirs.magicAnimateDir),
  };
}

export function resolveCheckpoints(given: CheckpointDirs): CheckpointPaths {
  const dirs = resolveCheckpointDirs(given);
  const unet = path.join(dirs.sd15Dir, 'unet');
  const appearance = path.join(dirs.magicAnimateDir, 'appearance_encoder');
  const controlnet = path.join(dirs.magicAnimateDir, 'densepose_controlnet');
  return {
    unetConfig: requireFile(path.join(unet, 'config.json'), 'SD1.5 unet config'),
    unetWeights: findWeights(unet),
    vaeConfig: requireFile(path.join(dirs.vaeDir, 'config.json'), 'VAE config'),
    vaeWeights: weightsIn(dirs.vaeDir, 'VAE'),
    appearanceConfig: requireFile(path.join(appearance, 'config.json'), 'appearance encoder config'),
    appearanceWeights: weightsIn(appearance, 'appearance encoder'),
    controlnetConfig: requireFile(path.join(controlnet, 'config.json'), 'DensePose ControlNet config'),
    controlnetWeights: weightsIn(controlnet, 'DensePose ControlNet'),
    temporalCkpt: requireFile(path.join(dirs.magicAnimateDir, 'temporal_attention', 'temporal_attention.ckpt'), 'MagicAnimate temporal attention checkpoint'),
  };
}

export function readJson(file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new StudioFailure('model_invalid', `${file} is not valid JSON: ${(error as Error).message}`, { file });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StudioFailure('model_invalid', `${file} is not a JSON object`, { file });
  }
  return value as Record<string, unknown>;
}
