// Device-memory plan of a model folder: per network, the weights (the bytes of its .onnx files, which
// hold the weights in the graph's compute type) plus the peak activations of one call at the model's
// frame size and the render's window (onnx/activationMemory.ts over the graph rebuilt from the
// manifest's configs; no weight is read). A function of the manifest and the window only.
//
//   const plan = memoryPlan(manifest, { window: 16 });
//   plan.residentBytes     every session loaded (the default): all weights + each session's own peak,
//                          because each onnxruntime session keeps its arena after its runs
//   plan.sequentialBytes   low-memory mode (one network's session at a time): the largest
//                          weights + peak of a single network
//
// Batches per call follow the pipeline: VAE encoder 1 image, VAE decoder 1 frame (the official
// decode_latents), appearance encoder 2 (the CFG pair), ControlNet one window of frames, UNet3D
// [uncond, cond] × window frames.
import type { Manifest, NetworkName } from './manifest';
import { manifestFrameSize } from './manifest';
import { networkPlan, type OpenedWeights } from './networkPlan';
import { peakActivationBytes } from './onnx/activationMemory';
import { seededSource } from './weights/seeded';

export interface NetworkMemory {
  name: NetworkName;
  weightBytes: number;
  activationBytes: number;
  /** The node at the activation peak (to see where the memory goes). */
  peakAt: string;
}

export interface MemoryPlan {
  window: number;
  precision: Manifest['precision'];
  networks: NetworkMemory[];
  weightBytes: number;
  residentBytes: number;
  sequentialBytes: number;
}

export interface MemoryPlanOptions {
  /** Frames per UNet3D window (the render's context length). Default 16. */
  window?: number;
  /** Frames per VAE decode call. Default 1. */
  decodeBatch?: number;
}

const NO_CHECKPOINTS = (): OpenedWeights => ({ weights: seededSource(0), checkpoints: [] });

export function memoryPlan(manifest: Manifest, o: MemoryPlanOptions = {}): MemoryPlan {
  const window = o.window ?? 16;
  const batches: Record<NetworkName, number> = {
    vae_encoder: 1,
    vae_decoder: o.decodeBatch ?? 1,
    appearance_encoder: 2,
    controlnet: window,
    unet3d: window,
  };
  const openers = { vae: NO_CHECKPOINTS, appearanceEncoder: NO_CHECKPOINTS, controlnet: NO_CHECKPOINTS, unet3d: NO_CHECKPOINTS };
  const plan = networkPlan(manifest.configs, openers, manifestFrameSize(manifest), manifest.precision);
  const networks = plan.flatMap((planned): NetworkMemory[] => {
    const entry = manifest.networks.find((n) => n.name === planned.name);
    if (!entry) return [];
    const net = planned.build(seededSource(0));
    const peak = peakActivationBytes(net.graph, { batch: batches[planned.name], frames: window });
    return [{ name: planned.name, weightBytes: entry.sizeBytes + (entry.dataSizeBytes ?? 0), activationBytes: peak.peakBytes, peakAt: peak.atNode }];
  });
  const weightBytes = networks.reduce((s, n) => s + n.weightBytes, 0);
  return {
    window,
    precision: manifest.precision,
    networks,
    weightBytes,
    residentBytes: weightBytes + networks.reduce((s, n) => s + n.activationBytes, 0),
    sequentialBytes: Math.max(...networks.map((n) => n.weightBytes + n.activationBytes)),
  };
}

/** "5.3 GB" (decimal gigabytes, as GPU vendors and OS tools print them). */
export function formatGigabytes(bytes: number): string {
  return `${(bytes / 1e9).toFixed(bytes < 1e9 ? 2 : 1)} GB`;
}

/**
 * One line for the CLI and logs: "needs about 7.4 GB on the GPU (weights 5.1 GB + activations …)".
 * `free` is what the device reports (null: not reported by this provider).
 */
export function describeMemoryPlan(plan: MemoryPlan, device: 'GPU' | 'CPU', free?: { freeBytes: number; source: string } | null): string {
  const activations = plan.residentBytes - plan.weightBytes;
  let line = `needs about ${formatGigabytes(plan.residentBytes)} on the ${device} (${plan.precision} weights ${formatGigabytes(plan.weightBytes)}`
    + ` + activations ${formatGigabytes(activations)} at a ${plan.window}-frame window; low-memory mode ${formatGigabytes(plan.sequentialBytes)})`;
  if (free === undefined) return line;
  if (free === null) return `${line}; this provider does not report its free memory`;
  line += `; ${formatGigabytes(free.freeBytes)} free (${free.source})`;
  if (free.freeBytes < plan.sequentialBytes) return `${line}: not enough even in low-memory mode`;
  if (free.freeBytes < plan.residentBytes) return `${line}: use low-memory mode (--low-memory)`;
  return line;
}
