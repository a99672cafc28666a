// PipelineNetworks backed by onnxruntime sessions loaded from a compiled model folder (manifest.ts).
//
//   const nets = await loadOrtNetworks({ modelDir, provider: 'cpu', threads: 2, bankPrecision: 'fp16' });
//   await runPipeline({ networks: nets, ... });
//   await nets.dispose();                     // releases every session (once per job)
//
// Feeds are built from the manifest's I/O specs, by name:
//   sample / timestep / encoder_hidden_states      every UNet-shaped network
//   controlnet_cond, conditioning_scale            the ControlNet (scale 1.0 = official)
//   bank_NN                                        appearance encoder outputs → UNet3D inputs
//   down_NN, mid                                   ControlNet outputs → UNet3D inputs
// so a UNet3D graph whose inputs follow these names plugs in without code changes here; an
// input this module does not know is a model_invalid error naming it.
//
// The bank precision option: the official ReferenceAttentionControl.update casts the bank to
// float16 even in an fp32 run (fixture README, fact 1); 'fp16' reproduces that rounding, 'fp32'
// keeps the bank as computed.
import path from 'node:path';
import { StudioFailure } from '../../shared/result';
import { readManifest, type Manifest, type NetworkName, type TensorSpec } from '../compiler/manifest';
import { readSafetensorsFile } from '../compiler/weights/safetensors';
import type { PipelineNetworks, Tensor } from './networks';
import { createSession, tensorData, type Feeds, type ProviderChoice, type RuntimeSession } from './runtime';
import { bankFeed, residualFeed, roundToFp16, splitFrames, textFeed, timestepFeed, float32Feed, scaleFeed } from './ortFeeds';

export type BankPrecision = 'fp16' | 'fp32';

/** The reference bank: one [2, L, C] tensor per bank_NN output ([uncond, cond] rows). */
export interface OrtBank {
  entries: Map<string, Tensor>;
}

/** One frame's ControlNet residuals: down_NN and mid, each [C, h', w']. */
export interface OrtResidual {
  entries: Map<string, Tensor>;
}

/**
 * 'resident' (default): every session is loaded once per job and kept. 'sequential' (low-memory
 * mode): at most one session is loaded; calling another network releases it first, so the device
 * holds one network's weights and activations at a time, at the cost of a session load per switch
 * (per step: appearance encoder → ControlNet → UNet3D per window → … ; see the gpu benchmark).
 */
export type SessionPolicy = 'resident' | 'sequential';

export interface OrtNetworkOptions {
  modelDir: string;
  provider?: ProviderChoice;
  threads?: number;
  bankPrecision?: BankPrecision;
  sessions?: SessionPolicy;
  /** CPU arena on (default) or off, see runtime.ts SessionOptions.cpuArena. */
  cpuArena?: boolean;
}

/** Wall time spent inside session.run, per network (the "outside ORT" benchmark reads it). */
export interface OrtRunStats {
  calls: Record<string, number>;
  ms: Record<string, number>;
  /** Session loads and their time (more than one per network only in sequential mode). */
  sessionLoads: () => { count: number; ms: number };
}

export interface OrtNetworks extends PipelineNetworks<OrtBank, OrtResidual> {
  readonly manifest: Manifest;
  readonly provider: string;
  readonly stats: OrtRunStats;
  /** Latent size the graphs were built for (the image is 8× larger). */
  readonly latentSize: { height: number; width: number };
  dispose(): Promise<void>;
}

const NEEDED: readonly NetworkName[] = ['vae_encoder', 'vae_decoder', 'appearance_encoder', 'controlnet', 'unet3d'];

/** Loads every session of the model folder (once per job); `dispose()` releases them. */
export async function loadOrtNetworks(o: OrtNetworkOptions): Promise<OrtNetworks> {
  const manifest = readManifest(o.modelDir);
  const missing = NEEDED.filter((n) => !manifest.networks.some((e) => e.name === n));
  if (missing.length) {
    throw new StudioFailure('model_invalid', `model ${manifest.name} (${o.modelDir}) lacks the ${missing.join(', ')} network(s); compile it again with a newer version`);
  }
  const text = readSafetensorsFile(path.join(o.modelDir, manifest.textEmbedding.file)).get(manifest.textEmbedding.key);
  if (!text) throw new StudioFailure('model_invalid', `${manifest.textEmbedding.file} has no tensor ${manifest.textEmbedding.key}`);
  const pool = new SessionPool(manifest, o);
  try {
    // Resident: load everything now. Sequential: open each once to check it, keep only the last.
    for (const name of NEEDED) await pool.acquire(name);
  } catch (error) {
    await pool.releaseAll();
    throw error;
  }
  return makeNetworks(manifest, pool, { data: text.data, dims: text.shape }, o.bankPrecision ?? 'fp16');
}

/** The sessions of one job under a SessionPolicy; counts loads so benchmarks can price the policy. */
class SessionPool {
  private readonly open = new Map<NetworkName, RuntimeSession>();
  loads = 0;
  loadMs = 0;
  provider = 'cpu';

  constructor(
    private readonly manifest: Manifest,
    private readonly o: OrtNetworkOptions,
  ) {}

  async acquire(name: NetworkName): Promise<RuntimeSession> {
    const known = this.open.get(name);
    if (known) return known;
    if (this.o.sessions === 'sequential') await this.releaseAll();
    const entry = this.manifest.networks.find((e) => e.name === name)!;
    const started = performance.now();
    const session = await openChecked(path.join(this.o.modelDir, entry.file), entry.inputs, this.o);
    this.loadMs += performance.now() - started;
    this.loads++;
    this.provider = session.provider;
    this.open.set(name, session);
    return session;
  }

  async releaseAll(): Promise<void> {
    for (const s of this.open.values()) await s.release();
    this.open.clear();
  }
}

/**
 * Opens one network and checks its graph takes the inputs the manifest promises: a damaged or
 * swapped .onnx must fail here, naming the file, not later as a confusing feed error mid-render.
 */
async function openChecked(file: string, specs: readonly TensorSpec[], o: OrtNetworkOptions): Promise<RuntimeSession> {
  const name = path.basename(file);
  let session: RuntimeSession;
  try {
    session = await createSession(file, { provider: o.provider ?? 'cpu', threads: o.threads ?? 0, cpuArena: o.cpuArena });
  } catch (error) {
    if (!(error instanceof StudioFailure) || error.code !== 'model_invalid') throw error;
    throw new StudioFailure('model_invalid', `${name} in ${path.dirname(file)} could not be loaded (${error.message}); the file is damaged: compile the model again`, error.detail);
  }
  const expected = specs.map((s) => s.name).sort();
  const actual = [...session.inputNames].sort();
  if (expected.join() !== actual.join()) {
    await session.release();
    throw new StudioFailure(
      'model_invalid',
      `${name} in ${path.dirname(file)} takes inputs (${actual.join(', ')}) that differ from its manifest (${expected.join(', ')}); the folder is damaged or mixed up: compile the model again`,
      { file, expected, actual },
    );
  }
  return session;
}

function specsOf(manifest: Manifest, name: NetworkName): TensorSpec[] {
  return manifest.networks.find((e) => e.name === name)!.inputs;
}

function makeNetworks(manifest: Manifest, pool: SessionPool, text: Tensor, bankPrecision: BankPrecision): OrtNetworks {
  const stats: OrtRunStats = { calls: {}, ms: {}, sessionLoads: () => ({ count: pool.loads, ms: pool.loadMs }) };
  const run = async (name: NetworkName, feeds: Feeds): Promise<Map<string, Tensor>> => {
    const session = await pool.acquire(name);
    const started = performance.now();
    const out = await session.run(feeds);
    stats.ms[name] = (stats.ms[name] ?? 0) + performance.now() - started;
    stats.calls[name] = (stats.calls[name] ?? 0) + 1;
    return new Map(Object.entries(out).map(([k, v]) => [k, { data: tensorData(v), dims: v.dims }]));
  };
  const sampleSpec = specsOf(manifest, 'controlnet').find((s) => s.name === 'sample');
  const latentSize = { height: Number(sampleSpec?.shape[2]), width: Number(sampleSpec?.shape[3]) };
  const unetSpecs = specsOf(manifest, 'unet3d');
  const unetOutput = manifest.networks.find((e) => e.name === 'unet3d')!.outputs[0].name;

  return {
    manifest,
    provider: pool.provider,
    stats,
    latentSize,
    async vaeEncode(image) {
      const out = await run('vae_encoder', { image: float32Feed(image) });
      return out.get('latent_mean') ?? firstOf(out);
    },
    async vaeDecode(latents) {
      const out = await run('vae_decoder', { latent: float32Feed(latents) });
      return out.get('image') ?? firstOf(out);
    },
    async appearance(referenceLatents, t) {
      // [uncond, cond]: identical inputs; the UNet reads only what its graph asks for.
      const sample = repeatBatch(referenceLatents, 2);
      const out = await run('appearance_encoder', {
        sample: float32Feed(sample),
        timestep: timestepFeed(specsOf(manifest, 'appearance_encoder'), t),
        encoder_hidden_states: textFeed(text, 2),
      });
      const entries = new Map<string, Tensor>();
      for (const [name, tensor] of out) {
        if (!name.startsWith('bank_')) continue;
        entries.set(name, bankPrecision === 'fp16' ? { data: roundToFp16(tensor.data), dims: tensor.dims } : tensor);
      }
      return { entries };
    },
    async controlnet(latents, t, conditioning) {
      const n = latents.dims[0];
      const out = await run('controlnet', {
        sample: float32Feed(latents),
        timestep: timestepFeed(specsOf(manifest, 'controlnet'), t),
        encoder_hidden_states: textFeed(text, n),
        controlnet_cond: float32Feed(conditioning),
        conditioning_scale: scaleFeed(1),
      });
      const perFrame: OrtResidual[] = Array.from({ length: n }, () => ({ entries: new Map() }));
      for (const [name, tensor] of out) splitFrames(tensor).forEach((frame, i) => perFrame[i].entries.set(name, frame));
      return perFrame;
    },
    async unet(latents, t, bank, residuals) {
      const feeds: Feeds = {};
      for (const spec of unetSpecs) feeds[spec.name] = unetFeed(spec, { latents, t, bank, residuals, text, specs: unetSpecs });
      const out = await run('unet3d', feeds);
      const eps = out.get(unetOutput) ?? firstOf(out);
      return { data: eps.data, dims: eps.dims };
    },
    async dispose() {
      await pool.releaseAll();
    },
  };
}

interface UnetInputs {
  latents: Tensor;
  t: number;
  bank: OrtBank;
  residuals: readonly OrtResidual[];
  text: Tensor;
  specs: TensorSpec[];
}

function unetFeed(spec: TensorSpec, u: UnetInputs): Feeds[string] {
  if (spec.name === 'sample') return float32Feed(u.latents);
  if (spec.name === 'timestep') return timestepFeed(u.specs, u.t);
  if (spec.name === 'encoder_hidden_states') return textFeed(u.text, u.latents.dims[0]);
  if (/^bank_\d+$/.test(spec.name)) {
    const entry = u.bank.entries.get(spec.name);
    if (!entry) throw new StudioFailure('model_invalid', `the UNet3D expects ${spec.name}, which the appearance encoder does not produce`);
    return bankFeed(spec, entry);
  }
  if (/^down_\d+$/.test(spec.name) || spec.name === 'mid') {
    return residualFeed(spec, u.residuals.map((r) => r.entries.get(spec.name)));
  }
  throw new StudioFailure('model_invalid', `the UNet3D has an input "${spec.name}" the render engine does not know how to feed`);
}

function repeatBatch(t: Tensor, times: number): Tensor {
  const data = new Float32Array(t.data.length * times);
  for (let i = 0; i < times; i++) data.set(t.data, i * t.data.length);
  return { data, dims: [t.dims[0] * times, ...t.dims.slice(1)] };
}

function firstOf(out: Map<string, Tensor>): Tensor {
  const first = out.values().next();
  if (first.done) throw new StudioFailure('internal', 'a network returned no outputs');
  return first.value;
}
