// Compiling checkpoints into a model folder (ARCHITECTURE.md "Models").
//
//   compileModel({ sd15Dir, vaeDir, magicAnimateDir, outDir, precision, ... })   the real checkpoints
//   buildDemoModel(dataDir, onProgress)                                          tiny config, seeded weights
//
// Both write into `<outDir>.partial` and rename it to `<outDir>` only when every file and the
// manifest are written, so an error or a cancel never leaves a half-built model where the app
// looks for models. Networks are built and written one at a time, and each tensor is read from
// its checkpoint only while it is being written, so peak memory is about one network's graph plus
// its largest tensor.
import fs from 'node:fs';
import path from 'node:path';
import { StudioFailure } from '../../shared/result';
import { resolveCheckpointDirs, resolveCheckpoints, readJson } from './checkpointLayout';
import { checkConfigBounds } from './configBounds';
import { MANIFEST_FORMAT_VERSION, fingerprintFile, writeManifest, type Manifest, type SourceFile } from './manifest';
import { frameSizeStep, nativeFrameSize, networkPlan, type FrameSize, type OpenedWeights, type WeightOpeners } from './networkPlan';
import { checkFreeSpace, preflight, type NotNeeded } from './preflight';
import { MOTION_MODULE_KWARGS, TINY_CONFIGS, TINY_TEXT_EMBEDDING_SHAPE, type ModelConfigs } from './presets';
import { computeEmptyPromptEmbedding, loadTextEmbedding, TEXT_EMBEDDING_KEY } from './textEmbedding';
import { findTextEncoderFiles } from './textEncoder';
import { writeNetworks, type CompileProgress } from './writeNetworks';
import { writeSafetensors, type SafetensorsTensor } from './weights/safetensors';
import { seededNormals, seededSource } from './weights/seeded';

export type { CompileProgress } from './writeNetworks';
export type { NotNeeded } from './preflight';

export interface CompileOptions {
  sd15Dir: string;
  vaeDir: string;
  magicAnimateDir: string;
  outDir: string;
  precision: 'fp32' | 'fp16';
  /** A precomputed CLIP("") embedding (safetensors); otherwise it is computed from sd15/text_encoder. */
  textEmbeddingPath?: string;
  name?: string;
  /** Frame size the graphs are built for (default: the config's native square, SD1.5 512×512). */
  frameSize?: FrameSize;
  /** Replace an existing model folder at outDir (only after the new one is complete). */
  overwrite?: boolean;
  /** Networks with more stored weight bytes get an external .onnx.data file (default 256 MiB). */
  inlineWeightsLimit?: number;
  onProgress?: (event: CompileProgress) => void;
  signal?: AbortSignal;
}

export interface CompileResult {
  dir: string;
  manifest: Manifest;
  /** Checkpoint keys no network consumed, per file (worth a look; not an error). */
  unusedKeys: Record<string, string[]>;
  /** Inputs the compile did not need (the SD1.5 UNet file when the ckpt holds every UNet3D weight). */
  notNeeded: NotNeeded[];
}

export interface FolderSpec {
  outDir: string;
  name: string;
  configName: Manifest['configName'];
  precision: Manifest['precision'];
  configs: ModelConfigs;
  openers: WeightOpeners;
  frameSize?: FrameSize;
  sources: () => Promise<SourceFile[]>;
  textEmbedding: (workDir: string) => Promise<SafetensorsTensor>;
  overwrite: boolean;
  inlineWeightsLimit?: number;
  onProgress: (event: CompileProgress) => void;
  signal?: AbortSignal;
}

export async function compileModel(o: CompileOptions): Promise<CompileResult> {
  // 1. Where everything is (Hugging Face cache folders stand for their snapshot).
  const dirs = resolveCheckpointDirs(o);
  const paths = resolveCheckpoints(dirs);
  if (o.textEmbeddingPath && !fs.existsSync(o.textEmbeddingPath)) {
    throw new StudioFailure('model_missing', `the text embedding file ${o.textEmbeddingPath} does not exist`, { file: o.textEmbeddingPath });
  }
  if (!o.textEmbeddingPath) findTextEncoderFiles(dirs.sd15Dir); // its absence is reported now, not after the networks
  // 2. The configs, bounded, and the frame size.
  const configFiles = { unet: paths.unetConfig, appearanceEncoder: paths.appearanceConfig, controlnet: paths.controlnetConfig, vae: paths.vaeConfig };
  const configs: ModelConfigs = {
    unet: readJson(paths.unetConfig),
    motionModule: MOTION_MODULE_KWARGS,
    appearanceEncoder: readJson(paths.appearanceConfig),
    controlnet: readJson(paths.controlnetConfig),
    vae: readJson(paths.vaeConfig),
  };
  for (const [role, file] of Object.entries(configFiles)) checkConfigBounds(configs[role as keyof typeof configFiles], file);
  const crossAttentionDim = Number(configs.unet.cross_attention_dim);
  if (o.frameSize) checkFrameSize(o.frameSize, configs);
  // 3. Every checkpoint opened and every network built against it, before anything is written.
  const checked = preflight(configs, paths, o.frameSize);
  checkFreeSpace(o.outDir, checked.parameterCount, o.precision);
  const notNeededFiles = new Set(checked.notNeeded.map((n) => n.file));
  const roles = Object.entries(paths).filter((entry): entry is [string, string] => entry[1] !== null && !notNeededFiles.has(entry[1]));
  const result = await writeModelFolder({
    outDir: o.outDir,
    name: o.name ?? path.basename(o.outDir),
    configName: crossAttentionDim === 768 ? 'sd15' : 'tiny',
    precision: o.precision,
    configs,
    openers: checked.openers,
    frameSize: o.frameSize,
    sources: async () => Promise.all(roles.map(([role, file]) => fingerprintFile(role, file))),
    textEmbedding: async (workDir) =>
      o.textEmbeddingPath ? loadTextEmbedding(o.textEmbeddingPath, crossAttentionDim) : computeEmptyPromptEmbedding(dirs.sd15Dir, workDir),
    overwrite: o.overwrite ?? false,
    inlineWeightsLimit: o.inlineWeightsLimit,
    onProgress: o.onProgress ?? (() => {}),
    signal: o.signal,
  });
  return { ...result, notNeeded: checked.notNeeded };
}

const MAX_FRAME_SIDE = 2048;

/** A size the UNet can take: both sides multiples of its step (64 for SD1.5), at most 2048. */
function checkFrameSize(size: FrameSize, configs: ModelConfigs): void {
  const step = frameSizeStep(configs);
  for (const [side, value] of [['width', size.width], ['height', size.height]] as const) {
    if (!Number.isInteger(value) || value < step || value > MAX_FRAME_SIDE || value % step !== 0) {
      throw new StudioFailure('invalid_request', `The ${side} ${value} cannot be compiled: use a multiple of ${step} from ${step} to ${MAX_FRAME_SIDE} pixels.`);
    }
  }
}

export const DEMO_SEED = 1234;
export const DEMO_MODEL_ID = 'demo';

/** The demo model: tiny configuration, seeded weights, written to `<dataDir>/models/demo`. */
/**
 * `latentSize` overrides the tiny config's 16×16 latents (128 px); benchmarks build a 64-px demo
 * model (latentSize 8) to run long clips in reasonable time on CPU.
 */
export async function buildDemoModel(
  dataDir: string,
  onProgress: (event: CompileProgress) => void = () => {},
  signal?: AbortSignal,
  latentSize?: number,
): Promise<CompileResult> {
  const seeded = (): OpenedWeights => ({ weights: seededSource(DEMO_SEED), checkpoints: [] });
  const configs = latentSize ? { ...TINY_CONFIGS, unet: { ...TINY_CONFIGS.unet, sample_size: latentSize } } : TINY_CONFIGS;
  const written = await writeModelFolder({
    outDir: path.join(dataDir, 'models', DEMO_MODEL_ID),
    name: 'Demo (tiny, random weights)',
    configName: 'tiny',
    precision: 'fp32',
    configs,
    openers: { vae: seeded, appearanceEncoder: seeded, controlnet: seeded, unet3d: seeded },
    sources: async () => [{ role: 'weights', path: 'seeded', sizeBytes: 0, fingerprint: { kind: 'seeded', seed: DEMO_SEED } }],
    textEmbedding: async () => ({
      shape: [...TINY_TEXT_EMBEDDING_SHAPE],
      data: seededNormals(DEMO_SEED, TEXT_EMBEDDING_KEY, TINY_TEXT_EMBEDDING_SHAPE[1] * TINY_TEXT_EMBEDDING_SHAPE[2]),
    }),
    overwrite: false,
    onProgress,
    signal,
  });
  return { ...written, notNeeded: [] };
}

function cancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw new StudioFailure('cancelled', 'model compile cancelled');
}

export async function writeModelFolder(spec: FolderSpec): Promise<Omit<CompileResult, 'notNeeded'>> {
  const partial = `${spec.outDir}.partial`;
  if (fs.existsSync(spec.outDir) && !spec.overwrite) {
    throw new StudioFailure('invalid_request', `${spec.outDir} already exists; remove it or choose another output folder`, { file: spec.outDir });
  }
  fs.rmSync(partial, { recursive: true, force: true });
  fs.mkdirSync(partial, { recursive: true });
  try {
    spec.onProgress({ phase: 'text-embedding', fraction: 0 });
    const embedding = await spec.textEmbedding(partial);
    const width = Number(spec.configs.unet.cross_attention_dim);
    if (embedding.shape[2] !== width) {
      throw new StudioFailure('model_invalid', `the text embedding is ${embedding.shape[2]} wide but the UNet's cross_attention_dim is ${width}`);
    }
    cancelled(spec.signal);
    const embeddingFile = 'text_embedding.safetensors';
    writeSafetensors(path.join(partial, embeddingFile), { [TEXT_EMBEDDING_KEY]: embedding });
    const plan = networkPlan(spec.configs, spec.openers, spec.frameSize, spec.precision);
    const { networks, unusedKeys } = writeNetworks(plan, partial, spec.onProgress, () => cancelled(spec.signal), spec.inlineWeightsLimit);
    spec.onProgress({ phase: 'manifest', fraction: 1 });
    const manifest: Manifest = {
      formatVersion: MANIFEST_FORMAT_VERSION,
      name: spec.name,
      configName: spec.configName,
      precision: spec.precision,
      frameSize: spec.frameSize ?? nativeFrameSize(spec.configs),
      configs: { ...spec.configs },
      networks,
      textEmbedding: { file: embeddingFile, key: TEXT_EMBEDDING_KEY, shape: embedding.shape },
      sources: await spec.sources(),
      createdAt: new Date().toISOString(),
    };
    cancelled(spec.signal);
    writeManifest(partial, manifest);
    replaceFolder(partial, spec.outDir);
    spec.onProgress({ phase: 'done', fraction: 1 });
    return { dir: spec.outDir, manifest, unusedKeys };
  } catch (error) {
    fs.rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}

/** Moves the finished folder into place; an old folder is removed only after the swap. */
function replaceFolder(from: string, to: string): void {
  if (!fs.existsSync(to)) {
    fs.renameSync(from, to);
    return;
  }
  const old = `${to}.old-${process.pid}`;
  fs.renameSync(to, old);
  fs.renameSync(from, to);
  fs.rmSync(old, { recursive: true, force: true });
}
