// The one module that imports onnxruntime-node (STYLE.md §5).
//
//   const s = await createSession('/models/vae_decoder.onnx' | bytes, { provider: 'auto', threads: 2 });
//   s.provider            // which execution provider the session got ('cuda', 'cpu', ...)
//   s.attempts            // every provider tried, with the reason each failed
//   const out = await s.run({ latent: float32Tensor(data, [1, 4, 64, 64]) });   // checks feed names first
//   s.release();
//
// 'auto' tries the providers of AUTO_ORDER that apply to this platform, in order, and keeps the first
// whose session loads; cpu always applies and comes last. Errors are StudioFailure('not_available') when
// a named provider cannot run here, 'model_invalid' when the model itself fails to load on cpu.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { StudioFailure } from '../../shared/result';

export type ProviderName = 'cpu' | 'cuda' | 'dml' | 'webgpu';
export type ProviderChoice = 'auto' | ProviderName;

interface ProviderEntry {
  /** `${process.platform}-${process.arch}` values where the provider can exist. */
  readonly platforms: readonly string[] | 'any';
  readonly label: string;
}

export const PROVIDERS: Readonly<Record<ProviderName, ProviderEntry>> = Object.freeze({
  cuda: Object.freeze({ platforms: Object.freeze(['linux-x64']), label: 'NVIDIA CUDA' }),
  dml: Object.freeze({ platforms: Object.freeze(['win32-x64', 'win32-arm64']), label: 'DirectML' }),
  webgpu: Object.freeze({ platforms: 'any' as const, label: 'WebGPU' }),
  cpu: Object.freeze({ platforms: 'any' as const, label: 'CPU' }),
});

export const AUTO_ORDER: readonly ProviderName[] = Object.freeze(['cuda', 'dml', 'webgpu', 'cpu']);

export interface ProviderAttempt {
  provider: ProviderName;
  ok: boolean;
  reason?: string;
}

export interface SessionOptions {
  provider?: ProviderChoice;
  /** Intra-op threads for cpu (0 = ORT default). */
  threads?: number;
  graphOptimization?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Defaults to the real platform; tests pass others to check the table. */
  platform?: string;
  /**
   * CPU only: false turns off onnxruntime's CPU arena, so activation memory goes back to the
   * system after each run instead of staying with the session (less resident memory, slower runs).
   */
  cpuArena?: boolean;
}

export type Feeds = Record<string, ort.Tensor>;

export interface RuntimeSession {
  readonly provider: ProviderName;
  readonly attempts: readonly ProviderAttempt[];
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Feeds): Promise<Record<string, ort.Tensor>>;
  release(): Promise<void>;
}

export const currentPlatform = (): string => `${process.platform}-${process.arch}`;

/** Providers onnxruntime-node reports for this build (cuda is "not bundled" unless its libraries were installed). */
export function supportedBackends(): { name: string; bundled: boolean }[] {
  return ort.listSupportedBackends();
}

/**
 * The providers 'auto' (or a named choice) considers on `platform`, in order; `applies: false` entries
 * carry the reason they are skipped.
 */
export function providerPlan(choice: ProviderChoice, platform = currentPlatform()): { provider: ProviderName; applies: boolean; reason?: string }[] {
  const wanted = choice === 'auto' ? [...AUTO_ORDER] : [choice];
  return wanted.map((p) => {
    const entry = PROVIDERS[p];
    if (!entry) throw new StudioFailure('invalid_request', `unknown execution provider "${p}"; use auto, ${AUTO_ORDER.join(', ')}`);
    const applies = entry.platforms === 'any' || entry.platforms.includes(platform);
    return applies ? { provider: p, applies } : { provider: p, applies, reason: `${entry.label} is not available on ${platform}` };
  });
}

/**
 * Why the CUDA provider cannot load, or null when its library is installed. Its libraries come from
 * onnxruntime-node's optional download; checking the file first avoids ORT's native error line.
 */
function cudaLibraryMissing(platform: string): string | null {
  if (platform !== currentPlatform()) return null; // a test of another platform's table
  try {
    const pkg = dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'));
    const [os, arch] = platform.split('-');
    const bin = join(pkg, 'bin', 'napi-v6', os, arch);
    if (existsSync(join(bin, 'libonnxruntime_providers_cuda.so'))) return null;
    return 'the CUDA provider libraries are not installed (onnxruntime-node downloads them at install time when online)';
  } catch {
    return null;
  }
}

function sessionOptions(provider: ProviderName, o: SessionOptions): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [provider],
    graphOptimizationLevel: o.graphOptimization ?? 'all',
    intraOpNumThreads: o.threads ?? 0,
    interOpNumThreads: 1,
    ...(provider === 'cpu' && o.cpuArena === false ? { enableCpuMemArena: false } : {}),
    // NOTE: a missing GPU provider logs a native error line before throwing; the reason is kept in
    // `attempts`, so probes log only fatal messages.
    logSeverityLevel: provider === 'cpu' ? 2 : 4,
  };
}

async function load(model: string | Uint8Array, opts: ort.InferenceSession.SessionOptions): Promise<ort.InferenceSession> {
  return typeof model === 'string' ? ort.InferenceSession.create(model, opts) : ort.InferenceSession.create(model, opts);
}

export async function createSession(model: string | Uint8Array, o: SessionOptions = {}): Promise<RuntimeSession> {
  if (typeof model === 'string' && !existsSync(model)) throw new StudioFailure('model_missing', `model file not found: ${model}`, { file: model });
  const choice = o.provider ?? 'auto';
  const attempts: ProviderAttempt[] = [];
  for (const step of providerPlan(choice, o.platform)) {
    const missing = step.provider === 'cuda' && step.applies ? cudaLibraryMissing(o.platform ?? currentPlatform()) : null;
    if (!step.applies || missing) {
      attempts.push({ provider: step.provider, ok: false, reason: step.reason ?? missing ?? undefined });
      continue;
    }
    try {
      const session = await load(model, sessionOptions(step.provider, o));
      attempts.push({ provider: step.provider, ok: true });
      return wrap(session, step.provider, attempts);
    } catch (err) {
      attempts.push({ provider: step.provider, ok: false, reason: err instanceof Error ? err.message.trim() : String(err) });
    }
  }
  const summary = attempts.map((a) => `${a.provider}: ${a.reason}`).join('; ');
  const cpuFailed = attempts.some((a) => a.provider === 'cpu');
  throw new StudioFailure(cpuFailed ? 'model_invalid' : 'not_available', `no execution provider could load the model (${summary})`, { attempts });
}

function wrap(session: ort.InferenceSession, provider: ProviderName, attempts: ProviderAttempt[]): RuntimeSession {
  let released = false;
  return {
    provider,
    attempts,
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(feeds) {
      if (released) throw new StudioFailure('internal', 'session already released');
      checkFeeds(session.inputNames, feeds);
      return (await session.run(feeds)) as Record<string, ort.Tensor>;
    },
    async release() {
      if (released) return;
      released = true;
      await session.release();
    },
  };
}

/** Names every missing and unexpected feed (ORT's own message names only the first). */
export function checkFeeds(inputNames: readonly string[], feeds: Record<string, unknown>): void {
  const given = Object.keys(feeds);
  const missing = inputNames.filter((n) => !(n in feeds));
  const extra = given.filter((n) => !inputNames.includes(n));
  if (missing.length || extra.length) {
    const parts = [
      missing.length ? `missing ${missing.join(', ')}` : '',
      extra.length ? `unexpected ${extra.join(', ')}` : '',
    ].filter(Boolean);
    throw new StudioFailure('invalid_request', `model inputs: ${parts.join('; ')} (expects ${inputNames.join(', ')})`, { missing, extra });
  }
}

export function float32Tensor(data: Float32Array, dims: readonly number[]): ort.Tensor {
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new StudioFailure('internal', `tensor of ${data.length} values cannot have shape [${dims}]`);
  return new ort.Tensor('float32', data, [...dims]);
}

export function int64Tensor(values: readonly number[], dims: readonly number[]): ort.Tensor {
  return new ort.Tensor('int64', BigInt64Array.from(values.map((v) => BigInt(v))), [...dims]);
}

export function scalarFloat(value: number): ort.Tensor {
  return new ort.Tensor('float32', Float32Array.of(value), []);
}

/** The float32 data of an output tensor (throws when it is another type). */
export function tensorData(t: ort.Tensor): Float32Array {
  if (t.type !== 'float32') throw new StudioFailure('internal', `expected a float32 output, got ${t.type}`);
  return t.data as Float32Array;
}

export type { Tensor as OrtTensor } from 'onnxruntime-node';
