// Where each input lives in the three checkpoint folders the CLI takes (Hugging Face layouts):
//   --sd15          stable-diffusion-v1-5/   unet/{config.json, diffusion_pytorch_model.(bin|safetensors)},
//                                            text_encoder/{config.json, model.safetensors | pytorch_model.bin}
//   --vae           sd-vae-ft-mse/           config.json, diffusion_pytorch_model.(safetensors|bin)
//   --magicanimate  MagicAnimate/            appearance_encoder/, densepose_controlnet/ (config.json +
//                                            diffusion_pytorch_model.safetensors), temporal_attention/temporal_attention.ckpt
import fs from 'node:fs';
import path from 'node:path';
import { StudioFailure } from '../../shared/result';

export interface CheckpointPaths {
  unetConfig: string;
  unetWeights: string;
  vaeConfig: string;
  vaeWeights: string;
  appearanceConfig: string;
  appearanceWeights: string;
  controlnetConfig: string;
  controlnetWeights: string;
  temporalCkpt: string;
}

const WEIGHT_NAMES = ['diffusion_pytorch_model.safetensors', 'diffusion_pytorch_model.bin'];

function requireDir(dir: string, flag: string): void {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new StudioFailure('model_missing', `${flag} ${dir}: no such folder`, { file: dir });
  }
}

function requireFile(file: string, what: string): string {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
    throw new StudioFailure('model_missing', `missing ${what}: ${file}`, { file });
  }
  return file;
}

function weightsIn(dir: string, what: string): string {
  const found = WEIGHT_NAMES.map((n) => path.join(dir, n)).find((f) => fs.existsSync(f));
  if (!found) throw new StudioFailure('model_missing', `missing ${what} weights: no ${WEIGHT_NAMES.join(' or ')} in ${dir}`, { file: dir });
  return found;
}

export function resolveCheckpoints(dirs: { sd15Dir: string; vaeDir: string; magicAnimateDir: string }): CheckpointPaths {
  requireDir(dirs.sd15Dir, '--sd15');
  requireDir(dirs.vaeDir, '--vae');
  requireDir(dirs.magicAnimateDir, '--magicanimate');
  const unet = path.join(dirs.sd15Dir, 'unet');
  const appearance = path.join(dirs.magicAnimateDir, 'appearance_encoder');
  const controlnet = path.join(dirs.magicAnimateDir, 'densepose_controlnet');
  return {
    unetConfig: requireFile(path.join(unet, 'config.json'), 'SD1.5 unet config'),
    unetWeights: weightsIn(unet, 'SD1.5 unet'),
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
