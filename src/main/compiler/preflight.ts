// Everything a compile can check before it writes anything (issue 15: "check everything before
// writing anything"): every checkpoint is opened (headers, pickles, every tensor view against its
// storage) and every network is built against its weights, which checks each key and shape the
// configs imply. No tensor bytes are read. Then the parameter count is bounded and the free disk
// space compared with what the model folder will take.
import fs from 'node:fs';
import path from 'node:path';
import { StudioFailure } from '../../shared/result';
import type { CheckpointPaths } from './checkpointLayout';
import { networkPlan, type FrameSize, type OpenedWeights, type WeightOpeners } from './networkPlan';
import type { ModelConfigs } from './presets';
import { openCheckpoint } from './textEmbedding';
import { unet3dSource } from './weights/overlay';
import type { WeightSource } from './weights/source';

/** The real set has ~2.6 G parameters (UNet3D 1.28 G, appearance encoder 0.86 G, ControlNet 0.36 G, VAE 84 M). */
export const MAX_PARAMETERS = 8e9;
/** Room for the manifest, the text embedding and protobuf framing on top of the weights. */
const DISK_MARGIN_BYTES = 64 * 1024 * 1024;

/** An input the compile found it does not need, for the import summary. */
export interface NotNeeded {
  role: 'unetWeights';
  file: string | null;
  reason: string;
}

export interface PreflightResult {
  openers: WeightOpeners;
  /** Stored parameters over every network (shared VAE weights counted per network, as written). */
  parameterCount: number;
  notNeeded: NotNeeded[];
}

function single(file: string): () => OpenedWeights {
  return () => {
    const source = openCheckpoint(file);
    return { weights: source, checkpoints: [{ file, source }] };
  };
}

function ckptOnly(file: string): () => OpenedWeights {
  return () => {
    const ckpt = openCheckpoint(file);
    return { weights: unet3dSource(null, ckpt), checkpoints: [{ file, source: ckpt }] };
  };
}

function ckptOverBin(ckptFile: string, binFile: string): () => OpenedWeights {
  return () => {
    const ckpt = openCheckpoint(ckptFile);
    const bin = openCheckpoint(binFile);
    return { weights: unet3dSource(bin, ckpt), checkpoints: [{ file: ckptFile, source: ckpt }, { file: binFile, source: bin }] };
  };
}

const countParameters = (net: { graph: { lazyInitializers: readonly { shape: readonly number[] }[] } }): number =>
  net.graph.lazyInitializers.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1), 0);

/** A key the build asked for that `source` does not hold (a missing weight, not a wrong shape). */
function missingKey(error: unknown, source: WeightSource): string | null {
  const key = error instanceof StudioFailure ? (error.detail as { key?: unknown } | undefined)?.key : undefined;
  return typeof key === 'string' && !source.has(key) ? key : null;
}

/**
 * Builds every network once against its weights and returns the openers the write should use.
 * The UNet3D takes every weight from temporal_attention.ckpt when it holds them all (the real
 * ckpt is the full UNet3D state dict), so the SD1.5 UNet file is then not needed, and not opened.
 */
export function preflight(configs: ModelConfigs, paths: CheckpointPaths, frame: FrameSize | undefined): PreflightResult {
  const base = { vae: single(paths.vaeWeights), appearanceEncoder: single(paths.appearanceWeights), controlnet: single(paths.controlnetWeights) };
  let openers: WeightOpeners = { ...base, unet3d: ckptOnly(paths.temporalCkpt) };
  let parameterCount = 0;
  const notNeeded: NotNeeded[] = [];
  for (const planned of networkPlan(configs, openers, frame)) {
    if (planned.name !== 'unet3d') {
      parameterCount += countParameters(planned.build(planned.openWeights().weights));
      continue;
    }
    const ckpt = planned.openWeights();
    try {
      parameterCount += countParameters(planned.build(ckpt.weights));
      const reason = `${path.basename(paths.temporalCkpt)} holds every UNet3D weight`;
      notNeeded.push({ role: 'unetWeights', file: paths.unetWeights, reason });
    } catch (error) {
      const key = missingKey(error, ckpt.weights);
      if (key === null) throw error;
      if (paths.unetWeights === null) {
        throw new StudioFailure('model_missing', `${paths.temporalCkpt} lacks the UNet weight "${key}" and the SD1.5 folder has no unet/diffusion_pytorch_model.* to take it from`, { file: paths.temporalCkpt, key });
      }
      openers = { ...base, unet3d: ckptOverBin(paths.temporalCkpt, paths.unetWeights) };
      const [unet3d] = networkPlan(configs, openers, frame).filter((n) => n.name === 'unet3d');
      parameterCount += countParameters(unet3d.build(unet3d.openWeights().weights));
    }
  }
  if (parameterCount > MAX_PARAMETERS) {
    throw new StudioFailure('model_invalid', `these configs make ${parameterCount.toExponential(2)} parameters, more than any MagicAnimate model (at most ${MAX_PARAMETERS.toExponential(0)})`);
  }
  return { openers, parameterCount, notNeeded };
}

/** The nearest existing folder at or above `dir` (the output folder does not exist yet). */
function existingAncestor(dir: string): string {
  let at = path.resolve(dir);
  while (!fs.existsSync(at) && path.dirname(at) !== at) at = path.dirname(at);
  return at;
}

/** Refuses to start when the output's file system has less free space than the model will take. */
export function checkFreeSpace(outDir: string, parameterCount: number, precision: 'fp32' | 'fp16'): void {
  const needed = parameterCount * (precision === 'fp16' ? 2 : 4) + DISK_MARGIN_BYTES;
  const where = existingAncestor(path.dirname(outDir));
  const stats = fs.statfsSync(where);
  const free = stats.bavail * stats.bsize;
  if (free < needed) {
    const gb = (n: number): string => `${(n / 1e9).toFixed(2)} GB`;
    throw new StudioFailure('disk_full', `the model needs about ${gb(needed)} in ${where}, which has ${gb(free)} free; free some space or choose another folder`, { file: where, needed, free });
  }
}
